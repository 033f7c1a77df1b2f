"""A check the backend cannot run: listed as skipped with its reason in every report, never green."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from rich.console import Console

from eventproof.catalog import Catalog
from eventproof.project import CheckResult, Verification
from eventproof.project.reports import as_json, as_junit, as_markdown, as_text
from eventproof.project.terminal import print_rich

ROOT = Path(__file__).resolve().parents[3]
REASON = "idempotent compares runs that each start from an emptied account"


def _verification(*extra: CheckResult) -> Verification:
    return Verification("pyproject.toml", seed=0, examples=5, backend="endpoint", results=[
        CheckResult("PaymentsFunction", "accepts-valid", "passed", 0.5),
        CheckResult("PaymentsFunction", "idempotent", "skipped", 0.0, summary="not on endpoint",
                    story=REASON),
        *extra,
    ])


def test_a_skipped_check_does_not_fail_the_run_but_is_named_with_its_reason() -> None:
    verification = _verification()
    assert verification.ok and verification.counts()["skipped"] == 1
    text = as_text(verification)
    assert "skipped PaymentsFunction / idempotent: not on endpoint" in text and REASON in text
    assert "2 checks: 1 passed, 1 skipped -- everything that ran holds (1 skipped on endpoint)" in text
    out = io.StringIO()
    print_rich(verification, Console(file=out, width=160, color_system=None))
    assert REASON in out.getvalue() and "1 skipped on endpoint" in out.getvalue()


def test_a_failure_beside_a_skipped_check_still_fails_the_run() -> None:
    verification = _verification(CheckResult("PaymentsFunction", "emits", "failed", 1.0, story="x"))
    assert not verification.ok
    assert "NOT everything holds" in as_text(verification)


def test_every_report_format_says_skipped() -> None:
    verification = _verification()
    report = json.loads(json.dumps(as_json(verification)))
    assert report["backend"] == "endpoint" and report["counts"]["skipped"] == 1
    assert report["schema"] == "eventproof.verification-report/1.1.0"
    contract = Catalog.load(ROOT / "contracts" / "eventproof")["VerificationReport"]
    assert contract.violations(report) == []
    suite = ET.fromstring(as_junit(verification))[0]
    assert suite.get("skipped") == "1" and suite.get("failures") == "0"
    skipped = [case for case in suite if case.find("skipped") is not None]
    assert [case.get("name") for case in skipped] == ["idempotent"]
    assert REASON in (skipped[0].find("skipped").get("message") or "")  # type: ignore[union-attr]
    assert "⏭️ skipped" in as_markdown(verification)
