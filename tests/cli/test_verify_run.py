"""How ``eventproof verify`` spreads its work: ``-n``, ``--shard`` with recorded durations, and a
shared hypothesis database; and what it shows while it runs."""

from __future__ import annotations

import importlib.util
import io
import json
import shutil
from pathlib import Path

import pytest

from eventproof.cli import run

pytestmark = pytest.mark.timeout(600)

ROOT = Path(__file__).resolve().parents[2]
PAYMENTS = ROOT / "examples" / "payments"
CONTRACT = PAYMENTS / "contracts" / "PaymentRequested.schema.json"


def verify(*argv: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["verify", *(str(a) for a in argv)], out, err)
    assert "Traceback" not in err.getvalue()
    return code, out.getvalue(), err.getvalue()


def rows(report: Path) -> list[tuple[str, str, str, str]]:
    return [(r["handler"], r["check"], r["status"], r["summary"])
            for r in json.loads(report.read_text())["results"]]


def test_two_processes_and_two_shards_run_exactly_the_checks_of_one_run(tmp_path: Path) -> None:
    durations = tmp_path / "durations.json"
    common = ("--config", PAYMENTS, "--examples", "2", "--parameter", "Broken=true",
              "--durations-path", durations)
    code, _, err = verify(*common, "--store-durations", "--report", f"json:{tmp_path / 'one.json'}")
    assert code == 1  # the wrong handler: some rows fail, and they must fail the same way everywhere
    serial = rows(tmp_path / "one.json")
    assert len(serial) == 19 and {s for _, _, s, _ in serial} >= {"passed", "failed"}
    assert "[1/17] (all contracts) / catalog: passed" in err and "[17/17]" in err
    recorded = json.loads(durations.read_text())
    assert "PaymentsFunction::idempotent" in recorded and "features/payments.feature" in recorded

    verify(*common, "-n", "2", "--report", f"json:{tmp_path / 'parallel.json'}")
    assert rows(tmp_path / "parallel.json") == serial

    shards = []
    for k in (1, 2):
        code, out, _ = verify(*common, "--shard", f"{k}/2", "--report", f"json:{tmp_path / f'{k}.json'}")
        assert f"(shard {k}/2)" in out
        assert json.loads((tmp_path / f"{k}.json").read_text())["shard"] == f"{k}/2"
        shards.append(rows(tmp_path / f"{k}.json"))
    assert shards[0] and shards[1]
    assert not {r[:2] for r in shards[0]} & {r[:2] for r in shards[1]}
    assert sorted(shards[0] + shards[1]) == sorted(serial)


def limit_project(tmp_path: Path) -> Path:
    """A handler that refuses amounts over 500000: hypothesis needs a few examples to find one."""
    (tmp_path / "contracts").mkdir(parents=True)
    shutil.copy(CONTRACT, tmp_path / "contracts")
    (tmp_path / "limit_setup.py").write_text("def build(session):\n    pass\n")
    (tmp_path / "limit_handlers.py").write_text(
        "import json\n\n\ndef settle(event, context):\n    for record in event['Records']:\n"
        "        if json.loads(record['body'])['amount'] > 500000:\n"
        "            raise ValueError('over our limit')\n")
    (tmp_path / "eventproof.toml").write_text(
        'setup = "limit_setup:build"\n\n[handlers."limit_handlers:settle"]\n'
        'consumes = "PaymentRequested"\nvia = "sqs"\npromises = ["accepts-valid"]\n')
    return tmp_path


def test_a_counterexample_in_the_database_is_replayed_first_in_a_later_run(tmp_path: Path) -> None:
    project, database = limit_project(tmp_path / "project"), tmp_path / "database"
    code, found, _ = verify("--config", project, "--examples", "30", "--database", database)
    assert code == 1 and '"amount": 500001' in found
    assert any(p.is_file() for p in database.rglob("*"))
    # One example and another seed: generation alone tries the simplest message (amount 1)...
    code, alone, _ = verify("--config", project, "--examples", "1", "--seed", "99")
    assert code == 0, alone
    # ... so only the database can bring back the counterexample found on the first machine.
    code, replayed, _ = verify("--config", project, "--examples", "1", "--seed", "99",
                               "--database", database)
    assert code == 1 and '"amount": 500001' in replayed


@pytest.mark.skipif(importlib.util.find_spec("redis") is not None, reason="redis is installed")
def test_a_redis_database_without_the_redis_package_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = verify("--config", limit_project(tmp_path), "--database", "redis://127.0.0.1:6379/0")
    assert code == 2
    assert "a Redis database needs the redis package" in err and "pip install redis" in err


@pytest.mark.parametrize(("option", "message"), [
    (("--shard", "3/2"), "--shard 3/2: K must be between 1 and N"),
    (("--shard", "half"), "--shard half: expected K/N"),
    (("-n", "many"), "-n many: expected a number of processes or auto"),
])
def test_bad_run_options_are_usage_errors(tmp_path: Path, option: tuple[str, str], message: str) -> None:
    code, _, err = verify("--config", limit_project(tmp_path), *option)
    assert code == 2 and message in err


def test_a_durations_file_that_is_not_durations_is_a_usage_error(tmp_path: Path) -> None:
    durations = tmp_path / "durations.json"
    durations.write_text('{"a": "slow"}')
    code, _, err = verify("--config", limit_project(tmp_path / "p"), "--shard", "1/2",
                          "--durations-path", durations)
    assert code == 2 and "the durations file is not a JSON object of id -> seconds" in err
