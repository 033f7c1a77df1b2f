"""``PatternIndex``: many patterns against one event, at a cost that grows slowly.

aws/event-ruler compiles all rules into one automaton, so its cost does not
depend on the number of rules. We get most of that for the usual rule set:
each pattern is filed under the exact values one of its fields must take
(``source``, ``detail-type``, or another field every branch pins to a few
strings). An event is flattened once, and only the patterns filed under its
values, plus the few that could not be filed, are evaluated.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, Generic, TypeVar

from fakes.event_patterns.matching import CompiledPattern, flatten

K = TypeVar("K", bound=Hashable)


class PatternIndex(Generic[K]):
    def __init__(self) -> None:
        self._patterns: dict[K, tuple[int, CompiledPattern]] = {}
        self._order = 0
        self._filed: dict[str, dict[str, set[K]]] = {}  # path -> value -> keys
        self._unfiled: set[K] = set()
        self._terms: dict[K, tuple[str, frozenset[str]] | None] = {}

    def __len__(self) -> int:
        return len(self._patterns)

    def __contains__(self, key: object) -> bool:
        return key in self._patterns

    def add(self, key: K, compiled: CompiledPattern) -> None:
        """File ``compiled`` under ``key``, replacing what was there."""
        if key in self._patterns:
            self.remove(key)
        self._order += 1
        self._patterns[key] = (self._order, compiled)
        terms = compiled.index_terms()
        self._terms[key] = terms
        if terms is None:
            self._unfiled.add(key)
            return
        path, values = terms
        by_value = self._filed.setdefault(path, {})
        for value in values:
            by_value.setdefault(value, set()).add(key)

    def remove(self, key: K) -> None:
        if key not in self._patterns:
            return
        del self._patterns[key]
        terms = self._terms.pop(key)
        if terms is None:
            self._unfiled.discard(key)
            return
        path, values = terms
        by_value = self._filed[path]
        for value in values:
            keys = by_value[value]
            keys.discard(key)
            if not keys:
                del by_value[value]
        if not by_value:
            del self._filed[path]

    def matching(self, event: dict[str, Any]) -> list[K]:
        """Keys of the patterns ``event`` matches, in the order they were added."""
        flat = flatten(event)
        candidates = set(self._unfiled)
        for path, by_value in self._filed.items():
            for value, _ in flat.get(path, ()):
                if isinstance(value, str):
                    keys = by_value.get(value)
                    if keys:
                        candidates.update(keys)
        found = []
        for key in candidates:
            order, compiled = self._patterns[key]
            if compiled.matches_flat(flat):
                found.append((order, key))
        found.sort(key=lambda pair: pair[0])
        return [key for _, key in found]
