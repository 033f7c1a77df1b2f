"""``PatternIndex`` against brute force: for random patterns and events, the keys
the index returns are exactly those whose pattern ``matches`` the event alone.

Patterns use every operator the index files branches under (exact values,
prefix, suffix, equals-ignore-case and their combinations, numeric ranges,
exists) and those it cannot file (anything-but, wildcard, cidr, exists
false), with ``$or``; events put the same small vocabulary of values, in
arrays and nested objects, at the same paths, so matches are frequent.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from eventproof_fakes.event_patterns import InvalidPatternError, PatternIndex, compile_pattern

WORDS = ["", "a", "ab", "abc", "Ab", "ABC", "b", "ba", "cab", "10.0.0.1"]
NUMBERS = [-1, 0, 0.5, 1, 1.0, 2, 5, 7.25, 10, 1e20]
PATHS = ["source", "detail.a", "detail.b", "detail.c.d"]

words = st.sampled_from(WORDS)
numbers = st.sampled_from(NUMBERS)
leaf_values = st.one_of(words, numbers, st.sampled_from([None, True, False]))


@st.composite
def numeric_ranges(draw: st.DrawFn) -> dict[str, Any]:
    low, high = sorted(draw(st.lists(numbers, min_size=2, max_size=2, unique=True)))
    shape = draw(st.sampled_from(["low", "high", "both", "equal"]))
    low_op, high_op = draw(st.sampled_from([">", ">="])), draw(st.sampled_from(["<", "<="]))
    if shape == "low":
        return {"numeric": [low_op, low]}
    if shape == "high":
        return {"numeric": [high_op, high]}
    if shape == "equal":
        return {"numeric": ["=", low]}
    return {"numeric": [low_op, low, high_op, high]} if low < high else {"numeric": [low_op, low]}


operators = st.one_of(
    words,
    numbers,
    st.sampled_from([None, True, False]),
    st.builds(lambda w: {"prefix": w}, words),
    st.builds(lambda w: {"suffix": w}, words),
    st.builds(lambda w: {"equals-ignore-case": w}, words),
    st.builds(lambda w: {"prefix": {"equals-ignore-case": w}}, words),
    st.builds(lambda w: {"suffix": {"equals-ignore-case": w}}, words),
    numeric_ranges(),
    st.builds(lambda b: {"exists": b}, st.booleans()),
    st.builds(lambda w: {"anything-but": w}, st.one_of(words, st.lists(words, min_size=1))),
    st.builds(lambda w: {"anything-but": {"prefix": w}}, words.filter(bool)),
    st.builds(lambda w: {"wildcard": w + "*"}, words),
    st.just({"cidr": "10.0.0.0/24"}),
)


def nest(path: str, leaf: Any) -> dict[str, Any]:
    for part in reversed(path.split(".")):
        leaf = {part: leaf}
    return leaf


def merge(into: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    for name, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(name), dict):
            merge(into[name], value)
        else:
            into[name] = value
    return into


conditions = st.dictionaries(
    st.sampled_from(PATHS), st.lists(operators, min_size=1, max_size=3), min_size=1, max_size=3
)


@st.composite
def patterns(draw: st.DrawFn) -> dict[str, Any]:
    pattern: dict[str, Any] = {}
    for path, alternatives in draw(conditions).items():
        merge(pattern, nest(path, alternatives))
    if draw(st.booleans()):
        pattern["$or"] = [nest_all(draw(conditions)) for _ in range(draw(st.integers(2, 3)))]
    return pattern


def nest_all(fields: dict[str, list[Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for path, alternatives in fields.items():
        merge(result, nest(path, alternatives))
    return result


event_values = st.one_of(leaf_values, st.lists(leaf_values, max_size=3))


@st.composite
def events(draw: st.DrawFn) -> dict[str, Any]:
    event: dict[str, Any] = {}
    for path in draw(st.lists(st.sampled_from(PATHS), unique=True)):
        merge(event, nest(path, draw(event_values)))
    if draw(st.booleans()):  # objects inside an array, for array consistency
        element = st.fixed_dictionaries({"a": leaf_values, "b": leaf_values})
        event["detail"] = draw(st.lists(element, min_size=1, max_size=3))
    return event


@settings(max_examples=150, deadline=None)
@given(st.lists(patterns(), min_size=1, max_size=12), st.lists(events(), min_size=1, max_size=6))
def test_index_returns_exactly_the_patterns_that_match_alone(
    raw_patterns: list[dict[str, Any]], probes: list[dict[str, Any]]
) -> None:
    compiled = []
    for pattern in raw_patterns:
        try:
            compiled.append(compile_pattern(pattern))
        except InvalidPatternError:
            continue
    index: PatternIndex[int] = PatternIndex()
    for key, pattern in enumerate(compiled):
        index.add(key, pattern)
    for probe in probes:
        expected = [key for key, pattern in enumerate(compiled) if pattern.matches(probe)]
        assert index.matching(probe) == expected


@settings(max_examples=60, deadline=None)
@given(st.lists(patterns(), min_size=2, max_size=10), events(), st.data())
def test_removing_patterns_leaves_the_rest_answering_as_before(
    raw_patterns: list[dict[str, Any]], probe: dict[str, Any], data: st.DataObject
) -> None:
    compiled = {}
    for key, pattern in enumerate(raw_patterns):
        try:
            compiled[key] = compile_pattern(pattern)
        except InvalidPatternError:
            continue
    index: PatternIndex[int] = PatternIndex()
    for key, pattern in compiled.items():
        index.add(key, pattern)
    index.matching(probe)  # build the lazy parts before changing the index
    removed = data.draw(st.sets(st.sampled_from(list(compiled) or [0])))
    for key in removed:
        index.remove(key)
    expected = [k for k, p in compiled.items() if k not in removed and p.matches(probe)]
    assert index.matching(probe) == expected
