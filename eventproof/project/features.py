"""The team's feature files, run by ``eventproof verify`` with eventproof's step library.

Each ``.feature`` file of the configured ``features`` folder runs through
pytest-bdd, in this process, with ``eventproof.steps`` as its only steps and
the already opened project as the ``eventproof_project`` fixture (so
``Given the system is deployed from its template`` deploys the configured
template with the run's ``--parameter`` values). Paths in steps are relative
to the project folder, as when the team runs pytest there. Each scenario is
one result: passed, failed at step N (with the step's message), skipped
(with pytest's reason) or error (setup failed, or the file does not parse).
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eventproof.project.resolve import Project

__all__ = ["SCENARIO_KIND", "ScenarioOutcome", "current_project", "feature_files", "run_feature"]

SCENARIO_KIND = "scenario"
_runs = itertools.count(1)  # a module name per run: this process may run many feature files
_current: list[Project] = []  # the project the generated conftest hands to the steps

_CONFTEST = '''\
import pytest

from eventproof.project.features import current_project

pytest_plugins = ["eventproof.steps"]


@pytest.fixture(scope="session")
def eventproof_project():
    return current_project()
'''


@dataclass
class ScenarioOutcome:
    """One scenario's verdict, as a row of the report (``handler`` = the feature file)."""

    feature: str
    scenario: str
    status: str
    seconds: float = 0.0
    summary: str = ""
    story: str = ""
    step: int | None = None  # the failed step, counted from 1 (Background steps included)


def current_project() -> Project:
    """The project being verified (for the generated ``eventproof_project`` fixture)."""
    if not _current:
        raise RuntimeError("no eventproof verify run is in progress")
    return _current[-1]


def feature_files(project: Project) -> list[Path]:
    """The ``.feature`` files of the configured folder, in a stable order."""
    folder = project.config.features
    if folder is None:
        return []
    return sorted(folder.rglob("*.feature"))


def run_feature(project: Project, feature: Path) -> list[ScenarioOutcome]:
    """Run every scenario of ``feature``; one outcome per scenario, in the file's order."""
    import pytest

    label = _label(project, feature)
    collector = _Collector(label)
    with tempfile.TemporaryDirectory(prefix="eventproof-features-") as temporary:
        folder = Path(temporary)
        (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        (folder / "conftest.py").write_text(_CONFTEST, encoding="utf-8")
        module = f"test_eventproof_feature_{os.getpid()}_{next(_runs)}"
        (folder / f"{module}.py").write_text(
            f"from pytest_bdd import scenarios\n\nscenarios({str(feature)!r})\n", encoding="utf-8")
        arguments = ["-c", str(folder / "pytest.ini"), "--rootdir", str(folder),
                     "--confcutdir", str(folder), "-p", "no:cacheprovider", "-p", "pytest_bdd.plugin",
                     "-p", "eventproof.plugin", "--import-mode=importlib", "-q", str(folder)]
        try:
            with _running(project), _quiet():
                pytest.main(arguments, plugins=[collector])
        finally:
            for name in [n for n in sys.modules if n == module or n.endswith(f".{module}")]:
                del sys.modules[name]
    # Nothing silent: should a file yield no scenario and no collection error, it is still a row.
    return collector.outcomes() or [ScenarioOutcome(label, "(feature file)", "skipped",
                                                    summary="the file has no scenario")]


def _label(project: Project, feature: Path) -> str:
    try:
        return feature.relative_to(project.config.root).as_posix()
    except ValueError:
        return feature.as_posix()


@contextlib.contextmanager
def _running(project: Project) -> Iterator[None]:
    """The project for the steps, its folder as the current one, only pytest-bdd and eventproof
    as plugins (a team's other pytest plugins have no say in verify's verdicts)."""
    saved_cwd, saved_autoload = Path.cwd(), os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    _current.append(project)
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    os.chdir(project.config.root)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        _current.pop()
        if saved_autoload is None:
            os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = saved_autoload


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """pytest's own terminal output is not the report: verify renders the outcomes."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        yield


@dataclass
class _Running:
    scenario: str
    steps: list[str]
    started: float
    step: int | None = None
    error: str | None = None


@dataclass(eq=False)  # a pytest plugin: compared and hashed by identity
class _Collector:
    """pytest and pytest-bdd hooks that turn a run into scenario outcomes."""

    feature: str
    running: dict[str, _Running] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # node id -> scenario name
    done: list[ScenarioOutcome] = field(default_factory=list)
    broken: list[ScenarioOutcome] = field(default_factory=list)  # the file did not collect

    def pytest_collectreport(self, report: Any) -> None:
        if report.failed:
            self.broken.append(ScenarioOutcome(
                self.feature, "(feature file)", "error", summary="the feature file cannot be run",
                story=_last_lines(report.longreprtext)))

    def pytest_itemcollected(self, item: Any) -> None:
        # pytest-bdd documents each scenario test as "<feature name>: <scenario name>".
        described = getattr(getattr(item, "obj", None), "__doc__", None) or ""
        self.names[item.nodeid] = described.partition(": ")[2] or item.name

    def pytest_bdd_before_scenario(self, request: Any, feature: Any, scenario: Any) -> None:
        steps = [f"{step.keyword} {step.name}" for step in scenario.steps]
        self.running[request.node.nodeid] = _Running(scenario.name, steps, time.perf_counter())

    def pytest_bdd_before_step(self, request: Any, feature: Any, scenario: Any, step: Any,
                               step_func: Any) -> None:
        running = self.running.get(request.node.nodeid)
        if running is not None:
            running.step = list(scenario.steps).index(step) + 1

    def pytest_bdd_step_error(self, request: Any, feature: Any, scenario: Any, step: Any,
                              step_func: Any, step_func_args: Any, exception: BaseException) -> None:
        self._failed(request, scenario, step, _message(exception))

    def pytest_bdd_step_func_lookup_error(self, request: Any, feature: Any, scenario: Any, step: Any,
                                          exception: BaseException) -> None:
        self._failed(request, scenario, step,
                     f"no step of eventproof's step library matches {step.keyword} {step.name!r} "
                     "(see docs/steps.md)")

    def _failed(self, request: Any, scenario: Any, step: Any, message: str) -> None:
        running = self.running.get(request.node.nodeid)
        if running is not None:
            running.step = list(scenario.steps).index(step) + 1
            running.error = message

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.when == "call" or (report.when == "setup" and not report.passed):
            self._finish(report)

    def _finish(self, report: Any) -> None:
        running = self.running.pop(report.nodeid, None)
        name = running.scenario if running else self.names.get(report.nodeid, report.nodeid)
        seconds = round(time.perf_counter() - running.started, 3) if running else report.duration
        if report.passed:
            steps = len(running.steps) if running else 0
            self.done.append(ScenarioOutcome(self.feature, name, "passed", seconds,
                                             summary=f"{steps} steps"))
        elif report.skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            self.done.append(ScenarioOutcome(self.feature, name, "skipped", seconds,
                                             summary=reason.removeprefix("Skipped: ")))
        elif running is not None and running.step is not None:
            text = running.steps[running.step - 1]
            self.done.append(ScenarioOutcome(
                self.feature, name, "failed", seconds, step=running.step,
                summary=f"failed at step {running.step}: {text}",
                story=running.error or _last_lines(report.longreprtext)))
        else:
            self.done.append(ScenarioOutcome(self.feature, name, "error", seconds,
                                             summary="the scenario could not start",
                                             story=_last_lines(report.longreprtext)))

    def outcomes(self) -> list[ScenarioOutcome]:
        return [*self.broken, *self.done]


def _message(exception: BaseException) -> str:
    from eventproof.errors import EventproofError

    if isinstance(exception, EventproofError):
        return exception.render()
    return f"{type(exception).__name__}: {exception}"


def _last_lines(text: str, count: int = 30) -> str:
    return "\n".join(text.rstrip().splitlines()[-count:])
