"""The CI gate: the working tree's catalog against a git ref, with history for transitive modes."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

from eventproof.catalog import Catalog, Contract
from eventproof.compat.catalogs import CatalogReport, compare_catalogs
from eventproof.compat.compare import Version
from eventproof.compat.expectations import find_expectations
from eventproof.compat.history import catalog_at, commits_touching, repository_root, resolve_ref
from eventproof.compat.modes import Mode, choose_mode

__all__ = ["gate"]


def gate(
    directory: Path,
    ref: str,
    *,
    mode: Mode | None = None,
    examples: int = 10,
    seed: int = 0,
    history: int = 10,
    expectations: Path | None = None,
) -> CatalogReport:
    """Compare ``directory`` as it is now with ``directory`` at ``ref``."""
    root = repository_root(directory)
    commit = resolve_ref(ref, root)
    new = Catalog.load(directory)
    found = find_expectations(expectations if expectations is not None else root)
    with ExitStack() as stack:
        old = stack.enter_context(catalog_at(commit, directory))
        earlier = _history(stack, new, directory, commit, mode, history)
        return compare_catalogs(old, new, old_label=ref, mode=mode, examples=examples, seed=seed,
                                history=earlier, expectations=found)


def _history(stack: ExitStack, new: Catalog, directory: Path, commit: str, mode: Mode | None,
             limit: int) -> dict[str, list[Version]]:
    """Versions older than ``commit``, oldest first, for the contracts whose mode is transitive."""
    wanted = {c.name for c in new if choose_mode(c.kind, c.compatibility, mode).mode.transitive}
    if not wanted:
        return {}
    commits = [c for c in commits_touching(directory, limit + 1) if c != commit]
    versions: dict[str, list[Version]] = {name: [] for name in wanted}
    last_seen: dict[str, Contract] = {}
    for older in reversed(commits):
        catalog = stack.enter_context(catalog_at(older, directory))
        if catalog is None:
            continue
        for name in wanted:
            contract = catalog.get(name)
            if contract is None or contract.schema == new[name].schema or (
                    name in last_seen and last_seen[name].schema == contract.schema):
                continue  # the working tree's own version, or no change since the last one
            last_seen[name] = contract
            versions[name].append(Version(contract, older[:10]))
    return versions
