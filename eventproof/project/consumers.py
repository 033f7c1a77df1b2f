"""Two checks about a contract's life beyond one handler: compat against a git ref, and consumers'
expectations run against their handlers.

``--against REF`` runs ``eventproof compat --against REF`` on the configured
contracts folder (``eventproof.compat.gate``, the project's ``*.expects.yaml``
included in its can-I-deploy matrix) as the row ``(all contracts) / compat``.

A consumer's ``*.expects.yaml`` (``eventproof.compat.expectations``) lists
``examples``: messages it must handle. ``consumer`` names the handler (a
template logical id, or ``module:function``); each example is delivered to it
through its own trigger, on an emptied account, and must be handled
successfully (no error, no dead letter). An example with an ``outcome`` also
needs one of the handler's results to contain it (every key of ``outcome``,
recursively, with the same value): for an EventBridge or async handler, its
return value; for a batch handler, e.g. ``{batchItemFailures: []}``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventproof.errors import ConfigError, EventproofError, short_repr

if TYPE_CHECKING:
    from eventproof.compat.expectations import Expectation
    from eventproof.project.backends import Backend
    from eventproof.project.config import HandlerConfig
    from eventproof.project.resolve import Project

__all__ = ["COMPAT_CHECK", "EXPECTATIONS_CHECK", "check_compat", "check_expectations",
           "expectations_by_consumer", "validate_ref"]

COMPAT_CHECK = "compat"
EXPECTATIONS_CHECK = "expectations"
COMPAT_EXAMPLES = 10  # generated messages per contract version, as `eventproof compat` defaults


def validate_ref(project: Project, ref: str) -> None:
    """Before anything runs: the contracts are a folder in a git work tree, and ``ref`` exists."""
    from eventproof.compat.history import repository_root, resolve_ref

    contracts = project.config.contracts
    if not contracts.is_dir():
        raise ConfigError(f"--against {ref}: compat compares a contracts folder; "
                          f"{contracts} is a file", file=project.config.file)
    resolve_ref(ref, repository_root(contracts))


def check_compat(project: Project, ref: str, seed: int) -> dict[str, Any]:
    from eventproof.compat.gate import gate
    from eventproof.compat.render import render_report

    report = gate(project.config.contracts, ref, examples=COMPAT_EXAMPLES, seed=seed,
                  expectations=project.config.root)
    lines = list(render_report(report))
    if report.compatible:
        return {"status": "passed", "summary": f"compatible with {ref}: {lines[-1]}"}
    broken = [c.name for c in report.comparisons if not c.compatible]
    broken += [name for name, consumers in report.deleted if consumers]
    broken += sorted({row.consumer for row in report.expectations
                      if row.version_label == report.new_label and not row.ok})
    return {"status": "failed", "summary": f"not compatible with {ref}: {', '.join(broken)}",
            "story": "\n".join(lines)}


def expectations_by_consumer(project: Project) -> dict[str, list[Expectation]]:
    """The project's ``*.expects.yaml`` that have examples, by consumer, in a stable order."""
    from eventproof.compat.expectations import find_expectations

    found: dict[str, list[Expectation]] = {}
    for expectation in find_expectations(project.config.root):
        if expectation.examples:
            found.setdefault(expectation.consumer, []).append(expectation)
    return found


def check_expectations(project: Project, handler: HandlerConfig | None, consumer: str,
                       backend: Backend | None = None) -> dict[str, Any]:
    """Every example of ``consumer``'s expectations, delivered to its handler on ``backend``."""
    expectations = expectations_by_consumer(project).get(consumer, [])
    files = ", ".join(_relative(project, e.file) for e in expectations)
    if handler is None:
        return {"status": "skipped", "summary": f"{consumer} is not a handler of this project: "
                f"its examples ({files}) were not run",
                "notes": (f"configure [{project.config.table(f'handlers.{consumer}')}] to run them",)}
    problems: list[str] = []
    ran = 0
    for expectation in expectations:
        for example in expectation.examples:
            ran += 1
            problem = _deliver(project, handler, expectation, example.message, example.outcome,
                               backend)
            if problem is not None:
                problems.append(f"{_relative(project, expectation.file)}, example "
                                f"{example.name!r}:\n  message: {short_repr(example.message, 200)}\n"
                                f"  {problem}")
    if problems:
        return {"status": "failed", "summary": f"{len(problems)} of {ran} expected examples not handled",
                "story": "\n".join(problems)}
    return {"status": "passed", "summary": f"{ran} examples of {files} handled"}


def _deliver(project: Project, handler: HandlerConfig, expectation: Expectation, message: Any,
             outcome: Any, backend: Backend | None) -> str | None:
    from eventproof.project.backends import FakesBackend, Unsupported
    from eventproof.properties.preamble import prepare
    from eventproof.properties.system import open_bench

    if expectation.contract not in project.catalog:
        return f"the expectation names contract {expectation.contract!r}, which the catalog does not have"
    violations = project.catalog[expectation.contract].violations(message)
    if violations:
        # Delivered anyway it could only be refused: the expectation and the contract disagree.
        return f"{expectation.contract} rejects this example: {violations[0].render()}"
    system = (backend or FakesBackend()).system(project, handler)
    check = prepare(system, expectation.contract, via=handler.via,
                    projection=None, catalog=project.catalog, setup=None, max_examples=1)
    try:
        with open_bench(check.system) as bench:
            run = bench.run([message], via=check.delivery)
    except Unsupported as unsupported:
        return f"could not run on {(backend or FakesBackend()).name}: {unsupported.headline}"
    except EventproofError as error:
        return f"could not run: {error.headline}"
    except Exception as error:  # the team's code or an unmodelled call: reported, not raised
        return f"could not run: {type(error).__name__}: {error}"
    if not run.handled_all(1) or run.failures:
        detail = run.failures or (["dead-lettered"] if run.rejected else ["never invoked"])
        errors = [short_repr(r, 200) for r in run.results if isinstance(r, dict) and "errorMessage" in r]
        return f"not handled: {', '.join(detail)}" + (f" ({errors[0]})" if errors else "")
    if outcome is not None and not any(_contains(result, outcome) for result in run.results):
        shown = "; ".join(short_repr(r, 200) for r in run.results) or "nothing"
        return f"expected an outcome containing {short_repr(outcome, 200)}, the handler returned {shown}"
    return None


def _contains(actual: Any, expected: Any) -> bool:
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            key in actual and _contains(actual[key], value) for key, value in expected.items())
    if isinstance(expected, list):
        return isinstance(actual, list) and len(actual) == len(expected) and all(
            _contains(a, e) for a, e in zip(actual, expected, strict=True))
    return bool(actual == expected)


def _relative(project: Project, path: Path) -> str:
    try:
        return path.relative_to(project.config.root).as_posix()
    except ValueError:
        return str(path)
