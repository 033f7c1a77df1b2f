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
    "canonical",
    "decimal_fits",
    "is_finite_number",
    "is_json_integer",
    "is_json_number",
    "json_equal",
    "multiple_of",
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
    """No two items equal as JSON Schema means it, in linear time (hashes of canonical forms)."""
    seen: set[Any] = set()
    for item in items:
        key = canonical(item)
        if key in seen:
            return False
        seen.add(key)
    return True


def canonical(value: Any) -> Any:
    """A hashable form equal for exactly the values ``json_equal`` calls equal.

    Python already makes 1 == 1.0 with equal hashes; booleans are tagged so
    true != 1; a NaN (never equal, even to itself) gets a form of its own.
    """
    if value is True or value is False:
        return ("bool", value)
    if isinstance(value, float) and value != value:
        return ("nan", object())
    if isinstance(value, list):
        return ("array", tuple(canonical(item) for item in value))
    if isinstance(value, dict):
        return ("object", frozenset((key, canonical(item)) for key, item in value.items()))
    if isinstance(value, int | float):
        return ("number", value)
    return (type(value).__name__, value)


def multiple_of_float(value: Any, step: float) -> bool:
    # jsonschema's arithmetic: a float quotient, exact fractions when it overflows.
    if isinstance(value, float) and not math.isfinite(value):
        return False  # 1e400 reads as infinity: a multiple of nothing
    try:
        quotient = value / step
        return int(quotient) == quotient
    except OverflowError:
        return (Fraction(value) / Fraction(step)).denominator == 1


def multiple_of(value: Any, step: Any) -> bool:
    """JSON Schema's ``multipleOf`` for any number, infinities and huge integers included."""
    if isinstance(step, float):
        return multiple_of_float(value, step)
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return not value % step


def is_finite_number(v: Any) -> bool:
    """An Avro float/double in JSON form: a number, not NaN or infinite."""
    if isinstance(v, bool) or not isinstance(v, int | float):
        return False
    return not isinstance(v, float) or math.isfinite(v)


def decimal_fits(precision: int, scale: int) -> Check:
    """An Avro decimal in JSON form: a number whose digits fit ``precision`` and ``scale``."""
    whole_digits = precision - scale
    # 10 ** whole_digits only when it is small: a precision of 10**8 is valid Avro, and
    # computing that power up front took minutes.
    whole_limit = 10**whole_digits if whole_digits <= 64 else None

    def whole_fits(v: int) -> bool:
        if whole_limit is not None:
            return -whole_limit < v < whole_limit
        # Fewer than whole_digits digits for sure when the bit length says so.
        return abs(v).bit_length() * 0.30103 < whole_digits - 1 or abs(v) < 10**whole_digits

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
            return whole_fits(v)
        if not isinstance(v, float) or not math.isfinite(v):
            return False
        # repr gives the shortest text that round-trips, so its digits are the number's.
        text = repr(v)
        if "e" in text:
            return slow(v)
        whole, _, fraction = text.lstrip("-").partition(".")
        return len(fraction.rstrip("0")) <= scale and len(whole.lstrip("0")) <= precision - scale

    return check
