"""DynamoDB AttributeValues: validation, exact numbers, ordering, equality and size.

Items are kept in AttributeValue form (``{"S": "x"}``), exactly as the wire
carries them, so what a caller reads back is what DynamoDB would return.
Numbers are validated and normalised as DynamoDB does (up to 38 significant
digits, leading and trailing zeros trimmed) and compared as exact
``Decimal`` values, never as floats.
"""

from __future__ import annotations

import re
from decimal import Context, Decimal, InvalidOperation, localcontext
from typing import Any

from eventproof_fakes.errors import validation_error
from eventproof_fakes.limits import DYNAMODB_MAX_NESTING_DEPTH

AttributeValue = dict[str, Any]
Item = dict[str, AttributeValue]

SCALAR_TYPES = frozenset({"S", "N", "B", "BOOL", "NULL"})
SET_TYPES = frozenset({"SS", "NS", "BS"})
ALL_TYPES = SCALAR_TYPES | SET_TYPES | {"M", "L"}
KEY_TYPES = frozenset({"S", "N", "B"})

_INVALID = "One or more parameter values were invalid: "
_EMPTY_SET_MESSAGES = {
    # AWS's own wording, double space included.
    "SS": _INVALID + "An string set  may not be empty",
    "NS": _INVALID + "An number set  may not be empty",
    "BS": _INVALID + "Binary sets should not be empty",
}
_MAX_NUMBER = Decimal("9.9999999999999999999999999999999999999E+125")
_MIN_NUMBER = Decimal("1E-130")
_WIDE = Context(prec=100)
_TOO_DEEP = (
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
    "beyond supported limit"
)


def check_nesting(item: Item) -> None:
    """AWS's 32-level document limit, checked without recursion (e.g. after an update)."""
    pending: list[tuple[Any, int]] = [(value, 0) for value in item.values()]
    while pending:
        value, depth = pending.pop()
        if depth >= DYNAMODB_MAX_NESTING_DEPTH:
            raise validation_error(_TOO_DEEP)
        if "M" in value:
            pending.extend((child, depth + 1) for child in value["M"].values())
        elif "L" in value:
            pending.extend((child, depth + 1) for child in value["L"])
# Already canonical, and at most 38 characters so within every limit: no
# leading zero, no trailing fractional zero, no exponent. Most numbers look
# like this; they skip the Decimal round trip.
_CANONICAL_NUMBER = re.compile(r"-?(?:[1-9][0-9]*|(?:0|[1-9][0-9]*)\.[0-9]*[1-9])")


def normalise_number(text: Any) -> str:
    """DynamoDB's canonical text for a number; ValidationException when it is not one."""
    if not isinstance(text, str):
        raise validation_error("A value provided cannot be converted into a number")
    if len(text) <= 38 and _CANONICAL_NUMBER.fullmatch(text):
        return text
    try:
        with localcontext() as context:
            context.prec = 100
            number = Decimal(text.strip())
    except InvalidOperation:
        raise validation_error("A value provided cannot be converted into a number") from None
    if not number.is_finite():
        raise validation_error("A value provided cannot be converted into a number")
    if number == 0:
        return "0"
    # Decide the range on the exponent first: normalising 1e999999999 would overflow Decimal itself.
    if number.adjusted() > 125:
        raise validation_error(
            "Number overflow. Attempting to store a number with magnitude larger than supported range"
        )
    if number.adjusted() < -130:
        raise validation_error(
            "Number underflow. Attempting to store a number with magnitude smaller than supported range"
        )
    normalised = number.normalize(_WIDE)
    if len(normalised.as_tuple().digits) > 38:
        raise validation_error("Attempting to store more than 38 significant digits in a Number")
    magnitude = normalised.copy_abs()  # exact: abs() would round to the default 28 digits
    if magnitude > _MAX_NUMBER:
        raise validation_error(
            "Number overflow. Attempting to store a number with magnitude larger than supported range"
        )
    if magnitude < _MIN_NUMBER:
        raise validation_error(
            "Number underflow. Attempting to store a number with magnitude smaller than supported range"
        )
    return format(normalised, "f")


def _binary(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    raise validation_error(f"Invalid binary value: {value!r}")


def normalise_value(value: Any, depth: int = 0) -> AttributeValue:
    """A validated, normalised copy of one AttributeValue as the caller sent it."""
    if not isinstance(value, dict) or len(value) != 1:
        raise validation_error(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one "
            "of the supported datatypes"
            if isinstance(value, dict) and value
            else "Supplied AttributeValue is empty, must contain exactly one of the supported "
            "datatypes"
        )
    ((kind, inner),) = value.items()
    if depth >= DYNAMODB_MAX_NESTING_DEPTH:
        raise validation_error(_TOO_DEEP)
    if kind == "S":
        return {"S": inner}
    if kind == "N":
        return {"N": normalise_number(inner)}
    if kind == "B":
        return {"B": _binary(inner)}
    if kind == "BOOL":
        return {"BOOL": bool(inner)}
    if kind == "NULL":
        if inner is not True:
            raise validation_error(
                _INVALID + "Null attribute value types must have the value of true"
            )
        return {"NULL": True}
    if kind == "M":
        return {"M": {name: normalise_value(v, depth + 1) for name, v in inner.items()}}
    if kind == "L":
        return {"L": [normalise_value(v, depth + 1) for v in inner]}
    if kind in SET_TYPES:
        if not inner:
            raise validation_error(_EMPTY_SET_MESSAGES[kind])
        if kind == "SS":
            members: list[Any] = list(inner)
        elif kind == "NS":
            members = [normalise_number(n) for n in inner]
        else:
            members = [_binary(b) for b in inner]
        keys = [Decimal(m) for m in members] if kind == "NS" else members
        if len(set(keys)) != len(keys):
            shown = ", ".join(str(m) for m in inner)
            raise validation_error(_INVALID + f"Input collection [{shown}] contains duplicates.")
        return {kind: members}
    raise validation_error(f"{_INVALID}Unknown AttributeValue type {kind!r}")


def normalise_item(item: Any) -> Item:
    if not isinstance(item, dict):
        raise validation_error("Item must be a map of attribute names to AttributeValues")
    return {name: normalise_value(value) for name, value in item.items()}


def copy_value(value: AttributeValue) -> AttributeValue:
    """A copy deep enough that a caller mutating it cannot reach the table."""
    ((kind, inner),) = value.items()
    if kind == "M":
        return {"M": {k: copy_value(v) for k, v in inner.items()}}
    if kind == "L":
        return {"L": [copy_value(v) for v in inner]}
    if kind in SET_TYPES:
        return {kind: list(inner)}
    return {kind: inner}


def copy_item(item: Item) -> Item:
    return {name: copy_value(value) for name, value in item.items()}


def type_of(value: AttributeValue) -> str:
    return next(iter(value))


def canonical(value: AttributeValue) -> Any:
    """A hashable form in which two AttributeValues are equal exactly when DynamoDB says so."""
    ((kind, inner),) = value.items()
    if kind == "N":
        return ("N", Decimal(inner))
    if kind == "NS":
        return ("NS", frozenset(Decimal(n) for n in inner))
    if kind in ("SS", "BS"):
        return (kind, frozenset(inner))
    if kind == "M":
        return ("M", frozenset((k, canonical(v)) for k, v in inner.items()))
    if kind == "L":
        return ("L", tuple(canonical(v) for v in inner))
    return (kind, inner)


def values_equal(left: AttributeValue | None, right: AttributeValue | None) -> bool:
    if left is None or right is None:
        return False
    return canonical(left) == canonical(right)


def items_equal(left: Item, right: Item) -> bool:
    if left.keys() != right.keys():
        return False
    return all(canonical(left[name]) == canonical(right[name]) for name in left)


def ordering_key(value: AttributeValue) -> Any:
    """Sort order of a key value: numbers numerically, strings and binary by bytes."""
    ((kind, inner),) = value.items()
    if kind == "N":
        return Decimal(inner)
    if kind == "S":
        return inner.encode("utf-8")
    return inner


def comparable(left: AttributeValue, right: AttributeValue) -> tuple[Any, Any] | None:
    """Both values in a form ``<`` can order, or None when DynamoDB cannot order them."""
    kind = type_of(left)
    if kind != type_of(right) or kind not in KEY_TYPES:
        return None
    return ordering_key(left), ordering_key(right)


# --- sizes: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html


def value_size(value: AttributeValue) -> int:
    ((kind, inner),) = value.items()
    if kind == "S":
        return len(inner) if inner.isascii() else len(inner.encode("utf-8"))
    if kind == "N":
        return number_size(inner)
    if kind == "B":
        return len(inner)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(s.encode("utf-8")) for s in inner)
    if kind == "NS":
        return sum(number_size(n) for n in inner)
    if kind == "BS":
        return sum(len(b) for b in inner)
    if kind == "L":
        return 3 + sum(value_size(v) + 1 for v in inner)
    return 3 + sum(len(k.encode("utf-8")) + value_size(v) + 1 for k, v in inner.items())


def number_size(text: str) -> int:
    """One byte per two significant digits plus one, as DynamoDB documents it."""
    digits = text.lstrip("-").replace(".", "").strip("0") or "0"
    return (len(digits) + 1) // 2 + 1


def item_size(item: Item) -> int:
    return sum(
        (len(name) if name.isascii() else len(name.encode("utf-8"))) + value_size(value)
        for name, value in item.items()
    )
