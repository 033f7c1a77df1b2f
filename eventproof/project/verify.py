"""Run every configured handler's checks: the catalog, then each promised property.

``verify(project)`` returns a ``Verification``: one ``CheckResult`` per
handler and check, each passed, failed (with the counterexample's story),
vacuous (the property never reached a successful handling: its green would
prove nothing), error (the check could not run) or skipped (with why: e.g. the
backend cannot run it, ``eventproof.project.backends``). Besides
the handlers' checks: the consumers' expectations and the compat step
(``eventproof.project.consumers``) and one row per feature-file scenario
(``eventproof.project.features``). ``RunOptions`` spread the work over
processes and CI shards and share a hypothesis database
(``eventproof.project.parallel``, ``shards``, ``database``). Rendering is in
``eventproof.project.reports``.
"""

from __future__ import annotations

import functools
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventproof.errors import ConfigError, EventproofError
from eventproof.project.config import HandlerConfig
from eventproof.project.resolve import Project

if TYPE_CHECKING:
    from eventproof.project.backends import Backend
    from eventproof.project.parallel import Job, Progress

__all__ = ["DEFAULT_EXAMPLES", "STATUSES", "CheckResult", "RunOptions", "Verification", "verify"]

DEFAULT_EXAMPLES = 20
STATUSES = ("passed", "failed", "vacuous", "error", "skipped")
CATALOG_CHECK = "catalog"
ALL_CONTRACTS = "(all contracts)"  # the row of the catalog check over every contract
EMITS_CHECK = "emits"  # everything published conforms to a declared contract


@dataclass(frozen=True)
class CheckResult:
    handler: str
    check: str
    status: str
    seconds: float
    summary: str = ""
    story: str = ""  # the counterexample (failed), or why it could not run (error)
    notes: tuple[str, ...] = ()
    kind: str = "check"  # or "scenario": handler is then the feature file, check the scenario
    step: int | None = None  # a failed scenario's step, from 1

    @property
    def holds(self) -> bool:
        """Nothing against it: passed, or skipped (and the report says why)."""
        return self.status in ("passed", "skipped")


@dataclass(frozen=True)
class RunOptions:
    """How the work is spread: processes, a CI shard, a shared hypothesis database, durations."""

    workers: int = 1
    shard: str | None = None  # "K/N"
    database: str | None = None  # a folder or a redis:// URL
    durations: Path | None = None  # default: <project>/.eventproof/durations.json
    store_durations: bool = False


@dataclass
class Verification:
    project: str
    seed: int
    examples: int
    results: list[CheckResult] = field(default_factory=list)
    backend: str = "fakes"
    shard: str | None = None
    finished: datetime | None = None  # when the last check ended (UTC); the report's date

    @property
    def ok(self) -> bool:
        """Every check that ran holds; a skipped one is listed with its reason, not a failure."""
        return all(r.holds or r.status == "skipped" for r in self.results)

    def counts(self) -> dict[str, int]:
        return {status: sum(r.status == status for r in self.results) for status in STATUSES}


def _property(promise: str) -> Callable[..., None]:
    from eventproof import properties
    from eventproof.project.conformance import assert_emits_conform

    if promise == EMITS_CHECK:
        return assert_emits_conform
    return {
        "accepts-valid": properties.assert_accepts_valid,
        "idempotent": properties.assert_idempotent,
        "crash-safe": properties.assert_survives_crashes,
        "order-insensitive": properties.assert_order_insensitive,
        "rejects-invalid": properties.assert_rejects_invalid,
    }[promise]


def verify(project: Project, *, examples: int = DEFAULT_EXAMPLES, seed: int = 0,
           only: str | None = None, progress: Progress | None = None, against: str | None = None,
           options: RunOptions | None = None, backend: Backend | None = None) -> Verification:
    """Check every configured handler (``only``: the one of that name) on ``backend`` (default:
    the fakes); ``against``: a git ref for the compat step."""
    from eventproof.project.backends import FakesBackend

    backend = backend or FakesBackend()
    handlers = list(project.config.handlers.values())
    if not handlers:
        raise ConfigError(f"nothing to verify: {project.config.file} configures no handler and "
                          "no template function is described by its contracts",
                          file=project.config.file,
                          hint=f"add a [{project.config.table('handlers')}.<LogicalId>] table")
    if only is not None:
        handlers = [h for h in handlers if h.name == only]
        if not handlers:
            raise ConfigError(f"--only {only}: no such configured handler",
                              hint=f"configured: {', '.join(project.config.handlers) or 'none'}")
    if isinstance(examples, bool) or not isinstance(examples, int) or examples < 1:
        raise ConfigError(f"--examples must be an integer >= 1, got {examples!r}")
    from eventproof.project import shards
    from eventproof.project.consumers import validate_ref
    from eventproof.project.database import open_database
    from eventproof.project.parallel import run_jobs
    from eventproof.project.plan import plan

    options = options or RunOptions()
    shard = shards.parse_shard(options.shard) if options.shard else None
    durations_file = options.durations or project.config.root / shards.DURATIONS_FILE
    if against is not None:
        validate_ref(project, against)
    database = open_database(options.database) if options.database else None
    jobs = plan(project, handlers, only=only, against=against, catalog_check=CATALOG_CHECK,
                emits_check=EMITS_CHECK, all_contracts=ALL_CONTRACTS)
    if shard is not None:
        jobs = shards.split(jobs, [j.id for j in jobs], shard, shards.load_durations(durations_file))
    verification = Verification(str(project.config.file), seed, examples, backend=backend.name,
                                shard=str(shard) if shard else None)
    with _hypothesis(seed), backend:
        done = run_jobs(jobs, functools.partial(_execute, project, examples, seed, database, backend),
                        workers=options.workers, progress=progress)
    for _, results, _ in done:
        verification.results.extend(results)
    verification.finished = datetime.now(UTC)
    if options.store_durations:
        shards.store_durations(durations_file, {job.id: seconds for job, _, seconds in done})
    return verification


def _execute(project: Project, examples: int, seed: int, database: Any, backend: Backend,
             job: Job) -> list[CheckResult]:
    """One unit of work's rows (in a worker process with ``-n``)."""
    from eventproof.project import consumers
    from eventproof.project.database import example_database
    from eventproof.project.features import SCENARIO_KIND, run_feature

    started = time.perf_counter()
    if job.kind == "feature":
        if backend.name != "fakes":
            return [CheckResult(job.handler, "(feature file)", "skipped", 0.0,
                                f"not on {backend.name}",
                                f"verify runs feature files on the fakes only; run them on "
                                f"{backend.name} with pytest (EVENTPROOF_BACKEND)",
                                kind=SCENARIO_KIND)]
        try:
            outcomes = run_feature(project, Path(job.path))
        except Exception as error:  # pytest or pytest-bdd could not run the file at all
            return [CheckResult(job.handler, "(feature file)", "error", 0.0,
                                f"{type(error).__name__}: {error}"[:200], str(error),
                                kind=SCENARIO_KIND)]
        return [CheckResult(o.feature, o.scenario, o.status, o.seconds, o.summary, o.story,
                            kind=SCENARIO_KIND, step=o.step) for o in outcomes]
    handler = project.config.handlers.get(job.handler)
    try:
        if job.kind == "catalog" or job.check == CATALOG_CHECK:
            result = _catalog(project, handler)
        elif job.kind == "compat":
            result = consumers.check_compat(project, job.path, seed)
        elif job.kind == "expectations":
            result = consumers.check_expectations(project, handler, job.handler, backend)
        else:
            assert handler is not None
            with example_database(database, job.id, seed):
                result = _promise(project, handler, job.check, examples, backend)
    except EventproofError as error:
        result = {"status": "error", "summary": error.headline, "story": error.render()}
    return [CheckResult(job.handler, job.check, seconds=round(time.perf_counter() - started, 3),
                        **result)]


def _catalog(project: Project, handler: HandlerConfig | None) -> dict[str, Any]:
    names = (handler.consumes, *handler.emits) if handler else tuple(project.catalog.names())
    results = [r for r in project.catalog.check_examples() if r.contract in names]
    failures = [r for r in results if not r.ok]
    if failures:
        return {"status": "failed", "summary": f"{len(failures)} of {len(results)} examples wrong",
                "story": "\n".join(r.render() for r in failures)}
    return {"status": "passed",
            "summary": f"{len(names)} contracts load, {len(results)} examples hold"}


def _promise(project: Project, handler: HandlerConfig, promise: str, examples: int,
             backend: Backend) -> dict[str, Any]:
    from eventproof.project.backends import Unsupported
    from eventproof.properties import PropertyFailed, VacuityWarning, VacuousProperty
    from eventproof_fakes.errors import StepLimitExceeded

    reason = backend.cannot_run(promise)
    if reason is not None:
        return {"status": "skipped", "summary": f"not on {backend.name}", "story": reason}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", VacuityWarning)
        try:
            system = backend.system(project, handler)
            if promise == EMITS_CHECK:
                _property(promise)(system, handler, project.catalog, examples)
            else:
                _property(promise)(system, handler.consumes, via=handler.via,
                                   catalog=project.catalog, max_examples=examples)
        except PropertyFailed as failure:
            return {"status": "failed", "summary": failure.counterexample.property_name,
                    "story": failure.counterexample.render()}
        except Unsupported as unsupported:
            return {"status": "skipped", "summary": f"not on {backend.name}",
                    "story": unsupported.render()}
        except VacuousProperty as vacuous:
            return {"status": "vacuous", "summary": "no example was handled successfully",
                    "story": vacuous.render()}
        except EventproofError as error:
            return {"status": "error", "summary": error.headline, "story": error.render()}
        except StepLimitExceeded as error:
            return {"status": "error", "summary": "the system never became idle",
                    "story": f"{error}\nA message was retried without end: e.g. the trigger queue "
                             "has no dead-letter queue (RedrivePolicy), so a message the handler "
                             "rejects comes back until the retention period ends."}
        except Exception as error:  # the team's code or an unmodelled call: reported, not raised
            text = f"{type(error).__name__}: {error}"
            return {"status": "error", "summary": text.splitlines()[0][:200], "story": text}
    notes = tuple(str(w.message) for w in caught if issubclass(w.category, VacuityWarning))
    return {"status": "passed", "summary": f"{examples} examples", "notes": notes}


class _hypothesis:
    """Hypothesis seeded with ``seed`` and without an example database for the block."""

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def __enter__(self) -> None:
        from hypothesis import core, settings

        self._seed = core.global_force_seed
        self._profile = getattr(settings, "_current_profile", None) or "default"
        settings.register_profile("eventproof-verify", database=None)
        settings.load_profile("eventproof-verify")
        # What hypothesis's own pytest option --hypothesis-seed sets.
        core.global_force_seed = self.seed  # type: ignore[assignment]

    def __exit__(self, *exc_info: object) -> None:
        from hypothesis import core, settings

        core.global_force_seed = self._seed
        settings.load_profile(self._profile)
