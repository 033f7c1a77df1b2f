"""The step library: its reference is current, and a failing step says where it failed."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventproof.steps.reference import markdown

ROOT = Path(__file__).resolve().parents[3]

pytest_plugins = ["pytester"]


def test_docs_steps_md_is_the_generated_reference() -> None:
    assert (ROOT / "docs" / "steps.md").read_text() == markdown(), "run: python -m eventproof.steps > docs/steps.md"


def test_every_library_step_is_documented() -> None:
    entries = [line for line in markdown().splitlines() if line.startswith("- `")]
    assert len(entries) >= 25
    undocumented = [line for line in entries if not line.endswith("  ")]
    assert undocumented == []


FEATURE = """\
Feature: a team's own feature
  Scenario: a queue that should be empty
    Given the contracts in "{contracts}"
    And a "ProcessPayment" command with:
      \"\"\"
      {{"paymentId": "p-1"}}
      \"\"\"
    Then the message breaks its contract at "/amount/currency"
"""


def test_a_team_uses_the_steps_without_python_and_failures_name_file_line_and_step(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest('pytest_plugins = ["eventproof.steps"]\n')
    pytester.makefile(".feature", team=FEATURE.format(contracts=ROOT / "contracts"))
    pytester.makepyfile(test_team='from pytest_bdd import scenarios\n\nscenarios("team.feature")\n')
    result = pytester.runpytest("-p", "no:randomly", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*step failed: expected a violation at '/amount/currency'*",
        "*team.feature, line 8*",
        '*step: Then the message breaks its contract at "/amount/currency" (scenario "a queue that should be empty")*',
    ])


FAULT_FEATURE = """\
Feature: a fault no fake applies
  Scenario: duplicating a FIFO queue
    Given every delivery on "sqs:payments.fifo" is duplicated
"""


def test_a_fault_the_fakes_cannot_apply_fails_its_step_with_the_reason(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest('pytest_plugins = ["eventproof.steps"]\n')
    pytester.makefile(".feature", faults=FAULT_FEATURE)
    pytester.makepyfile(test_faults='from pytest_bdd import scenarios\n\nscenarios("faults.feature")\n')
    result = pytester.runpytest("-p", "no:randomly", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*step failed: cannot arm duplicate on 'sqs:payments.fifo': a FIFO queue*",
    ])
