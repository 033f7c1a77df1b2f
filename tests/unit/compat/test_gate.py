"""The git-aware gate and the CLI: renames, deletions, exit codes, clear errors."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from eventproof.cli import run
from eventproof.compat.gate import gate
from tests.unit.compat.gitrepo import Repo, contract

S = {"type": "string"}


def order(name: str = "OrderPlaced", version: str = "1", **meta: object) -> dict:
    schema = {"type": "object", "required": ["id"], "properties": {"id": S}}
    return contract(name, "event", version, schema, **meta)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path)
    repo.write("contracts/OrderPlaced.schema.json", order(consumers=["billing"]))
    repo.write("contracts/Legacy.schema.json", order("Legacy"))
    repo.write("contracts/Kept.schema.json", order("Kept", consumers=["audit"]))
    repo.commit("first")
    return repo


def cli(*argv: str, cwd: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    import os

    before = os.getcwd()
    os.chdir(cwd)
    try:
        code = run(list(argv), stdout=out, stderr=err)
    finally:
        os.chdir(before)
    return code, out.getvalue(), err.getvalue()


def test_an_unchanged_catalog_is_compatible(repo: Repo) -> None:
    report = gate(repo.root / "contracts", "HEAD")
    assert report.compatible and sorted(report.unchanged) == ["Kept", "Legacy", "OrderPlaced"]


def test_a_deleted_contract_with_consumers_is_breaking(repo: Repo) -> None:
    (repo.root / "contracts/Kept.schema.json").unlink()
    report = gate(repo.root / "contracts", "HEAD")
    assert report.deleted == [("Kept", ("audit",))]
    assert not report.compatible


def test_a_deleted_contract_without_consumers_is_reported_not_breaking(repo: Repo) -> None:
    (repo.root / "contracts/Legacy.schema.json").unlink()
    report = gate(repo.root / "contracts", "HEAD")
    assert report.deleted == [("Legacy", ())] and report.compatible


def test_a_renamed_contract_is_compared_with_its_old_self(repo: Repo) -> None:
    repo.write("contracts/OrderPlaced.schema.json", order("OrderCreated", "2", consumers=["billing"]))
    report = gate(repo.root / "contracts", "HEAD")
    assert report.renamed == [("OrderPlaced", "OrderCreated")]
    assert [c.name for c in report.comparisons] == ["OrderCreated"]
    assert report.compatible


def test_an_added_contract_is_listed(repo: Repo) -> None:
    repo.write("contracts/Shipped.schema.json", order("Shipped"))
    assert gate(repo.root / "contracts", "HEAD").added == ["Shipped"]


def test_the_gate_reads_the_old_version_through_git_history(repo: Repo) -> None:
    changed = order(version="2", consumers=["billing"])
    changed["properties"]["id"] = {"type": "integer"}
    repo.write("contracts/OrderPlaced.schema.json", changed)
    repo.commit("id becomes an integer")
    code, out, _ = cli("compat", "--against", "HEAD~1", "contracts", cwd=repo.root)
    assert code == 1
    assert "OrderPlaced: INCOMPATIBLE under FULL" in out
    assert "/properties/id/type: type-narrowed" in out
    assert "consumers (billing)" in out
    code, out, _ = cli("compat", "--against", "HEAD", "contracts", cwd=repo.root)
    assert code == 0, out


def test_two_files_on_the_command_line(tmp_path: Path) -> None:
    Repo(tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a/Order.schema.json").write_text(__import__("json").dumps(order("Order")))
    widened = order("Order", "2")
    widened["required"] = []
    (tmp_path / "b/Order.schema.json").write_text(__import__("json").dumps(widened))
    code, out, _ = cli("compat", "a/Order.schema.json", "b/Order.schema.json", "--mode", "backward",
                       cwd=tmp_path)
    assert code == 0 and "compatible under BACKWARD (given on the command line)" in out
    code, out, _ = cli("compat", "a/Order.schema.json", "b/Order.schema.json", "--mode", "FORWARD",
                       cwd=tmp_path)
    assert code == 1 and "required" in out


@pytest.mark.parametrize(("argv", "expected"), [
    (["compat"], "give two contract files"),
    (["compat", "only-one.json"], "give two contract files"),
    (["compat", "missing.json", "other.json"], "no such contract file"),
    (["compat", "--against", "no-such-ref", "contracts"], "no such git ref"),
    (["compat", "--against", "HEAD", "nowhere"], "no such contracts folder"),
    (["compat", "--against", "HEAD", "a", "b"], "at most one folder"),
    (["compat", "--mode", "SIDEWAYS", "x", "y"], "invalid choice"),
])
def test_usage_errors_exit_2_with_one_clear_line(repo: Repo, argv: list[str], expected: str) -> None:
    code, out, err = cli(*argv, cwd=repo.root)
    assert code == 2
    assert expected in err
    assert "Traceback" not in err + out


def test_a_folder_outside_git_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "contracts").mkdir()
    code, _, err = cli("compat", "--against", "HEAD", "contracts", cwd=tmp_path)
    assert code == 2 and "git" in err and "Traceback" not in err


def test_a_declared_mode_overrides_the_kind_default(repo: Repo) -> None:
    loose = order(version="2", consumers=["billing"], compatibility="NONE")
    loose["properties"]["id"] = {"type": "integer"}
    repo.write("contracts/OrderPlaced.schema.json", loose)
    report = gate(repo.root / "contracts", "HEAD")
    [comparison] = report.comparisons
    assert comparison.compatible
    assert comparison.choice.reason == "declared in the contract's x-eventproof.compatibility"


def test_an_unknown_declared_mode_is_a_contract_error(repo: Repo) -> None:
    repo.write("contracts/OrderPlaced.schema.json", order(compatibility="SOMETIMES"))
    code, _, err = cli("compat", "--against", "HEAD", "contracts", cwd=repo.root)
    assert code == 2 and "compatibility" in err and "FULL_TRANSITIVE" in err
