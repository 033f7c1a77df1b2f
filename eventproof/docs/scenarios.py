"""Scenario results from a JUnit XML file written by pytest running the feature files.

pytest-bdd names a scenario's test ``test_`` + the scenario name made a Python
name; the JSON report of ``eventproof verify`` (1.0) carries no scenario
results, so ``eventproof docs build --junit PATH`` reads them from
``pytest features --junitxml=PATH``. A scenario outline's examples are one
result: failed if any failed, skipped only if all were.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from eventproof.docs.features import Feature
from eventproof.errors import ConfigError

__all__ = ["ScenarioResult", "read_junit", "scenario_results"]


@dataclass(frozen=True)
class ScenarioResult:
    status: str  # passed, failed, skipped, "not run"
    message: str = ""  # the failure (its first lines), or why it was skipped


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
        cases.append(_Case(case.get("classname", ""), name, ScenarioResult(status, message)))
    return cases


def _python_name(text: str) -> str:
    # As pytest-bdd's make_python_name: spaces to underscores, non-word characters and
    # leading digits dropped, lower case.
    text = re.sub(r"\W", "", text.replace(" ", "_"))
    return re.sub(r"^\d+_*", "", text).lower()


def scenario_results(feature: Feature, cases: list[_Case]) -> dict[int, ScenarioResult]:
    """Scenario line -> its result (``not run`` when no test case matches)."""
    stem = feature.path.stem
    results: dict[int, ScenarioResult] = {}
    for scenario in feature.scenarios:
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
            results[scenario.line] = ScenarioResult("passed")
    return results
