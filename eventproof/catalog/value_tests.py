"""The small value tests the validators share: JSON equality and numbers, Avro decimals.

Each is used by more than one validator module (and by the code they
generate, which receives them as constants), so they live here rather than
as private helpers imported across modules.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

__all__ = [
    "Check",
    "Unsupported",
    "decimal_fits",
    "is_finite_number",
    "is_json_integer",
    "is_json_number",
    "json_equal",
    "multiple_of_float",
    "unique_items",
]

Check = Callable[[Any], bool]


class Unsupported(Exception):
    """The schema uses a keyword the generated validator does not cover; use jsonschema instead."""


def json_equal(left: Any, right: Any) -> bool:
    """Equality as JSON Schema means it: 1 == 1.0, but True != 1."""
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(json_equal, left, right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(json_equal(left[k], right[k]) for k in left)
    if type(left) in (list, dict) or type(right) in (list, dict):
        return False
    return bool(left == right)


def is_json_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def is_json_integer(v: Any) -> bool:
    if isinstance(v, bool):
        return False
    return isinstance(v, int) or (isinstance(v, float) and v.is_integer())


def unique_items(items: list[Any]) -> bool:
    return all(not json_equal(items[i], items[j]) for i in range(len(items)) for j in range(i))


def multiple_of_float(value: Any, step: float) -> bool:
    # jsonschema's arithmetic: a float quotient, exact fractions when it overflows.
    try:
        quotient = value / step
        return int(quotient) == quotient
    except OverflowError:
        return (Fraction(value) / Fraction(step)).denominator == 1


def is_finite_number(v: Any) -> bool:
    """An Avro float/double in JSON form: a number, not NaN or infinite."""
    if isinstance(v, bool) or not isinstance(v, int | float):
        return False
    return not isinstance(v, float) or math.isfinite(v)


def decimal_fits(precision: int, scale: int) -> Check:
    """An Avro decimal in JSON form: a number whose digits fit ``precision`` and ``scale``."""
    whole_limit = 10 ** (precision - scale)

    def slow(v: Any) -> bool:
        try:
            digits = Decimal(repr(v)).normalize().as_tuple()
        except InvalidOperation:
            return False
        exponent = int(digits.exponent)
        decimals = max(0, -exponent)
        whole = max(0, len(digits.digits) + exponent) if digits.digits != (0,) else 0
        return decimals <= scale and whole <= precision - scale

    def check(v: Any) -> bool:
        if isinstance(v, bool):
            return False
        if isinstance(v, int):
            return -whole_limit < v < whole_limit
        if not isinstance(v, float) or not math.isfinite(v):
            return False
        # repr gives the shortest text that round-trips, so its digits are the number's.
        text = repr(v)
        if "e" in text:
            return slow(v)
        whole, _, fraction = text.lstrip("-").partition(".")
        return len(fraction.rstrip("0")) <= scale and len(whole.lstrip("0")) <= precision - scale

    return check
