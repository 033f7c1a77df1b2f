"""``eventproof verify`` on the sample team project: green as written, red with its wrong handler."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest

from eventproof.catalog import Catalog
from eventproof.cli import run

ROOT = Path(__file__).resolve().parents[2]
PAYMENTS = ROOT / "examples" / "payments"
REPORT_CONTRACT = "VerificationReport"


def verify(*argv: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return run(["verify", *(str(a) for a in argv)], out, err), out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def green(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, Path]:
    reports = tmp_path_factory.mktemp("reports")
    code, out, err = verify("--config", PAYMENTS, "--examples", "5",
                            "--report", f"json:{reports / 'report.json'}",
                            "--report", f"junit:{reports / 'junit.xml'}",
                            "--report", f"md:{reports / 'summary.md'}")
    assert "Traceback" not in err
    return code, out, reports


def test_the_sample_project_verifies_green(green: tuple[int, str, Path]) -> None:
    code, out, _ = green
    assert code == 0, out
    assert "PaymentsFunction" in out and "ReceiptsFunction" in out
    assert "RequestPaymentFunction" in out  # the API handler, verified via="api"
    assert "19 checks: 19 passed -- everything holds" in out  # 16 handler checks, 3 scenarios
    assert "features/payments.feature: A request delivered three times is charged once" in out


def test_the_json_report_is_valid_under_its_own_contract(green: tuple[int, str, Path]) -> None:
    _, _, reports = green
    report = json.loads((reports / "report.json").read_text())
    contract = Catalog.load(ROOT / "contracts" / "eventproof")[REPORT_CONTRACT]
    assert contract.violations(report) == []
    assert report["ok"] is True and report["examples"] == 5
    checks = {(r["handler"], r["check"]): r["status"] for r in report["results"]}
    assert checks[("PaymentsFunction", "idempotent")] == "passed"
    assert checks[("ReceiptsFunction", "catalog")] == "passed"
    assert len(checks) == report["counts"]["passed"] == 19
    assert checks[("RequestPaymentFunction", "crash-safe")] == "passed"
    scenarios = [r for r in report["results"] if r["kind"] == "scenario"]
    assert {r["handler"] for r in scenarios} == {"features/payments.feature"} and len(scenarios) == 3
    assert checks[("(all contracts)", "catalog")] == "passed"
    assert checks[("PaymentsFunction", "emits")] == "passed"
    # When and on what it ran: the run's end in UTC, and this repository's HEAD.
    ended = datetime.strptime(report["date"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs((datetime.now(UTC) - ended).total_seconds()) < 3600
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                          timeout=30, check=True).stdout.strip()
    assert report["commit"] == head


def test_the_junit_and_markdown_reports_hold_every_check(green: tuple[int, str, Path]) -> None:
    _, _, reports = green
    suites = ET.parse(reports / "junit.xml").getroot()
    cases = [(s.get("name"), c.get("name")) for s in suites for c in s]
    assert ("PaymentsFunction", "rejects-invalid") in cases and len(cases) == 19
    assert all(s.get("failures") == "0" and s.get("errors") == "0" for s in suites)
    summary = (reports / "summary.md").read_text()
    assert "| `PaymentsFunction` |" in summary and "everything holds" in summary


def test_the_wrong_handler_is_caught_with_its_counterexample(tmp_path: Path) -> None:
    code, out, err = verify("--config", PAYMENTS, "--examples", "5", "--parameter", "Broken=true",
                            "--only", "PaymentsFunction", "--report", f"json:{tmp_path / 'r.json'}")
    assert code == 1, (out, err)
    assert "FAILED PaymentsFunction / idempotent" in out
    assert "the message is delivered 2 times via sqs" in out  # the story, shrunk to 2 copies
    assert '"paymentId": "pay-' in out  # the counterexample message itself
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["ok"] is False and report["counts"]["failed"] == 1
    failed = [r for r in report["results"] if r["status"] == "failed"]
    assert [r["check"] for r in failed] == ["idempotent"] and "2 deliveries" in failed[0]["story"]


def test_the_wrong_handler_is_caught_behind_the_api_too(tmp_path: Path) -> None:
    # A client retrying POST /payments asks for the same payment: the broken consumer charges twice.
    code, out, err = verify("--config", PAYMENTS, "--examples", "5", "--parameter", "Broken=true",
                            "--only", "RequestPaymentFunction")
    assert code == 1, (out, err)
    assert "FAILED RequestPaymentFunction / idempotent" in out
    assert "via api (the client retries the same request)" in out


def test_an_event_no_declared_contract_admits_fails_the_emits_check(tmp_path: Path) -> None:
    root = tmp_path / "payments"
    shutil.copytree(PAYMENTS, root, ignore=shutil.ignore_patterns("__pycache__", ".hypothesis"))
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('emits = ["PaymentSettled"]', "emits = []"))
    code, out, _ = verify("--config", root, "--examples", "3", "--only", "PaymentsFunction")
    assert code == 1
    assert "FAILED PaymentsFunction / emits: conformance of emitted messages" in out
    assert "no declared contract admits this message (detail-type 'PaymentSettled'" in out


def test_a_trigger_that_never_fires_is_reported_not_passed(tmp_path: Path) -> None:
    root = tmp_path / "payments"
    shutil.copytree(PAYMENTS, root, ignore=shutil.ignore_patterns("__pycache__", ".hypothesis"))
    contract = root / "contracts" / "PaymentSettled.avsc"
    # The contract now says the events travel with another detail-type than the rule matches.
    contract.write_text(contract.read_text().replace(
        '"detail-type": "PaymentSettled"', '"detail-type": "PaymentDone"'))
    code, out, _ = verify("--config", root, "--examples", "3", "--only", "ReceiptsFunction",
                          "--report", f"json:{tmp_path / 'r.json'}")
    assert code == 1
    statuses = {r["check"]: r["status"] for r in json.loads((tmp_path / "r.json").read_text())["results"]}
    assert statuses["idempotent"] == "vacuous"
    assert statuses["accepts-valid"] == "failed" and "never invoked" in out


def test_a_trigger_queue_without_dead_letter_queue_is_explained_when_rejections_never_end(
        tmp_path: Path) -> None:
    root = tmp_path / "payments"
    shutil.copytree(PAYMENTS, root, ignore=shutil.ignore_patterns("__pycache__", ".hypothesis"))
    template = root / "template.yaml"
    template.write_text(template.read_text().replace(
        "      RedrivePolicy:\n        deadLetterTargetArn: !GetAtt PaymentRequestsDLQ.Arn\n"
        "        maxReceiveCount: 3\n", ""))
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(
        'promises = ["accepts-valid", "idempotent", "rejects-invalid"]', 'promises = ["rejects-invalid"]'))
    code, out, _ = verify("--config", root, "--examples", "1", "--only", "PaymentsFunction")
    assert code == 1
    assert "ERROR PaymentsFunction / rejects-invalid: the system never became idle" in out
    assert "no dead-letter queue (RedrivePolicy)" in out


def test_a_team_with_an_asyncapi_document_and_no_eventproof_metadata_runs_check_and_verify(
        tmp_path: Path) -> None:
    project = tmp_path / "payments"
    shutil.copytree(PAYMENTS, project)
    document_path = project / "payments.asyncapi.json"
    assert run(["export", "asyncapi", str(project / "contracts"), "--output", str(document_path)],
               io.StringIO(), io.StringIO()) == 0
    document_path.write_text(json.dumps(_without_eventproof_keys(json.loads(document_path.read_text()))))
    shutil.rmtree(project / "contracts")
    config = project / "pyproject.toml"
    config.write_text(config.read_text().replace('contracts = "contracts"',
                                                 'contracts = "payments.asyncapi.json"'))
    assert "x-eventproof" not in document_path.read_text()

    checked = io.StringIO()
    assert run(["contracts", "check", str(document_path)], checked, io.StringIO()) == 0, checked.getvalue()
    code, report, err = verify("--config", project, "--examples", "5", "--only", "PaymentsFunction")
    assert code == 0 and "everything holds" in report, report + err
    # Without x-eventproof.constraints, PaymentSettled's Avro payload admits an empty paymentId,
    # which the receipts table cannot take as a key: verify says so, with the message.
    code, report, err = verify("--config", project, "--examples", "5")
    assert "Traceback" not in err
    assert code == 1
    assert "PaymentSettled admits this message" in report
    assert '"paymentId": ""' in report


def _without_eventproof_keys(value: object) -> object:
    """The team's own document: no x-eventproof anything, anywhere."""
    if isinstance(value, dict):
        return {k: _without_eventproof_keys(v) for k, v in value.items() if not k.startswith("x-eventproof")}
    if isinstance(value, list):
        return [_without_eventproof_keys(v) for v in value]
    return value
