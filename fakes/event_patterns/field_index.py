"""``FieldIndex``: the branches keyed on one event field, looked up by a value of it.

A branch is filed under one of its fields with the terms that field's test
accepts (``operators.IndexTerm``). Given an event value, ``collect`` adds
every branch one of whose terms *may* accept it: exact strings, numbers
and literals by dict lookup, prefixes and suffixes by one dict lookup per
distinct length, numeric ranges by bisecting their endpoints. It never
leaves out a branch the value satisfies; ``PatternIndex`` then checks the
candidates in full. This is event-ruler's field-value automaton reduced to
one field per branch: what it saves is evaluating branches whose key field
the event cannot satisfy.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from typing import Any

from eventproof_fakes.event_patterns.operators import IndexTerm, NumericBounds, is_number

BranchIds = set[int]


class _Affixes:
    """Prefixes (or suffixes) of one kind: text -> branch ids, and the distinct lengths."""

    __slots__ = ("by_text", "lengths", "suffix")

    def __init__(self, *, suffix: bool) -> None:
        self.by_text: dict[str, BranchIds] = {}
        self.lengths: list[int] = []
        self.suffix = suffix

    def add(self, text: str, branch_id: int) -> None:
        self.by_text.setdefault(text, set()).add(branch_id)
        self._relength()

    def remove(self, text: str, branch_id: int) -> None:
        _discard(self.by_text, text, branch_id)
        self._relength()

    def _relength(self) -> None:
        self.lengths = sorted({len(text) for text in self.by_text})

    def collect(self, value: str, into: BranchIds) -> None:
        size = len(value)
        by_text = self.by_text
        for length in self.lengths:
            if length > size:
                return
            ids = by_text.get(value[size - length :] if self.suffix else value[:length])
            if ids:
                into |= ids


class _NumericRanges:
    """Ranges cut the number line at their endpoints into points and open gaps.

    Each piece knows the ranges covering it, so a value costs one bisect.
    The pieces are rebuilt on the first lookup after a change.
    """

    __slots__ = ("_pieces", "_points", "_ranges")

    def __init__(self) -> None:
        self._ranges: dict[tuple[int, NumericBounds], None] = {}
        self._points: list[float] = []
        self._pieces: list[tuple[int, ...]] | None = None

    def __len__(self) -> int:
        return len(self._ranges)

    def add(self, bounds: NumericBounds, branch_id: int) -> None:
        self._ranges[(branch_id, bounds)] = None
        self._pieces = None

    def remove(self, bounds: NumericBounds, branch_id: int) -> None:
        self._ranges.pop((branch_id, bounds), None)
        self._pieces = None

    def _build(self) -> list[tuple[int, ...]]:
        points = sorted(
            {b for _, (low, _, high, _) in self._ranges for b in (low, high) if b is not None}
        )
        # piece 2i+1 is points[i] itself; piece 2i is the open gap below it
        pieces: list[list[int]] = [[] for _ in range(2 * len(points) + 1)]
        for branch_id, (low, low_open, high, high_open) in self._ranges:
            first = 0 if low is None else 2 * bisect_left(points, low) + (2 if low_open else 1)
            last = (
                len(pieces) - 1
                if high is None
                else 2 * bisect_left(points, high) + (0 if high_open else 1)
            )
            for piece in range(first, last + 1):
                pieces[piece].append(branch_id)
        self._points = points
        self._pieces = [tuple(ids) for ids in pieces]
        return self._pieces

    def collect(self, value: float, into: BranchIds) -> None:
        pieces = self._pieces if self._pieces is not None else self._build()
        if value != value:  # NaN compares false with every bound, so every range accepts it
            into.update(branch_id for branch_id, _ in self._ranges)
            return
        points = self._points
        position = bisect_left(points, value)
        if position < len(points) and points[position] == value:
            into.update(pieces[2 * position + 1])
        else:
            into.update(pieces[2 * position])


class FieldIndex:
    """All branches keyed on one field path."""

    __slots__ = (
        "_affixes",
        "_ci",
        "_equals_ci",
        "_exact",
        "_literals",
        "_numbers",
        "_present",
        "_ranges",
    )

    def __init__(self) -> None:
        self._exact: dict[str, BranchIds] = {}
        self._numbers: dict[float, BranchIds] = {}
        self._literals: dict[str, BranchIds] = {}
        self._equals_ci: dict[str, BranchIds] = {}
        self._present: BranchIds = set()
        self._ranges = _NumericRanges()
        self._affixes = {
            "prefix": _Affixes(suffix=False),
            "suffix": _Affixes(suffix=True),
            "prefix-ci": _Affixes(suffix=False),
            "suffix-ci": _Affixes(suffix=True),
        }
        self._ci: list[_Affixes] = []  # the case-insensitive affix sets in use

    def is_empty(self) -> bool:
        return not (
            self._exact
            or self._numbers
            or self._literals
            or self._equals_ci
            or self._present
            or self._ranges
            or any(affixes.by_text for affixes in self._affixes.values())
        )

    def crowding(self, term: IndexTerm) -> int:
        """How many branches a value satisfying ``term`` would also make candidates, roughly."""
        kind, argument = term
        if kind == "exists":
            return len(self._present)
        if kind == "numeric":
            return len(self._ranges)
        if kind in self._affixes:
            return len(self._affixes[kind].by_text.get(argument, ()))
        return len(self._dict_for(kind).get(argument, ()))

    def add(self, terms: Iterable[IndexTerm], branch_id: int) -> None:
        for kind, argument in terms:
            if kind == "exists":
                self._present.add(branch_id)
            elif kind == "numeric":
                self._ranges.add(argument, branch_id)
            elif kind in self._affixes:
                self._affixes[kind].add(argument, branch_id)
            else:
                self._dict_for(kind).setdefault(argument, set()).add(branch_id)
        self._ci = [a for k, a in self._affixes.items() if k.endswith("-ci") and a.by_text]

    def remove(self, terms: Iterable[IndexTerm], branch_id: int) -> None:
        for kind, argument in terms:
            if kind == "exists":
                self._present.discard(branch_id)
            elif kind == "numeric":
                self._ranges.remove(argument, branch_id)
            elif kind in self._affixes:
                self._affixes[kind].remove(argument, branch_id)
            else:
                _discard(self._dict_for(kind), argument, branch_id)
        self._ci = [a for k, a in self._affixes.items() if k.endswith("-ci") and a.by_text]

    def _dict_for(self, kind: str) -> dict[Any, BranchIds]:
        tables: dict[str, dict[Any, BranchIds]] = {
            "string": self._exact,
            "number": self._numbers,
            "literal": self._literals,
            "equals-ci": self._equals_ci,
        }
        return tables[kind]

    def collect(self, value: Any, into: BranchIds) -> None:
        """Add to ``into`` every branch whose key test may accept ``value``."""
        if self._present:
            into |= self._present
        if isinstance(value, str):
            ids = self._exact.get(value)
            if ids:
                into |= ids
            affixes = self._affixes
            prefixes = affixes["prefix"]
            if prefixes.lengths:
                prefixes.collect(value, into)
            suffixes = affixes["suffix"]
            if suffixes.lengths:
                suffixes.collect(value, into)
            if self._equals_ci or self._ci:
                lowered = value.lower()
                ids = self._equals_ci.get(lowered)
                if ids:
                    into |= ids
                for affix in self._ci:
                    affix.collect(lowered, into)
        elif value is None or isinstance(value, bool):
            ids = self._literals.get("null" if value is None else "true" if value else "false")
            if ids:
                into |= ids
        elif is_number(value):
            ids = self._numbers.get(value)
            if ids:
                into |= ids
            if self._ranges:
                self._ranges.collect(value, into)


def _discard(table: dict[Any, BranchIds], key: Any, branch_id: int) -> None:
    ids = table.get(key)
    if ids is None:
        return
    ids.discard(branch_id)
    if not ids:
        del table[key]
