"""[tool.eventproof]: every mistake is a configuration error naming the file and the key (exit 2)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from eventproof.cli import run
from eventproof.errors import ConfigError
from eventproof.project import find_config, load_config, open_project

PAYMENTS = Path(__file__).resolve().parents[3] / "examples" / "payments"


@pytest.fixture()
def payments(tmp_path: Path) -> Path:
    """A copy of the sample project, to break its configuration."""
    root = tmp_path / "payments"
    shutil.copytree(PAYMENTS, root, ignore=shutil.ignore_patterns("__pycache__", ".hypothesis"))
    return root


def configure(root: Path, old: str, new: str) -> Path:
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text()
    assert old in text
    pyproject.write_text(text.replace(old, new))
    return pyproject


def verify(*argv: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return run(["verify", *(str(a) for a in argv)], out, err), out.getvalue(), err.getvalue()


def test_the_sample_configuration_reads_as_written() -> None:
    config = load_config(PAYMENTS / "pyproject.toml")
    assert config.template == PAYMENTS / "template.yaml"
    assert config.contracts == PAYMENTS / "contracts"
    payments = config.handlers["PaymentsFunction"]
    assert (payments.consumes, payments.emits, payments.via) == (
        "PaymentRequested", ("PaymentSettled",), "sqs")
    assert "idempotent" in payments.promises
    assert config.handlers["RequestPaymentFunction"].via == "api"
    assert find_config(PAYMENTS / "src" / "payments") == PAYMENTS / "pyproject.toml"


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('template = "template.yaml"', 'template = "template.yaml"\ntemplates = "x"',
     "tool.eventproof.templates: unknown key"),
    ('via = "sqs"', 'via = "sqs"\nretries = 3', "tool.eventproof.handlers.PaymentsFunction.retries: unknown key"),
    ('via = "sqs"', 'via = "kafka"', "handlers.PaymentsFunction.via: expected one of sqs, async, eventbridge"),
    ('promises = ["accepts-valid", "idempotent", "rejects-invalid"]', 'promises = ["fast"]',
     "handlers.PaymentsFunction.promises: unknown promise 'fast'"),
    ('template = "template.yaml"', 'template = "missing.yaml"', "tool.eventproof.template: no such file"),
    ('contracts = "contracts"', 'contracts = "schemas"', "tool.eventproof.contracts: no such folder"),
    ('consumes = "PaymentRequested"', 'consumes = "PaymentAsked"',
     "handlers.PaymentsFunction.consumes: no contract 'PaymentAsked'"),
    ('emits = ["PaymentSettled"]', 'emits = ["PaymentLost"]',
     "handlers.PaymentsFunction.emits: no contract 'PaymentLost'"),
    ("[tool.eventproof.handlers.ReceiptsFunction]", "[tool.eventproof.handlers.RefundsFunction]",
     "handlers.RefundsFunction: the template template.yaml has no function 'RefundsFunction'"),
    ('template = "template.yaml"', 'template = "template.yaml"\nsetup = "tests.system:build"',
     "give either template or setup"),
])
def test_a_configuration_mistake_names_file_and_key_and_exits_2(
        payments: Path, old: str, new: str, expected: str) -> None:
    pyproject = configure(payments, old, new)
    code, out, err = verify("--config", payments)
    assert code == 2, (out, err)
    assert expected in err and str(pyproject) in err
    assert "Traceback" not in err and out == ""


def test_a_setup_function_that_cannot_be_imported_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "contracts").mkdir()
    shutil.copy(PAYMENTS / "contracts" / "PaymentRequested.schema.json", tmp_path / "contracts")
    (tmp_path / "system.py").write_text("import not_installed_anywhere\n")
    (tmp_path / "eventproof.toml").write_text(
        'setup = "system:build"\n[handlers."handlers:settle"]\nconsumes = "PaymentRequested"\n')
    with pytest.raises(ConfigError) as caught:
        open_project(tmp_path)
    assert "setup: cannot import 'system': ModuleNotFoundError" in caught.value.render()
    assert str(tmp_path / "eventproof.toml") in caught.value.render()


def test_a_folder_without_configuration_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = verify("--config", tmp_path)
    assert code == 2 and "no eventproof configuration found" in err


@pytest.mark.parametrize("argv", [["--only", "Nobody"], ["--report", "xml:out.xml"],
                                  ["--parameter", "Broken"], ["--examples", "0"]])
def test_bad_options_are_usage_errors(argv: list[str]) -> None:
    code, out, err = verify("--config", PAYMENTS, *argv)
    assert code == 2 and out == "" and "Traceback" not in err, err


def test_a_function_its_contracts_describe_needs_no_entry(payments: Path) -> None:
    pyproject = payments / "pyproject.toml"
    text = pyproject.read_text()
    pyproject.write_text(text[: text.index("[tool.eventproof.handlers.ReceiptsFunction]")])
    assert "ReceiptsFunction" not in load_config(pyproject).handlers
    receipts = open_project(payments).config.handlers["ReceiptsFunction"]
    # PaymentSettled lists it among its consumers; the template's rule triggers it.
    assert (receipts.consumes, receipts.via, receipts.emits, receipts.promises) == (
        "PaymentSettled", "eventbridge", (), ("accepts-valid",))


def test_a_configuration_with_nothing_to_verify_is_not_a_green_run(tmp_path: Path) -> None:
    (tmp_path / "contracts").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.eventproof]\ncontracts = "contracts"\n')
    code, out, err = verify("--config", tmp_path)
    assert code == 2 and out == ""
    assert "nothing to verify" in err and "[tool.eventproof.handlers.<LogicalId>]" in err
