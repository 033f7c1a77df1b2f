"""Each contract's version history from git, each change with its compatibility verdict.

The catalog folder is read at the last ``limit`` commits that touched it
(``eventproof.compat.history``); a contract's schema that differs from the
one before is a new entry, judged by ``eventproof.compat.compare_versions``
under the contract's own compatibility mode. Without git or a repository the
pages say so.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from eventproof.catalog import Catalog, Contract
from eventproof.compat import Version, compare_versions
from eventproof.compat.history import catalog_at
from eventproof.errors import EventproofError

__all__ = ["Change", "History", "read_history"]


@dataclass(frozen=True)
class Change:
    label: str  # a short commit, or "working tree"
    date: str
    subject: str
    version: str
    verdict: str  # "first version", "compatible", "INCOMPATIBLE"
    mode: str = ""
    findings: tuple[str, ...] = ()


@dataclass
class History:
    available: bool
    why: str = ""  # when not available
    changes: dict[str, list[Change]] = field(default_factory=dict)  # contract -> oldest first


def _log(folder: Path, limit: int) -> list[tuple[str, str, str]]:
    done = subprocess.run(
        ["git", "log", f"--max-count={limit}", "--format=%H%x1f%cs%x1f%s", "--", "."],
        cwd=folder, capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0:
        raise EventproofError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "git log failed")
    rows = [line.split("\x1f") for line in done.stdout.splitlines() if line]
    return [(row[0], row[1], row[2]) for row in rows if len(row) == 3]


def _body(contract: Contract) -> str:
    return json.dumps(contract.schema, sort_keys=True)


def read_history(folder: Path, current: Catalog, *, limit: int = 10, examples: int = 5) -> History:
    """The history of every contract in ``current`` (read from ``folder``) over ``limit`` commits."""
    if limit <= 0:
        return History(False, "version history is off (--history 0)")
    if not folder.is_dir():
        return History(False, "the contracts are one document, not a folder under git")
    try:
        commits = _log(folder, limit)
    except (OSError, subprocess.TimeoutExpired, EventproofError) as error:
        return History(False, f"no git history: {error}")
    versions: dict[str, list[tuple[Version, str, str, str]]] = {}
    for commit, date, subject in reversed(commits):
        try:
            with catalog_at(commit, folder) as old:
                for contract in old or ():
                    _add(versions, contract, commit[:8], date, subject)
        except EventproofError:
            continue  # a commit whose catalog did not load: not a version anyone could use
    for contract in current:
        _add(versions, contract, "working tree", "", "uncommitted changes")
    history = History(True)
    for name, entries in versions.items():
        if name not in current:
            continue
        changes: list[Change] = []
        for index, (version, date, subject, number) in enumerate(entries):
            if index == 0:
                changes.append(Change(version.label, date, subject, number, "first version"))
                continue
            try:
                comparison = compare_versions([entries[index - 1][0], version], examples=examples)
            except EventproofError as error:
                changes.append(Change(version.label, date, subject, number, f"not compared: {error}"))
                continue
            findings = tuple(f"{r.direction.value}: {finding.render()}" for r in comparison.results
                             for finding in r.findings)
            changes.append(Change(version.label, date, subject, number,
                                  "compatible" if comparison.compatible else "INCOMPATIBLE",
                                  comparison.choice.mode.name, findings))
        history.changes[name] = changes
    return history


def _add(versions: dict[str, list[tuple[Version, str, str, str]]], contract: Contract,
         label: str, date: str, subject: str) -> None:
    entries = versions.setdefault(contract.name, [])
    if entries and _body(entries[-1][0].contract) == _body(contract):
        return
    entries.append((Version(contract, label), date, subject, contract.version))
