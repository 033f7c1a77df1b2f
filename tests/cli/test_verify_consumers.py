"""``eventproof verify`` beyond one handler: consumers' expectations run against their handlers, and
the compat step against a git ref."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from eventproof.cli import run

pytestmark = pytest.mark.timeout(300)

ROOT = Path(__file__).resolve().parents[2]
PAYMENTS = ROOT / "examples" / "payments"

RECEIPTS_EXPECT = """\
consumer: ReceiptsFunction
contract: PaymentSettled
reads: [/paymentId, /amount]
handles:
  /currency: [EUR, USD, GBP]
examples:
  - name: a settled payment gets its receipt
    message: {paymentId: pay-0042, amount: "1250", currency: EUR}
    outcome: {receipt: pay-0042}
  - name: a payment in pounds
    message: {paymentId: pay-0043, amount: "99", currency: GBP}
"""


def copy_payments(tmp_path: Path) -> Path:
    root = tmp_path / "payments"
    shutil.copytree(PAYMENTS, root, ignore=shutil.ignore_patterns("__pycache__", ".hypothesis",
                                                                  ".eventproof", "features"))
    config = root / "pyproject.toml"
    config.write_text(config.read_text().replace('features = "features"\n', ""))
    return root


def verify(*argv: object) -> tuple[int, dict[tuple[str, str], dict[str, object]], str]:
    out, err = io.StringIO(), io.StringIO()
    report = Path(str(argv[argv.index("--config") + 1])) / "report.json"
    code = run(["verify", *(str(a) for a in argv), "--report", f"json:{report}"], out, err)
    assert "Traceback" not in err.getvalue()
    results = json.loads(report.read_text())["results"] if report.exists() else []
    return code, {(r["handler"], r["check"]): r for r in results}, out.getvalue() + err.getvalue()


def test_a_consumers_examples_are_delivered_to_its_handler_and_must_be_handled(tmp_path: Path) -> None:
    root = copy_payments(tmp_path)
    (root / "src" / "receipts" / "PaymentSettled.expects.yaml").write_text(RECEIPTS_EXPECT)
    code, rows, out = verify("--config", root, "--examples", "2", "--only", "ReceiptsFunction")
    assert code == 0, out
    row = rows[("ReceiptsFunction", "expectations")]
    assert row["status"] == "passed"
    assert row["summary"] == "2 examples of src/receipts/PaymentSettled.expects.yaml handled"


def test_an_example_whose_outcome_the_handler_does_not_produce_fails_with_both(tmp_path: Path) -> None:
    root = copy_payments(tmp_path)
    (root / "src" / "receipts" / "PaymentSettled.expects.yaml").write_text(
        RECEIPTS_EXPECT.replace("outcome: {receipt: pay-0042}", "outcome: {receipt: pay-9999}"))
    code, rows, _out = verify("--config", root, "--examples", "2", "--only", "ReceiptsFunction")
    assert code == 1
    row = rows[("ReceiptsFunction", "expectations")]
    assert row["status"] == "failed" and row["summary"] == "1 of 2 expected examples not handled"
    assert "example 'a settled payment gets its receipt'" in str(row["story"])
    assert "expected an outcome containing {'receipt': 'pay-9999'}" in str(row["story"])
    assert "'receipt': 'pay-0042'" in str(row["story"])


def test_an_example_the_handler_fails_on_is_reported_and_a_foreign_consumer_is_skipped(
        tmp_path: Path) -> None:
    root = copy_payments(tmp_path)
    # An example the contract itself refuses (one field too many): the consumer expects what
    # no producer may send.
    (root / "src" / "payments" / "PaymentRequested.expects.yaml").write_text(
        "consumer: PaymentsFunction\ncontract: PaymentRequested\nexamples:\n"
        "  - name: a long account\n"
        "    message: {paymentId: pay-0001, account: acc-42, amount: 1, currency: EUR, note: x}\n")
    (root / "shipping.expects.yaml").write_text(
        "consumer: shipping\ncontract: PaymentSettled\nexamples:\n"
        "  - message: {paymentId: pay-1, amount: '1', currency: EUR}\n")
    code, rows, _out = verify("--config", root, "--examples", "1")
    assert code == 1
    failed = rows[("PaymentsFunction", "expectations")]
    assert failed["status"] == "failed"
    assert "PaymentRequested rejects this example" in str(failed["story"]) and "note" in str(failed["story"])
    skipped = rows[("shipping", "expectations")]
    assert skipped["status"] == "skipped"
    assert "shipping is not a handler of this project" in str(skipped["summary"])


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=root,
                   check=True, capture_output=True, timeout=60)


def test_the_compat_step_gates_a_breaking_contract_change(tmp_path: Path) -> None:
    root = copy_payments(tmp_path)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "payments")
    code, rows, out = verify("--config", root, "--examples", "1", "--only", "PaymentsFunction",
                             "--against", "HEAD")
    assert code == 0, out
    assert rows[("(all contracts)", "compat")]["status"] == "passed"

    schema = root / "contracts" / "PaymentRequested.schema.json"
    data = json.loads(schema.read_text())
    data["properties"]["channel"] = {"type": "string"}
    data["required"].append("channel")
    schema.write_text(json.dumps(data))
    code, rows, out = verify("--config", root, "--examples", "1", "--only", "PaymentsFunction",
                             "--against", "HEAD")
    assert code == 1
    compat = rows[("(all contracts)", "compat")]
    assert compat["status"] == "failed" and "PaymentRequested" in str(compat["summary"])
    assert "/required" in str(compat["story"]) or "channel" in str(compat["story"])


def test_an_unknown_ref_is_a_usage_error(tmp_path: Path) -> None:
    root = copy_payments(tmp_path)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "payments")
    code, _, out = verify("--config", root, "--against", "no-such-branch")
    assert code == 2 and "no such git ref: 'no-such-branch'" in out
