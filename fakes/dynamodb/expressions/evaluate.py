"""Evaluating parsed expressions against one item.

``Bindings`` holds one request's ExpressionAttributeNames/Values; it checks
them against the parsed expressions the way DynamoDB does (undefined and
unused references are ValidationExceptions) before anything is evaluated.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from eventproof_fakes.dynamodb.attributes import (
    AttributeValue,
    Item,
    comparable,
    normalise_value,
    type_of,
    values_equal,
)
from eventproof_fakes.dynamodb.expressions.tree import (
    And,
    Between,
    Compare,
    Condition,
    Function,
    In,
    Not,
    Operand,
    Or,
    Parsed,
    Path,
    ValueRef,
)
from eventproof_fakes.errors import validation_error

ResolvedPath = tuple[str | int, ...]
_VALID_TYPES = "{B,NULL,SS,BOOL,L,BS,N,NS,S,M}"


class Bindings:
    """One request's ExpressionAttributeNames and ExpressionAttributeValues."""

    def __init__(self, params: dict[str, Any], parsed: Iterable[Parsed]) -> None:
        names = params.get("ExpressionAttributeNames")
        values = params.get("ExpressionAttributeValues")
        expressions = [p for p in parsed if p is not None]
        if names is not None and not names:
            raise validation_error("ExpressionAttributeNames must not be empty")
        if values is not None and not values:
            raise validation_error("ExpressionAttributeValues must not be empty")
        if not expressions:
            if names:
                raise validation_error(
                    "ExpressionAttributeNames can only be specified when using expressions"
                )
            if values:
                raise validation_error(
                    "ExpressionAttributeValues can only be specified when using expressions"
                )
        self.names: dict[str, str] = names or {}
        self.values: dict[str, AttributeValue] = {}
        used_names: set[str] = set()
        used_values: set[str] = set()
        for expression in expressions:
            for name in sorted(expression.names):
                if name not in self.names:
                    raise validation_error(
                        f"Invalid {expression.kind}: An expression attribute name used in the "
                        f"document path is not defined; attribute name: {name}"
                    )
            for value in sorted(expression.values):
                if value not in (values or {}):
                    raise validation_error(
                        f"Invalid {expression.kind}: An expression attribute value used in "
                        f"expression is not defined; attribute value: {value}"
                    )
            used_names |= expression.names
            used_values |= expression.values
        unused_names = sorted(set(self.names) - used_names)
        if unused_names:
            raise validation_error(
                "Value provided in ExpressionAttributeNames unused in expressions: "
                f"keys: {{{', '.join(unused_names)}}}"
            )
        unused_values = sorted(set(values or {}) - used_values)
        if unused_values:
            raise validation_error(
                "Value provided in ExpressionAttributeValues unused in expressions: "
                f"keys: {{{', '.join(unused_values)}}}"
            )
        for name, value in (values or {}).items():
            self.values[name] = normalise_value(value)

    def resolve(self, path: Path) -> ResolvedPath:
        names = self.names
        return tuple(
            names[value] if kind == "ref" else value  # type: ignore[index]
            for kind, value in path.elements
        )


def get_path(item: Item, path: ResolvedPath) -> AttributeValue | None:
    first = path[0]
    current: AttributeValue | None = item.get(first) if isinstance(first, str) else None
    for element in path[1:]:
        if current is None:
            return None
        if isinstance(element, int):
            elements = current.get("L")
            current = (
                elements[element] if elements is not None and element < len(elements) else None
            )
        else:
            members = current.get("M")
            current = members.get(element) if members is not None else None
    return current


def operand_value(operand: Operand, item: Item, bindings: Bindings) -> AttributeValue | None:
    if isinstance(operand, ValueRef):
        return bindings.values[operand.name]
    if isinstance(operand, Path):
        return get_path(item, bindings.resolve(operand))
    value = get_path(item, bindings.resolve(operand.path))
    if value is None:
        return None
    kind, inner = next(iter(value.items()))
    if kind == "S":
        return {"N": str(len(inner))}
    if kind in ("B", "SS", "NS", "BS", "L", "M"):
        return {"N": str(len(inner))}
    return None


def matches(condition: Condition, item: Item, bindings: Bindings) -> bool:
    """Whether ``item`` (empty when there is none) satisfies ``condition``."""
    if isinstance(condition, And):
        return matches(condition.left, item, bindings) and matches(condition.right, item, bindings)
    if isinstance(condition, Or):
        return matches(condition.left, item, bindings) or matches(condition.right, item, bindings)
    if isinstance(condition, Not):
        return not matches(condition.operand, item, bindings)
    if isinstance(condition, Compare):
        return _compare(
            condition.operator,
            operand_value(condition.left, item, bindings),
            operand_value(condition.right, item, bindings),
        )
    if isinstance(condition, Between):
        value = operand_value(condition.operand, item, bindings)
        low = operand_value(condition.low, item, bindings)
        high = operand_value(condition.high, item, bindings)
        return _compare(">=", value, low) and _compare("<=", value, high)
    if isinstance(condition, In):
        value = operand_value(condition.operand, item, bindings)
        return any(
            values_equal(value, operand_value(option, item, bindings))
            for option in condition.options
        )
    return _function(condition, item, bindings)


def _compare(operator: str, left: AttributeValue | None, right: AttributeValue | None) -> bool:
    if operator == "=":
        return values_equal(left, right)
    if operator == "<>":
        # A missing value is not equal to anything (AWS: `#k <> :v` holds when #k is absent).
        return not values_equal(left, right)
    if left is None or right is None:
        return False
    pair = comparable(left, right)
    if pair is None:
        return False
    a, b = pair
    if operator == "<":
        return bool(a < b)
    if operator == "<=":
        return bool(a <= b)
    if operator == ">":
        return bool(a > b)
    return bool(a >= b)


def _function(function: Function, item: Item, bindings: Bindings) -> bool:
    name = function.name
    subject = operand_value(function.args[0], item, bindings)
    if name == "attribute_exists":
        return subject is not None
    if name == "attribute_not_exists":
        return subject is None
    argument = operand_value(function.args[1], item, bindings)
    if name == "attribute_type":
        if argument is None or type_of(argument) != "S" or argument["S"] not in _TYPE_NAMES:
            shown = next(iter(argument.values())) if argument else None
            raise validation_error(
                f"Invalid {_kind_of(bindings)}: Invalid attribute type name found; "
                f"type: {shown}, valid types: {_VALID_TYPES}"
            )
        return subject is not None and type_of(subject) == argument["S"]
    if subject is None or argument is None:
        return False
    subject_type, argument_type = type_of(subject), type_of(argument)
    if name == "begins_with":
        if subject_type != argument_type or subject_type not in ("S", "B"):
            return False
        return bool(subject[subject_type].startswith(argument[argument_type]))
    # contains
    if subject_type == "S" and argument_type == "S":
        return argument["S"] in subject["S"]
    if subject_type in ("SS", "NS", "BS") and argument_type == subject_type[0]:
        return any(values_equal({argument_type: m}, argument) for m in subject[subject_type])
    if subject_type == "L":
        return any(values_equal(element, argument) for element in subject["L"])
    return False


_TYPE_NAMES = frozenset({"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"})


def _kind_of(bindings: Bindings) -> str:
    return "ConditionExpression"
