"""Integers and numbers within JSON Schema bounds and ``multipleOf``.

Numbers are generated as integers first (they shrink to ``0`` or the nearest
bound and read well), then as finite floats. A float ``multipleOf`` is built
as ``k * multipleOf`` and kept only when it passes the same division check
the validator makes, so float rounding never yields a rejected value.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from eventproof.strategies.errors import StrategyError

ErrorFactory = Callable[[str, str], StrategyError]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _bounds(schema: dict[str, Any]) -> tuple[float | None, float | None, bool, bool]:
    low, high = schema.get("minimum"), schema.get("maximum")
    exclude_low = exclude_high = False
    exclusive_low, exclusive_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if _is_number(exclusive_low) and (low is None or exclusive_low >= low):
        low, exclude_low = exclusive_low, True
    if _is_number(exclusive_high) and (high is None or exclusive_high <= high):
        high, exclude_high = exclusive_high, True
    return low, high, exclude_low, exclude_high


def _integer_range(
    low: float | None, high: float | None, exclude_low: bool, exclude_high: bool
) -> tuple[int | None, int | None]:
    first = None if low is None else (math.floor(low) + 1 if exclude_low else math.ceil(low))
    last = None if high is None else (math.ceil(high) - 1 if exclude_high else math.floor(high))
    return first, last


def is_multiple(value: float, step: float) -> bool:
    """The check ``jsonschema`` makes for ``multipleOf`` (float division for float steps)."""
    if isinstance(step, float):
        try:
            quotient = value / step
            return int(quotient) == quotient
        except (OverflowError, ZeroDivisionError):
            return False
    return value % step == 0


def numbers(
    schema: dict[str, Any], *, integer: bool, error: ErrorFactory
) -> st.SearchStrategy[Any]:
    low, high, exclude_low, exclude_high = _bounds(schema)
    first, last = _integer_range(low, high, exclude_low, exclude_high)
    step = schema.get("multipleOf")

    def in_bounds(value: float) -> bool:
        above = low is None or (value > low if exclude_low else value >= low)
        below = high is None or (value < high if exclude_high else value <= high)
        return above and below

    if step is not None:
        if step <= 0:
            raise error(f"multipleOf must be positive, found {step!r}", "multipleOf")
        if isinstance(step, float) and step.is_integer():
            step = int(step)
        if isinstance(step, int) or integer:
            whole = step if isinstance(step, int) else 1
            k_first = None if first is None else -(-first // whole)
            k_last = None if last is None else last // whole
            if k_first is not None and k_last is not None and k_first > k_last:
                raise error("no multiple of multipleOf lies within the bounds", "multipleOf")
            multiples = st.integers(k_first, k_last).map(lambda k: k * whole)
            if isinstance(step, int):
                return multiples
            return multiples.filter(lambda v: is_multiple(v, step))
        k_first = None if low is None else math.ceil(low / step)
        k_last = None if high is None else math.floor(high / step)
        return (
            st.integers(k_first, k_last)
            .map(lambda k: k * step)
            .filter(lambda v: in_bounds(v) and is_multiple(v, step))
        )

    if first is not None and last is not None and first > last:
        if integer:
            raise error("no integer lies within the bounds", "minimum")
        ints = None
    else:
        ints = st.integers(first, last)
    if integer:
        assert ints is not None
        return ints
    floats = st.floats(
        min_value=low, max_value=high, exclude_min=exclude_low and low is not None,
        exclude_max=exclude_high and high is not None, allow_nan=False, allow_infinity=False,
    )
    return floats if ints is None else st.one_of(ints, floats)
