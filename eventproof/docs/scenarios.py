"""Scenario results: the rows of ``eventproof verify``'s report, else pytest's JUnit XML.

``eventproof verify`` writes one row per scenario (``kind: scenario``; the
feature file, the scenario's name, the step a failed one failed at). A team
that runs its feature files in its own pytest instead can give
``--junit PATH`` from ``pytest features --junitxml=PATH``: pytest-bdd names a
scenario's test ``test_`` + the scenario name made a Python name. The report
comes first; JUnit answers for the scenarios it does not hold. A scenario
outline's examples are one result: failed if any failed, skipped only if all were.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from eventproof.docs.features import Feature
from eventproof.docs.results import CheckOutcome
from eventproof.errors import ConfigError

__all__ = ["FILE_ROW", "ScenarioResult", "file_result", "read_junit", "scenario_results"]

FILE_ROW = "(feature file)"  # verify's row for a feature file that could not run at all


@dataclass(frozen=True)
class ScenarioResult:
    status: str  # passed, failed, skipped, error, "not run"
    message: str = ""  # the failure (its first lines), or why it was skipped
    step: int | None = None  # a failed scenario's step, from 1 (Background steps included)
    source: str = ""  # "verify report" or "JUnit XML"


@dataclass(frozen=True)
class _Case:
    classname: str
    name: str
    result: ScenarioResult


def read_junit(path: Path | None) -> list[_Case]:
    if path is None:
        return []
    try:
        root = ET.parse(path).getroot()
    except FileNotFoundError:
        raise ConfigError(f"--junit {path}: no such file",
                          hint="write one with: pytest features --junitxml=PATH") from None
    except (ET.ParseError, OSError) as error:
        raise ConfigError(f"--junit {path}: not a JUnit XML file: {error}", file=path) from None
    cases = []
    for case in root.iter("testcase"):
        status, message = "passed", ""
        for tag in ("failure", "error", "skipped"):
            found = case.find(tag)
            if found is not None:
                status = "skipped" if tag == "skipped" else "failed"
                text = found.get("message") or (found.text or "")
                message = "\n".join(text.strip().splitlines()[:12])
                break
        name = re.sub(r"\[.*\]$", "", case.get("name", ""))
        cases.append(_Case(case.get("classname", ""), name, ScenarioResult(status, message, source="JUnit XML")))
    return cases


def _python_name(text: str) -> str:
    # As pytest-bdd's make_python_name: spaces to underscores, non-word characters and
    # leading digits dropped, lower case.
    text = re.sub(r"\W", "", text.replace(" ", "_"))
    return re.sub(r"^\d+_*", "", text).lower()


def _from_report(rows: list[CheckOutcome]) -> ScenarioResult:
    failed = [r for r in rows if r.status in ("failed", "error")]
    if failed:
        first = failed[0]
        story = "\n".join(first.story.strip().splitlines()[:12])
        message = "\n".join(p for p in (first.summary, story) if p)
        return ScenarioResult(first.status, message, first.step, "verify report")
    if all(r.status == "skipped" for r in rows):
        return ScenarioResult("skipped", rows[0].summary or rows[0].story, None, "verify report")
    return ScenarioResult("passed", "", None, "verify report")


def file_result(rows: list[CheckOutcome]) -> ScenarioResult | None:
    """The verdict on the whole file (it did not parse, or verify did not run it), if any."""
    mine = [r for r in rows if r.check == FILE_ROW]
    return _from_report(mine) if mine else None


def scenario_results(feature: Feature, cases: list[_Case],
                     rows: list[CheckOutcome] | None = None) -> dict[int, ScenarioResult]:
    """Scenario line -> its result: the report's rows of this file (``rows``), else JUnit's
    test cases, else ``not run``."""
    stem = feature.path.stem
    results: dict[int, ScenarioResult] = {}
    for scenario in feature.scenarios:
        reported = [r for r in rows or [] if r.check == scenario.name]
        if reported:
            results[scenario.line] = _from_report(reported)
            continue
        wanted = "test_" + _python_name(scenario.name)
        matching = [c for c in cases if c.name == wanted]
        if len({c.classname for c in matching}) > 1:  # the same name in several features
            matching = [c for c in matching if stem in c.classname.rsplit(".", 1)[-1]]
        if not matching:
            results[scenario.line] = ScenarioResult("not run")
            continue
        failed = [c.result for c in matching if c.result.status == "failed"]
        if failed:
            results[scenario.line] = failed[0]
        elif all(c.result.status == "skipped" for c in matching):
            results[scenario.line] = matching[0].result
        else:
            results[scenario.line] = ScenarioResult("passed", source="JUnit XML")
    return results
