"""The rich terminal report: the same verdicts as the plain one, in a table."""

from __future__ import annotations

import io

from rich.console import Console

from eventproof.project import CheckResult, Verification
from eventproof.project.terminal import print_rich


def test_the_rich_report_shows_each_verdict_and_the_story_of_a_failure() -> None:
    verification = Verification("pyproject.toml", seed=0, examples=5, results=[
        CheckResult("PaymentsFunction", "catalog", "passed", 0.1),
        CheckResult("PaymentsFunction", "idempotent", "failed", 1.0, summary="idempotency",
                    story="the message [pay-1] is delivered 2 times"),
        CheckResult("ReceiptsFunction", "catalog", "vacuous", 0.2, story="never handled"),
    ])
    out = io.StringIO()
    print_rich(verification, Console(file=out, width=120, color_system=None))
    text = out.getvalue()
    assert "PaymentsFunction" in text and "ReceiptsFunction" in text
    assert "FAILED" in text and "VACUOUS" in text and "passed" in text
    assert "the message [pay-1] is delivered 2 times" in text  # markup in stories is escaped
    assert "3 checks: 1 passed, 1 failed, 1 vacuous -- NOT everything holds" in text
