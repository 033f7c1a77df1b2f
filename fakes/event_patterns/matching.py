"""Matching a compiled pattern against an event.

The event is flattened into dotted leaf paths (``detail.state``), each
with its values and, for values inside arrays, the trail of (array, index)
pairs that led there. ``CompiledPattern.matches`` flattens only the paths
its branches name (a pipe filter on ``eventName`` never walks the images);
``PatternIndex`` flattens the whole event once for all its patterns. A branch matches when every field has a value its
test accepts and the chosen values are *array consistent*: two values that
sit in the same array must come from the same element (event-ruler's rule:
``{"a": [{"b": 1, "c": 2}, {"b": 3, "c": 4}]}`` does not match
``{"a": {"b": [1], "c": [4]}}``).
"""

from __future__ import annotations

import json
from typing import Any

from eventproof_fakes.event_patterns.compiler import Branch, compile_branches, parse_pattern_text
from eventproof_fakes.event_patterns.errors import DIALECTS, InvalidPatternError, PatternProblem
from eventproof_fakes.event_patterns.operators import FieldTest

Trail = tuple[tuple[int, int], ...]
FlatEvent = dict[str, list[tuple[Any, Trail]]]


def flatten(event: dict[str, Any]) -> FlatEvent:
    flat: FlatEvent = {}
    array_ids = iter(range(1 << 62))
    stack: list[tuple[str, Any, Trail]] = [(name, value, ()) for name, value in event.items()]
    while stack:
        path, value, trail = stack.pop()
        if isinstance(value, dict):
            stack.extend((f"{path}.{key}", item, trail) for key, item in value.items())
        elif isinstance(value, list):
            array_id = next(array_ids)
            stack.extend(
                (path, item, (*trail, (array_id, index))) for index, item in enumerate(value)
            )
        else:
            flat.setdefault(path, []).append((value, trail))
    return flat


# Keyed by object path; None is the event itself (distinct from the path "",
# an object under an empty key, whose children are ".key").
DescentPlan = dict[str | None, tuple[tuple[str, str], ...]]


def descent_plan(paths: set[str]) -> DescentPlan:
    """For each object path on the way to ``paths``, the keys worth looking up in it,
    each with the path of the value found under it (built once, not per event).

    Event keys may contain dots (``{"a.b": 1}`` flattens to ``a.b`` as
    ``{"a": {"b": 1}}`` does), so every dotted prefix of a path is a possible
    parent, and every dotted prefix of the rest a possible key in it.
    """
    plan: dict[str, set[str]] = {}
    for path in paths:
        for cut in (-1, *_dot_positions(path)):
            parent, rest = ("", path) if cut < 0 else (path[:cut], path[cut + 1 :])
            keys = plan.setdefault(parent, set())
            keys.add(rest)
            keys.update(rest[:c] for c in _dot_positions(rest))
    descent: DescentPlan = {
        parent: tuple((key, f"{parent}.{key}") for key in sorted(keys))
        for parent, keys in plan.items()
    }
    descent[None] = tuple((key, key) for key in sorted(plan.get("", ())))
    return descent


def _dot_positions(text: str) -> list[int]:
    return [index for index, char in enumerate(text) if char == "."]


def flatten_paths(event: dict[str, Any], plan: DescentPlan, wanted: frozenset[str]) -> FlatEvent:
    """``flatten(event)`` restricted to the leaf paths in ``wanted`` (same values, same trails).

    Scalars met while walking an object are filed at once rather than
    pushed on the stack: most of an event's values are scalars.
    """
    flat: FlatEvent = {}
    array_ids = iter(range(1 << 62))
    stack: list[tuple[str | None, Any, Trail]] = [(None, event, ())]
    pop, push = stack.pop, stack.append
    while stack:
        path, value, trail = pop()
        if isinstance(value, dict):
            for key, child_path in plan.get(path, ()):
                if key in value:
                    child = value[key]
                    if isinstance(child, dict | list):
                        push((child_path, child, trail))
                    elif child_path in wanted:
                        values = flat.get(child_path)
                        if values is None:
                            flat[child_path] = [(child, trail)]
                        else:
                            values.append((child, trail))
        elif isinstance(value, list):
            array_id = next(array_ids)
            stack.extend(
                (path, item, (*trail, (array_id, index))) for index, item in enumerate(value)
            )
        elif path in wanted:
            values = flat.get(path)
            if values is None:
                flat[path] = [(value, trail)]
            else:
                values.append((value, trail))
    return flat


class CompiledPattern:
    """A validated pattern; ``matches(event)`` answers as AWS's TestEventPattern would."""

    __slots__ = ("_plan", "_wanted", "branches", "dialect", "source")

    def __init__(self, branches: list[Branch], dialect: str, source: Any) -> None:
        self.branches = branches
        self.dialect = dialect
        self.source = source
        paths = {path for branch in branches for path in branch}
        self._wanted = frozenset(paths)
        self._plan = descent_plan(paths)

    def matches(self, event: dict[str, Any]) -> bool:
        return self.matches_flat(flatten_paths(event, self._plan, self._wanted))

    def matches_flat(self, flat: FlatEvent) -> bool:
        return any(branch_matches(branch, flat) for branch in self.branches)

    def __repr__(self) -> str:
        return f"CompiledPattern({self.source!r}, dialect={self.dialect!r})"


def branch_matches(branch: Branch, flat: FlatEvent) -> bool:
    constrained: list[list[Trail]] = []
    for path, test in branch.items():
        values = flat.get(path)
        if not values:
            if test.absent_ok:
                continue
            return False
        if not test.needs_value:
            return False  # only {"exists": false}, and the field is there
        trails = _accepted_trails(test, values)
        if trails is None:
            continue
        if not trails:
            return False
        constrained.append(trails)
    if len(constrained) < 2:
        return True
    constrained.sort(key=len)
    return _consistent_choice(constrained, 0, {})


def _accepted_trails(test: FieldTest, values: list[tuple[Any, Trail]]) -> list[Trail] | None:
    """Trails of accepted values; None when one accepted value is outside any array."""
    trails: list[Trail] = []
    for value, trail in values:
        if test.accepts(value):
            if not trail:
                return None
            trails.append(trail)
    return trails


def _consistent_choice(fields: list[list[Trail]], position: int, chosen: dict[int, int]) -> bool:
    if position == len(fields):
        return True
    for trail in fields[position]:
        if all(chosen.get(array_id, index) == index for array_id, index in trail):
            added = [array_id for array_id, _ in trail if array_id not in chosen]
            chosen.update(trail)
            if _consistent_choice(fields, position + 1, chosen):
                return True
            for array_id in added:
                del chosen[array_id]
    return False


def compile_pattern(
    pattern: dict[str, Any] | str, *, dialect: str = "eventbridge"
) -> CompiledPattern:
    """Validate ``pattern`` as ``dialect`` ("eventbridge" or "sns") and compile it.

    EventBridge, Lambda ``FilterCriteria`` and Pipes filters use the
    "eventbridge" dialect. "sns" follows SNS filter policies: no
    ``wildcard``, only ``prefix`` inside ``anything-but``, at most 5 keys
    and 150 combinations; its messages start ``FilterPolicy: ``.
    """
    if dialect not in DIALECTS:
        raise ValueError(f"unknown pattern dialect {dialect!r}; expected one of {DIALECTS}")
    try:
        parsed = parse_pattern_text(pattern) if isinstance(pattern, str) else pattern
        branches = compile_branches(parsed, dialect)
    except PatternProblem as problem:
        raise InvalidPatternError.for_dialect(problem.reason, dialect) from None
    source = pattern if isinstance(pattern, str) else json.dumps(pattern)
    return CompiledPattern(branches, dialect, source)
