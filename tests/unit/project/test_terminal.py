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


def test_scenarios_are_listed_apart_from_the_handler_table_with_where_they_failed() -> None:
    from eventproof.project.reports import as_markdown, as_text

    verification = Verification("pyproject.toml", seed=0, examples=5, results=[
        CheckResult("PaymentsFunction", "catalog", "passed", 0.1),
        CheckResult("features/p.feature", "charged once", "failed", 0.3, kind="scenario", step=7,
                    summary='failed at step 7: Then the "LedgerTable" table holds one item',
                    story="expected one items in LedgerTable, found 3"),
        CheckResult("features/p.feature", "not yet", "skipped", 0.0, kind="scenario",
                    summary="unconditional skip"),
    ])
    out = io.StringIO()
    print_rich(verification, Console(file=out, width=160, color_system=None))
    text = out.getvalue()
    assert "feature files" in text and "charged once" in text and "failed at step 7" in text
    assert "3 checks: 1 passed, 1 failed, 1 skipped -- NOT everything holds" in text
    plain = as_text(verification)
    assert "HANDLER           catalog" in plain and "charged once" not in plain.splitlines()[0]
    assert 'FAILED   features/p.feature: charged once -- failed at step 7' in plain
    assert "skipped  features/p.feature: not yet -- unconditional skip" in plain
    assert "| `features/p.feature` | charged once | ❌ failed failed at step 7" in as_markdown(verification)
