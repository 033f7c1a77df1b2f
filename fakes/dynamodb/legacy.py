"""DynamoDB's legacy (pre-expression) parameters, translated into expressions.

``Expected``, ``ConditionalOperator``, ``AttributeUpdates``,
``AttributesToGet``, ``KeyConditions``, ``QueryFilter`` and ``ScanFilter``
are still accepted by AWS and common in older code. Each request that uses
them is rewritten into the equivalent expression request (generated
``#legacyN`` / ``:legacyN`` placeholders) and then served by the expression
machinery, so both forms share one evaluator. The rules are AWS's
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.html):
a request may not mix legacy and expression parameters, and the
ExpressionAttribute* maps belong to expressions only.
"""

from __future__ import annotations

from typing import Any

from eventproof_fakes.dynamodb.attributes import normalise_value, ordering_key, type_of
from eventproof_fakes.errors import validation_error

__all__ = ["translated"]

_INVALID = "One or more parameter values were invalid: "

# operation -> (its legacy parameters, its expression parameters)
_PARAMETERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "PutItem": (("Expected", "ConditionalOperator"), ("ConditionExpression",)),
    "DeleteItem": (("Expected", "ConditionalOperator"), ("ConditionExpression",)),
    "UpdateItem": (
        ("AttributeUpdates", "Expected", "ConditionalOperator"),
        ("UpdateExpression", "ConditionExpression"),
    ),
    "GetItem": (("AttributesToGet",), ("ProjectionExpression",)),
    "BatchGetItem": (("AttributesToGet",), ("ProjectionExpression",)),
    "Query": (
        ("KeyConditions", "QueryFilter", "AttributesToGet", "ConditionalOperator"),
        ("KeyConditionExpression", "FilterExpression", "ProjectionExpression"),
    ),
    "Scan": (
        ("ScanFilter", "AttributesToGet", "ConditionalOperator"),
        ("FilterExpression", "ProjectionExpression"),
    ),
}

# ComparisonOperator -> (argument count: exact, or None for "one or more"; allowed types)
_SCALARS = ("S", "N", "B")
_OPERATORS: dict[str, tuple[int | None, tuple[str, ...]]] = {
    "EQ": (1, ("S", "N", "B", "SS", "NS", "BS", "BOOL", "NULL", "L", "M")),
    "NE": (1, ("S", "N", "B", "SS", "NS", "BS", "BOOL", "NULL", "L", "M")),
    "LE": (1, _SCALARS),
    "LT": (1, _SCALARS),
    "GE": (1, _SCALARS),
    "GT": (1, _SCALARS),
    "CONTAINS": (1, _SCALARS),
    "NOT_CONTAINS": (1, _SCALARS),
    "BEGINS_WITH": (1, ("S", "B")),
    "IN": (None, _SCALARS),
    "BETWEEN": (2, _SCALARS),
    "NULL": (0, ()),
    "NOT_NULL": (0, ()),
}
_KEY_OPERATORS = frozenset({"EQ", "LE", "LT", "GE", "GT", "BEGINS_WITH", "BETWEEN"})
_COMPARATORS = {"EQ": "=", "NE": "<>", "LE": "<=", "LT": "<", "GE": ">=", "GT": ">"}


def translated(operation: str, params: dict[str, Any]) -> dict[str, Any]:
    """``params`` with every legacy parameter rewritten as an expression (same dict if none)."""
    legacy_names, expression_names = _PARAMETERS[operation]
    legacy = [name for name in legacy_names if params.get(name) is not None]
    if not legacy:
        return params
    expressions = [name for name in expression_names if params.get(name) is not None]
    if "KeyConditions" in legacy and "KeyConditionExpression" not in expressions:
        legacy.remove("KeyConditions")  # AWS lets KeyConditions go with a FilterExpression
    if legacy and expressions:
        raise validation_error(
            "Can not use both expression and non-expression parameters in the same request: "
            f"Non-expression parameters: {{{', '.join(legacy)}}} "
            f"Expression parameters: {{{', '.join(expressions)}}}"
        )
    if not expressions:
        if params.get("ExpressionAttributeNames") is not None:
            raise validation_error(
                "ExpressionAttributeNames can only be specified when using expressions"
            )
        if params.get("ExpressionAttributeValues") is not None:
            with_values = [n for n in expression_names if n != "ProjectionExpression"]
            verb = "are" if len(with_values) > 1 else "is"
            raise validation_error(
                "ExpressionAttributeValues can only be specified when using expressions: "
                f"{' and '.join(with_values)} {verb} null"
            )
    writer = _Writer(params)
    result = {k: v for k, v in params.items() if k not in legacy_names}
    joiner = _joiner(params)
    conditions = params.get("Expected") or params.get("QueryFilter") or params.get("ScanFilter")
    if params.get("ConditionalOperator") is not None and not conditions:
        raise validation_error(
            f"{_INVALID}ConditionalOperator can only be used with Expected, QueryFilter or "
            "ScanFilter"
        )
    if params.get("Expected"):
        result["ConditionExpression"] = joiner.join(
            writer.expected(name, condition) for name, condition in params["Expected"].items()
        )
    for filter_name in ("QueryFilter", "ScanFilter"):
        if params.get(filter_name):
            result["FilterExpression"] = joiner.join(
                writer.comparison(name, condition)
                for name, condition in params[filter_name].items()
            )
    if params.get("KeyConditions"):
        result["KeyConditionExpression"] = " AND ".join(
            writer.key_condition(name, condition)
            for name, condition in params["KeyConditions"].items()
        )
    if params.get("AttributeUpdates"):
        result["UpdateExpression"] = writer.updates(params["AttributeUpdates"])
    if params.get("AttributesToGet") is not None:
        result["ProjectionExpression"] = writer.projection(
            params["AttributesToGet"], params.get("Select")
        )
    if writer.names:
        result["ExpressionAttributeNames"] = {**params.get("ExpressionAttributeNames", {}), **writer.names}
    if writer.values:
        result["ExpressionAttributeValues"] = {
            **params.get("ExpressionAttributeValues", {}),
            **writer.values,
        }
    return result


def _joiner(params: dict[str, Any]) -> str:
    operator = params.get("ConditionalOperator") or "AND"
    if operator not in ("AND", "OR"):
        raise validation_error(
            f"1 validation error detected: Value '{operator}' at 'conditionalOperator' failed to "
            "satisfy constraint: Member must satisfy enum value set: [AND, OR]"
        )
    return f" {operator} "


class _Writer:
    """Collects the placeholders of one translated request."""

    def __init__(self, params: dict[str, Any]) -> None:
        self.names: dict[str, str] = {}
        self.values: dict[str, Any] = {}
        self._params = params

    def name(self, attribute: str) -> str:
        placeholder = f"#legacy{len(self.names)}"
        self.names[placeholder] = attribute
        return placeholder

    def value(self, value: Any) -> str:
        placeholder = f":legacy{len(self.values)}"
        self.values[placeholder] = value
        return placeholder

    # --- conditions ---------------------------------------------------------
    def expected(self, attribute: str, condition: dict[str, Any]) -> str:
        if "AttributeValueList" in condition and "Value" in condition:
            raise validation_error(
                f"{_INVALID}Value and AttributeValueList cannot be used together for "
                f"Attribute: {attribute}"
            )
        if "ComparisonOperator" in condition:
            if "Exists" in condition:
                raise validation_error(
                    f"{_INVALID}Exists and ComparisonOperator cannot be used together for "
                    f"Attribute: {attribute}"
                )
            arguments = condition.get("AttributeValueList")
            if arguments is None and "Value" in condition:
                arguments = [condition["Value"]]
            return self._compare(attribute, condition["ComparisonOperator"], arguments or [])
        if "AttributeValueList" in condition:
            raise validation_error(
                f"{_INVALID}AttributeValueList can only be used with a ComparisonOperator for "
                f"Attribute: {attribute}"
            )
        exists = condition.get("Exists")
        if exists is not False and condition.get("Value") is None:
            shown = "null" if exists is None else "true"
            raise validation_error(
                f"{_INVALID}Value must be provided when Exists is {shown} for Attribute: {attribute}"
            )
        if exists is False:
            if condition.get("Value") is not None:
                raise validation_error(
                    f"{_INVALID}Value cannot be used when Exists is false for Attribute: {attribute}"
                )
            return f"attribute_not_exists({self.name(attribute)})"
        return f"{self.name(attribute)} = {self.value(condition['Value'])}"

    def comparison(self, attribute: str, condition: dict[str, Any]) -> str:
        operator = condition.get("ComparisonOperator")
        if operator is None:
            raise validation_error(
                f"{_INVALID}ComparisonOperator must be provided for Attribute: {attribute}"
            )
        return self._compare(attribute, operator, condition.get("AttributeValueList") or [])

    def key_condition(self, attribute: str, condition: dict[str, Any]) -> str:
        operator = condition.get("ComparisonOperator")
        if operator not in _KEY_OPERATORS:
            raise validation_error("Attempted conditional constraint is not an indexable operation")
        return self.comparison(attribute, condition)

    def _compare(self, attribute: str, operator: str, arguments: list[Any]) -> str:
        if operator not in _OPERATORS:
            raise validation_error(
                f"1 validation error detected: Value '{operator}' at 'comparisonOperator' failed "
                "to satisfy constraint: Member must satisfy enum value set: "
                f"[{', '.join(sorted(_OPERATORS))}]"
            )
        count, types = _OPERATORS[operator]
        if (count is None and not arguments) or (count is not None and len(arguments) != count):
            raise validation_error(
                f"{_INVALID}Invalid number of argument(s) for the {operator} ComparisonOperator"
            )
        values = [normalise_value(argument) for argument in arguments]
        kinds = {type_of(value) for value in values}
        if len(kinds) > 1:
            raise validation_error(
                f"{_INVALID}AttributeValues inside AttributeValueList must be of same type"
            )
        for kind in kinds:
            if kind not in types:
                raise validation_error(
                    f"{_INVALID}ComparisonOperator {operator} is not valid for {kind} "
                    "AttributeValue type"
                )
        if operator == "BETWEEN" and ordering_key(values[0]) > ordering_key(values[1]):
            raise validation_error(
                "The BETWEEN condition was provided a range where the lower bound is greater "
                "than the upper bound"
            )
        path = self.name(attribute)
        if operator in _COMPARATORS:
            return f"{path} {_COMPARATORS[operator]} {self.value(values[0])}"
        if operator == "NULL":
            return f"attribute_not_exists({path})"
        if operator == "NOT_NULL":
            return f"attribute_exists({path})"
        if operator == "CONTAINS":
            return f"contains({path}, {self.value(values[0])})"
        if operator == "NOT_CONTAINS":
            return f"(NOT contains({path}, {self.value(values[0])}))"
        if operator == "BEGINS_WITH":
            return f"begins_with({path}, {self.value(values[0])})"
        if operator == "BETWEEN":
            return f"{path} BETWEEN {self.value(values[0])} AND {self.value(values[1])}"
        return f"{path} IN ({', '.join(self.value(v) for v in values)})"

    # --- updates and projections --------------------------------------------
    def updates(self, updates: dict[str, Any]) -> str:
        clauses: dict[str, list[str]] = {"SET": [], "REMOVE": [], "ADD": [], "DELETE": []}
        for attribute, update in updates.items():
            action = update.get("Action") or "PUT"
            value = update.get("Value")
            if value is None and action != "DELETE":
                raise validation_error(
                    f"{_INVALID}Only DELETE action is allowed when no attribute value is specified"
                )
            path = self.name(attribute)
            if action == "PUT":
                clauses["SET"].append(f"{path} = {self.value(value)}")
            elif action == "DELETE" and value is None:
                clauses["REMOVE"].append(path)
            elif action == "DELETE":
                clauses["DELETE"].append(f"{path} {self.value(value)}")
            elif action == "ADD" and isinstance(value, dict) and "L" in value:
                # Legacy ADD appends to a list (UpdateExpression's ADD does not take lists).
                empty = self.value({"L": []})
                clauses["SET"].append(
                    f"{path} = list_append(if_not_exists({path}, {empty}), {self.value(value)})"
                )
            elif action == "ADD":
                clauses["ADD"].append(f"{path} {self.value(value)}")
            else:
                raise validation_error(
                    f"1 validation error detected: Value '{action}' at "
                    f"'attributeUpdates.{attribute}.member.action' failed to satisfy constraint: "
                    "Member must satisfy enum value set: [ADD, PUT, DELETE]"
                )
        return " ".join(f"{verb} {', '.join(parts)}" for verb, parts in clauses.items() if parts)

    def projection(self, attributes: list[str], select: str | None) -> str:
        if select not in (None, "SPECIFIC_ATTRIBUTES"):
            raise validation_error(
                f"{_INVALID}Cannot specify the AttributesToGet when choosing to get {select}"
            )
        if not attributes:
            raise validation_error(
                "1 validation error detected: Value '[]' at 'attributesToGet' failed to satisfy "
                "constraint: Member must have length greater than or equal to 1"
            )
        seen: set[str] = set()
        for attribute in attributes:
            if attribute in seen:
                raise validation_error(
                    f"{_INVALID}Duplicate value in attribute name: {attribute}"
                )
            seen.add(attribute)
        return ", ".join(self.name(attribute) for attribute in attributes)
