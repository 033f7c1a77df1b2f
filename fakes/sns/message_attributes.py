"""SNS message attribute validation and the forms other services see them in."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from eventproof_fakes import limits
from eventproof_fakes.sns.errors import invalid_parameter, parameter_value_invalid

_NAME_CHARACTER = re.compile(r"[A-Za-z0-9_\-.]")


def _check_name(name: str) -> None:
    if len(name.encode("utf-8")) >= 256:
        raise parameter_value_invalid("Length of message attribute name must be less than 256 bytes.")
    for character in name:
        if not _NAME_CHARACTER.match(character):
            raise parameter_value_invalid(
                f"Invalid non-alphanumeric character '#x{ord(character):X}' was found in the "
                "message attribute name. Can only include alphanumeric characters, hyphens, "
                "underscores, or dots."
            )
    if name.startswith("."):
        raise parameter_value_invalid(
            "Invalid message attribute name starting with character '.' was found."
        )
    if name.endswith("."):
        raise parameter_value_invalid(
            "Invalid message attribute name ending with character '.' was found."
        )
    if ".." in name:
        raise parameter_value_invalid("Message attribute name can not have successive '.' character.")


def checked_attributes(
    attributes: Mapping[str, Mapping[str, Any]] | None,
) -> dict[str, dict[str, Any]]:
    """Validate attributes in API form ``{Name: {DataType, StringValue|BinaryValue}}``."""
    if not attributes:
        return {}
    if len(attributes) > limits.SNS_MAX_MESSAGE_ATTRIBUTES:
        raise invalid_parameter(
            f"MessageAttributes Reason: Number of message attributes [{len(attributes)}] "
            f"exceeds the allowed maximum [{limits.SNS_MAX_MESSAGE_ATTRIBUTES}]."
        )
    clean: dict[str, dict[str, Any]] = {}
    for name, attribute in attributes.items():
        _check_name(name)
        data_type = attribute.get("DataType", "")
        base = data_type.split(".", 1)[0]
        if base not in ("String", "Number", "Binary"):
            raise parameter_value_invalid(
                f"The message attribute '{name}' has an invalid message attribute type, the set "
                "of supported type prefixes is Binary, Number, and String."
            )
        field = "Binary" if base == "Binary" else "String"
        value = attribute.get(f"{field}Value")
        other = "String" if field == "Binary" else "Binary"
        if value is None and attribute.get(f"{other}Value") is not None:
            raise parameter_value_invalid(
                f"The message attribute '{name}' with type '{base}' must use field '{field}'."
            )
        if value is None or len(value) == 0:
            raise parameter_value_invalid(
                f"The message attribute '{name}' must contain non-empty message attribute value "
                f"for message attribute type '{base}'."
            )
        if base == "Number":
            _check_number(name, value)
        if data_type == "String.Array":
            _check_string_array(name, value)
        clean[name] = {"DataType": data_type, f"{field}Value": value}
    return clean


def _check_number(name: str, value: str) -> None:
    try:
        Decimal(value)
    except InvalidOperation:
        raise parameter_value_invalid(
            f"Could not cast message attribute '{name}' value to number."
        ) from None


def _check_string_array(name: str, value: str) -> None:
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    # AWS documents the members: strings, numbers and the keywords true, false, null.
    if not isinstance(parsed, list) or any(isinstance(m, dict | list) for m in parsed):
        raise parameter_value_invalid(
            f"The message attribute '{name}' with type 'String.Array' has an invalid value."
        )


def attributes_size(attributes: Mapping[str, Mapping[str, Any]]) -> int:
    size = 0
    for name, attribute in attributes.items():
        size += len(name.encode()) + len(attribute["DataType"].encode())
        value = attribute.get("StringValue", attribute.get("BinaryValue"))
        size += len(value) if isinstance(value, bytes) else len(str(value).encode())
    return size


def envelope_form(attributes: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, str]]:
    """``{Name: {Type, Value}}`` as in the SNS JSON envelope (binary values base64)."""
    converted: dict[str, dict[str, str]] = {}
    for name, attribute in attributes.items():
        if "BinaryValue" in attribute:
            value = base64.b64encode(attribute["BinaryValue"]).decode("ascii")
        else:
            value = attribute["StringValue"]
        converted[name] = {"Type": attribute["DataType"], "Value": value}
    return converted


def matching_form(attributes: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """``{name: value}`` for filter policies: numbers as numbers, String.Array as a list.

    Binary attributes are left out: SNS filter policies do not match them.
    """
    values: dict[str, Any] = {}
    for name, attribute in attributes.items():
        data_type = attribute["DataType"]
        if data_type.startswith("Binary"):
            continue
        raw = attribute["StringValue"]
        if data_type.startswith("Number"):
            values[name] = filter_number(Decimal(raw))
        elif data_type == "String.Array":
            values[name] = [
                filter_number(Decimal(repr(m))) if _is_number(m) else m for m in json.loads(raw)
            ]
        else:
            values[name] = raw
    return values


_PRECISION = Decimal("0.00001")


def filter_number(number: Decimal) -> int | float:
    """A number as SNS filtering sees it: five digits of accuracy after the decimal point.

    https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html
    """
    if number == number.to_integral_value():
        return int(number)
    kept = number.quantize(_PRECISION, rounding=ROUND_DOWN)
    return int(kept) if kept == kept.to_integral_value() else float(kept)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
