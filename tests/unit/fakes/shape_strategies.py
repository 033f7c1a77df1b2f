"""Hypothesis strategies for botocore input shapes (what a caller could pass to a client).

Values respect what botocore's validator checks (types, required members,
minimum lengths and values), so each example reaches the fake. Strings are
drawn partly from ``NAMES`` (resources the fuzz test creates) so that calls
get past "not found" into the fake's deeper paths.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from hypothesis import strategies as st

NAMES = [
    "Things",
    "q",
    "q.fifo",
    "topic",
    "bus",
    "f",
    "rule",
    "pk",
    "default",
    "arn:aws:sqs:us-east-1:123456789012:q",
    "arn:aws:sns:us-east-1:123456789012:topic",
    "arn:aws:lambda:us-east-1:123456789012:function:f",
    "arn:aws:dynamodb:us-east-1:123456789012:table/Things",
    "https://sqs.us-east-1.amazonaws.com/123456789012/q",
    "SET #a = :v",
    "#a = :v",
    "attribute_exists(pk)",
    '{"source": ["x"]}',
    "{}",
    "",
]
_MAX_DEPTH = 4


def for_shape(shape: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    kind = shape.type_name
    if kind == "structure":
        return _structure(shape, depth)
    if kind == "list":
        if depth >= _MAX_DEPTH:
            return st.just([])
        low = shape.metadata.get("min", 0)
        return st.lists(for_shape(shape.member, depth + 1), min_size=low, max_size=max(low, 3))
    if kind == "map":
        if depth >= _MAX_DEPTH:
            return st.just({})
        return st.dictionaries(
            _string(shape.key), for_shape(shape.value, depth + 1), max_size=3
        )
    if kind == "string":
        return _string(shape)
    if kind in ("integer", "long"):
        # Bounded: a count the fake would allocate for (shards, parts) must not
        # exhaust a shared machine; the bound still far exceeds AWS's quotas.
        low = shape.metadata.get("min", -(2**31))
        return st.integers(min_value=low, max_value=max(low, 100_000))
    if kind in ("double", "float"):
        return st.floats(allow_nan=True, allow_infinity=True)
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return st.datetimes(timezones=st.just(UTC))
    if kind == "blob":
        return st.binary(max_size=20) | st.text(max_size=10)
    return st.none()


def _string(shape: Any) -> st.SearchStrategy[str]:
    enum = shape.enum if hasattr(shape, "enum") else []
    low = shape.metadata.get("min", 0)
    text = st.text(min_size=low, max_size=max(low, 12))
    named = st.sampled_from([n for n in NAMES if len(n) >= low] or ["x" * low])
    if enum:
        return st.sampled_from(list(enum)) | text
    return named | text


def _structure(shape: Any, depth: int) -> st.SearchStrategy[dict[str, Any]]:
    required = set(shape.required_members)
    members = shape.members
    if depth >= _MAX_DEPTH and not required:
        return st.just({})
    if shape.metadata.get("union"):
        choices = [st.fixed_dictionaries({name: for_shape(m, depth + 1)}) for name, m in members.items()]
        return st.one_of(choices) if choices else st.just({})
    fixed = {name: for_shape(members[name], depth + 1) for name in required}
    optional = {
        name: for_shape(member, depth + 1)
        for name, member in members.items()
        if name not in required and depth < _MAX_DEPTH
    }
    return st.fixed_dictionaries(fixed, optional=optional)
