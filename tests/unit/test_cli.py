from __future__ import annotations

import io
import json
from pathlib import Path

from eventproof import __version__
from eventproof.cli import run
from tests.unit.catalog_helpers import ORDER_ID, ORDER_SCHEMA, write_contract, write_examples

GOOD = {"orderId": ORDER_ID, "items": [{"sku": "ABC-1234", "quantity": 2}]}
REPOSITORY_CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"


def cli(*argv: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return run([str(a) for a in argv], out, err), out.getvalue(), err.getvalue()


def test_version_prints_the_version() -> None:
    assert cli("--version") == (0, f"eventproof {__version__}\n", "")


def test_contracts_check_passes_on_the_repository_contracts() -> None:
    code, out, err = cli("contracts", "check", REPOSITORY_CONTRACTS)
    assert (code, err) == (0, "")
    assert "ProcessOrder" in out and "0 failed" in out


def test_contracts_check_fails_with_exit_1_when_an_example_does_not_hold(tmp_path: Path) -> None:
    write_contract(tmp_path, "PlaceOrder", ORDER_SCHEMA)
    write_examples(tmp_path, "PlaceOrder", [GOOD, {"orderId": 3}], [{"orderId": ORDER_ID, "items": []}])
    code, out, _ = cli("contracts", "check", tmp_path)
    assert code == 1
    assert "2/3 FAILED" in out and "a valid example is rejected" in out


def test_contracts_list_shows_name_kind_format_and_version(tmp_path: Path) -> None:
    write_contract(tmp_path, "PlaceOrder", ORDER_SCHEMA, kind="command")
    code, out, _ = cli("contracts", "list", tmp_path)
    assert code == 0
    assert out.splitlines()[1].split()[:4] == ["PlaceOrder", "command", "jsonschema", "1.0.0"]


def test_validate_reports_each_violation_with_file_pointer_expected_and_found(tmp_path: Path) -> None:
    write_contract(tmp_path / "c", "PlaceOrder", ORDER_SCHEMA)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(GOOD))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"orderId": "x", "items": []}))
    code, out, err = cli("validate", "PlaceOrder", good, bad, "--contracts", tmp_path / "c")
    assert (code, err) == (1, "")
    assert f"{good}: conforms to PlaceOrder" in out
    assert f"{bad}: /orderId: expected a uuid string, found string 'x'" in out
    assert f"{bad}: /items: expected at least 1 items, found array []" in out


def test_validate_unwraps_an_envelope(tmp_path: Path) -> None:
    write_contract(tmp_path / "c", "PlaceOrder", ORDER_SCHEMA)
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"Records": [{"body": json.dumps(GOOD)}, {"body": json.dumps(GOOD)}]}))
    code, out, _ = cli("validate", "PlaceOrder", event, "--contracts", tmp_path / "c", "--envelope", "sqs")
    assert code == 0
    assert f"{event} (message 2): conforms to PlaceOrder" in out


def test_no_command_is_a_usage_error() -> None:
    code, _, err = cli()
    assert code == 2 and "say which command" in err


def test_the_version_is_the_installed_distributions() -> None:
    from importlib.metadata import version

    assert __version__ == version("eventproof")
