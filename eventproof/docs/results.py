"""The last run's results: ``eventproof verify --report json:PATH``, checked against its contract.

The report is itself a contract (``contracts/eventproof/VerificationReport``,
shipped as package data in ``eventproof/report_contract/``): a report that
does not hold is a ``ConfigError`` naming the file and the place, never half
a site. Without a report every result reads "not run". A report records when
the run ended and the project's commit (``date``, ``commit``, since 1.1.0);
for an older one the site falls back to the file's time and the checkout.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from eventproof.errors import ConfigError

__all__ = ["NOT_RUN", "CheckOutcome", "Run", "load_run", "report_contract_dir"]

NOT_RUN = "not run"
SCENARIO = "scenario"
_PACKAGE = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class CheckOutcome:
    handler: str
    check: str
    status: str  # passed, failed, vacuous, error
    summary: str
    story: str
    seconds: float
    notes: tuple[str, ...] = ()
    kind: str = "check"  # or "scenario": handler is the feature file, check the scenario's name
    step: int | None = None  # the step a failed scenario failed at, from 1 (Background included)
    file: str = ""  # a scenario's feature file as an absolute path, when the report's project is known


@dataclass
class Run:
    """One verification run, or none (``present`` false: every status is "not run")."""

    present: bool = False
    file: str = ""
    date: str = ""
    commit: str = ""
    ok: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    examples: int = 0
    seed: int = 0
    version: str = ""
    outcomes: list[CheckOutcome] = field(default_factory=list)

    @property
    def status(self) -> str:
        if not self.present:
            return NOT_RUN
        return "passed" if self.ok else "failed"

    def for_handler(self, handler: str) -> list[CheckOutcome]:
        return [o for o in self.outcomes if o.handler == handler and o.kind != SCENARIO]

    def handler_names(self) -> list[str]:
        """The handlers the report has checks of (not the catalog, consumer or compat rows)."""
        return [o.handler for o in self.outcomes if o.kind != SCENARIO and not o.handler.startswith("(")]

    def for_feature(self, path: Path, relative: str) -> list[CheckOutcome]:
        """The scenario rows of the feature file at ``path`` (``relative`` to the features folder).

        verify names a feature file relative to its project; the report's ``project`` makes that
        absolute. A report from another machine (CI) is matched on the path's tail instead.
        """
        rows = [o for o in self.outcomes if o.kind == SCENARIO]
        resolved = str(path.resolve())
        exact = [o for o in rows if o.file == resolved]
        if exact:
            return exact
        return [o for o in rows if o.handler == relative or o.handler.endswith("/" + relative)]

    def check(self, handler: str, check: str) -> CheckOutcome | None:
        return next((o for o in self.outcomes if o.handler == handler and o.check == check), None)

    def catalog_status(self) -> str:
        """The catalog check of the whole run (every contract loads, every example holds)."""
        rows = [o for o in self.outcomes if o.check == "catalog"]
        if not rows:
            return NOT_RUN
        return next((o.status for o in rows if o.status != "passed"), "passed")


def report_contract_dir() -> Path:
    """Where the VerificationReport contract is: package data, or the repository's contracts/."""
    for candidate in (_PACKAGE / "report_contract", _PACKAGE.parent / "contracts" / "eventproof"):
        if (candidate / "VerificationReport.schema.json").is_file():
            return candidate
    raise ConfigError("eventproof's VerificationReport contract is missing",
                      hint=f"expected it in {_PACKAGE / 'report_contract'} (reinstall eventproof)")


def load_run(path: Path | None) -> Run:
    """The run ``path`` reports (None: not run)."""
    if path is None:
        return Run()
    from eventproof.catalog import Catalog

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"--report {path}: no such file",
                          hint="write one with: eventproof verify --report json:PATH") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ConfigError(f"--report {path}: not a JSON report: {error}", file=path) from None
    contract = Catalog.load(report_contract_dir())["VerificationReport"]
    violations = contract.violations(data)
    if violations:
        raise ConfigError(f"--report {path}: does not hold its contract VerificationReport: "
                          f"{violations[0].render()}", file=path,
                          hint="is it a report of another eventproof version?")
    project = Path(str(data["project"])).parent
    outcomes = [CheckOutcome(r["handler"], r["check"], r["status"], r["summary"], r["story"],
                             float(r["seconds"]), tuple(r["notes"]), r.get("kind", "check"), r.get("step"),
                             _feature_file(project, r))
                for r in data["results"]]
    return Run(present=True, file=str(path), date=_date(data, path), commit=_commit(data, path),
               ok=data["ok"], counts=dict(data["counts"]), examples=data["examples"],
               seed=data["seed"], version=data["eventproof"], outcomes=outcomes)


def _feature_file(project: Path, row: dict[str, Any]) -> str:
    if row.get("kind") != SCENARIO or not project.is_absolute():
        return ""
    return str((project / str(row["handler"])).resolve())


def _date(data: dict[str, Any], path: Path) -> str:
    recorded = data.get("date")
    if isinstance(recorded, str):  # RFC 3339 in UTC, as verify writes it
        try:
            ended = datetime.fromisoformat(recorded.replace("Z", "+00:00"))
        except ValueError:
            return recorded
        return ended.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    # An older report records no date: the file's modification time is when verify wrote it.
    stamp = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    return stamp.strftime("%Y-%m-%d %H:%M UTC") + " (the report file's time)"


def _commit(data: dict[str, Any], path: Path) -> str:
    recorded = data.get("commit")
    if isinstance(recorded, str):
        return recorded[:12]
    if isinstance(data.get("date"), str):  # a report that records its run: the project was not in git
        return "none (not a git repository)"
    # An older report records no commit: the verified project's checkout, when it is one.
    project = Path(str(data.get("project", ""))).parent
    folder = project if project.is_dir() else path.parent
    try:
        done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=folder,
                              capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return done.stdout.strip() + " (checkout at build time)" if done.returncode == 0 else "unknown"
