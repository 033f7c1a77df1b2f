"""``eventproof verify`` runs the team's feature files: one row per scenario, with where it failed."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from eventproof.cli import run
from eventproof.project import open_project
from eventproof.project.features import run_feature

pytestmark = pytest.mark.timeout(300)
pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
PAYMENTS = ROOT / "examples" / "payments"
FEATURE = PAYMENTS / "features" / "payments.feature"


def test_the_wrong_handler_fails_the_duplicate_delivery_scenario_at_its_step() -> None:
    project = open_project(PAYMENTS, parameters={"Broken": "true"})
    outcomes = {o.scenario: o for o in run_feature(project, FEATURE)}
    charged_once = outcomes["A request delivered three times is charged once"]
    assert charged_once.status == "failed" and charged_once.step == 7
    assert charged_once.summary == 'failed at step 7: Then the "LedgerTable" table holds one item'
    assert "found 3" in charged_once.story and "features/payments.feature, line 27" in charged_once.story
    assert outcomes["A request the contract refuses is dead-lettered, not charged"].status == "passed"


def test_the_sample_scenarios_pass_as_written() -> None:
    outcomes = run_feature(open_project(PAYMENTS), FEATURE)
    assert [(o.status, o.summary) for o in outcomes] == [
        ("passed", "9 steps"), ("passed", "9 steps"), ("passed", "10 steps")]


TEAM_FEATURE = """\
Feature: what a team may get wrong
  Background:
    Given the system is deployed from its template

  Scenario: a step nobody wrote
    When the payment is refunded twice

  @skip
  Scenario: not yet
    Then the "LedgerTable" table holds no items

  Scenario: a queue the template does not have
    Given a "PaymentRequested" command with:
      \"\"\"
      {"paymentId": "pay-0001", "account": "a", "amount": 1, "currency": "EUR"}
      \"\"\"
    When it is sent to the "Refunds" queue
"""


def copy_payments(tmp_path: Path) -> Path:
    root = tmp_path / "payments"
    shutil.copytree(PAYMENTS, root, ignore=shutil.ignore_patterns("__pycache__", ".hypothesis",
                                                                  ".eventproof"))
    return root


def test_a_missing_step_a_skipped_scenario_and_an_aws_error_are_rows_with_their_reason(
        tmp_path: Path) -> None:
    root = copy_payments(tmp_path)
    feature = root / "features" / "team.feature"
    feature.write_text(TEAM_FEATURE)
    outcomes = {o.scenario: o for o in run_feature(open_project(root), feature)}
    assert list(outcomes) == ["a step nobody wrote", "not yet", "a queue the template does not have"], (
        outcomes)
    missing = outcomes["a step nobody wrote"]
    assert missing.status == "failed" and missing.step == 2
    assert "no step of eventproof's step library matches When 'the payment is refunded twice'" in (
        missing.story)
    assert outcomes["not yet"].status == "skipped" and outcomes["not yet"].summary
    queue = outcomes["a queue the template does not have"]
    assert queue.status == "failed" and queue.step == 3
    assert "NonExistentQueue" in queue.story or "does not exist" in queue.story


def test_a_feature_file_that_does_not_parse_is_an_error_row(tmp_path: Path) -> None:
    root = copy_payments(tmp_path)
    (root / "features" / "broken.feature").write_text("Given a step before its feature\nFeature: x\n")
    out = io.StringIO()
    code = run(["verify", "--config", str(root), "--examples", "1", "--only", "PaymentsFunction",
                "--report", f"json:{tmp_path / 'only.json'}"], out, io.StringIO())
    assert code == 0  # --only runs one handler's checks, no feature file
    assert all(r["kind"] == "check" for r in json.loads((tmp_path / "only.json").read_text())["results"])
    outcomes = run_feature(open_project(root), root / "features" / "broken.feature")
    assert [(o.scenario, o.status) for o in outcomes] == [("(feature file)", "error")]
    assert "broken.feature" in outcomes[0].story and "expected" in outcomes[0].story
    (root / "features" / "empty.feature").write_text("Feature: nothing yet\n")
    outcomes = run_feature(open_project(root), root / "features" / "empty.feature")
    assert [(o.scenario, o.status) for o in outcomes] == [("(feature file)", "error")]
    assert "NoScenariosFound" in outcomes[0].story  # pytest-bdd's verdict on a file without scenarios


def test_the_deploy_step_works_in_the_teams_own_pytest_run(pytester: pytest.Pytester) -> None:
    pytester.makeconftest('pytest_plugins = ["eventproof.steps"]\n')
    pytester.makepyfile(test_payments=f"from pytest_bdd import scenarios\n\nscenarios({str(FEATURE)!r})\n")
    result = pytester.runpytest("-p", "no:randomly", "-p", "no:cacheprovider",
                                "--eventproof-config", str(PAYMENTS))
    result.assert_outcomes(passed=3)
