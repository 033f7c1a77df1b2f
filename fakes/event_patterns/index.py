"""``PatternIndex``: many patterns against one event, at a cost that grows slowly.

aws/event-ruler compiles all rules into one automaton, so its cost does not
depend on the number of rules. We get most of that with a narrower
structure: every branch of every pattern is filed under one *key field*, a
field it requires a value for, by the values that field accepts (exact
strings, numbers, literals, prefixes, suffixes, case-insensitive forms,
numeric ranges, or mere presence; see ``field_index``). An event is
flattened once, on the paths the patterns name; each of its values at a
key path is looked up, and only the branches found, plus the few with no
usable key field (only ``anything-but``, ``wildcard``, ``cidr``,
``exists: false``...), are checked in full. The lookup is a necessary
condition only, so the full check decides every outcome exactly as
``CompiledPattern.matches`` would.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, Generic, TypeVar

from eventproof_fakes.event_patterns.compiler import Branch
from eventproof_fakes.event_patterns.field_index import FieldIndex
from eventproof_fakes.event_patterns.matching import (
    CompiledPattern,
    DescentPlan,
    branch_matches,
    descent_plan,
    flatten_paths,
)
from eventproof_fakes.event_patterns.operators import FieldTest, IndexTerm

K = TypeVar("K", bound=Hashable)

# How well each kind of term narrows the candidates: exact values best,
# mere presence worst. A key field ranks by its loosest alternative.
_KIND_RANK = {
    "string": 0,
    "number": 0,
    "literal": 0,
    "equals-ci": 1,
    "prefix": 2,
    "suffix": 2,
    "prefix-ci": 2,
    "suffix-ci": 2,
    "numeric": 3,
    "exists": 4,
}
_PREFERRED_PATHS = {"source": 0, "detail-type": 1}

Key = tuple[str, list[IndexTerm]]


class PatternIndex(Generic[K]):
    def __init__(self) -> None:
        self._patterns: dict[K, tuple[int, CompiledPattern, list[int]]] = {}
        self._order = 0
        self._branches: dict[int, tuple[int, K, Branch, Key | None]] = {}
        self._next_branch_id = 0
        self._fields: dict[str, FieldIndex] = {}
        self._unfiled: set[int] = set()
        self._plan: tuple[DescentPlan, frozenset[str]] | None = None

    def __len__(self) -> int:
        return len(self._patterns)

    def __contains__(self, key: object) -> bool:
        return key in self._patterns

    def add(self, key: K, compiled: CompiledPattern) -> None:
        """File ``compiled`` under ``key``, replacing what was there."""
        if key in self._patterns:
            self.remove(key)
        self._order += 1
        branch_ids = []
        for branch in compiled.branches:
            branch_id = self._next_branch_id
            self._next_branch_id += 1
            branch_key = self._choose_key(branch)
            self._branches[branch_id] = (self._order, key, branch, branch_key)
            if branch_key is None:
                self._unfiled.add(branch_id)
            else:
                path, terms = branch_key
                self._fields.setdefault(path, FieldIndex()).add(terms, branch_id)
            branch_ids.append(branch_id)
        self._patterns[key] = (self._order, compiled, branch_ids)
        self._plan = None

    def remove(self, key: K) -> None:
        if key not in self._patterns:
            return
        _, _, branch_ids = self._patterns.pop(key)
        for branch_id in branch_ids:
            *_, branch_key = self._branches.pop(branch_id)
            if branch_key is None:
                self._unfiled.discard(branch_id)
                continue
            path, terms = branch_key
            field = self._fields[path]
            field.remove(terms, branch_id)
            if field.is_empty():
                del self._fields[path]
        self._plan = None

    def matching(self, event: dict[str, Any]) -> list[K]:
        """Keys of the patterns ``event`` matches, in the order they were added."""
        if self._plan is None:
            paths = {path for _, _, branch, _ in self._branches.values() for path in branch}
            self._plan = (descent_plan(paths), frozenset(paths))
        flat = flatten_paths(event, *self._plan)
        candidates = set(self._unfiled)
        fields = self._fields
        for path, values in flat.items():
            field = fields.get(path)
            if field is not None:
                for value, _ in values:
                    field.collect(value, candidates)
        found: dict[K, int] = {}
        branches = self._branches
        for branch_id in candidates:
            order, key, branch, _ = branches[branch_id]
            if key not in found and branch_matches(branch, flat):
                found[key] = order
        return sorted(found, key=found.__getitem__)

    def _choose_key(self, branch: Branch) -> Key | None:
        """The field whose accepted values should narrow this branch's candidates most."""
        best: tuple[tuple[int, int, int, str], Key] | None = None
        for path, test in branch.items():
            terms = _key_terms(test)
            if terms is None:
                continue
            field = self._fields.get(path)
            crowding = 0 if field is None else max(field.crowding(term) for term in terms)
            rank = max(_term_rank(term) for term in terms)
            score = (rank, crowding, _PREFERRED_PATHS.get(path, 2), path)
            if best is None or score < best[0]:
                best = (score, (path, terms))
        return None if best is None else best[1]


def _key_terms(test: FieldTest) -> list[IndexTerm] | None:
    """The test's terms when every value it accepts is found by them, else None."""
    if test.absent_ok or not test.needs_value:
        return None
    if test.any_value:
        return [("exists", None)]
    return test.index_terms or None


def _term_rank(term: IndexTerm) -> int:
    kind, argument = term
    if kind in ("prefix", "suffix", "prefix-ci", "suffix-ci") and not argument:
        return _KIND_RANK["exists"]  # "" is an affix of every string
    return _KIND_RANK[kind]
