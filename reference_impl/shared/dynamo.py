"""DynamoDB stores numbers as ``Decimal``; JSON messages carry ints and floats."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any


def to_dynamo(value: Any) -> Any:
    """A JSON value with every float turned into the ``Decimal`` boto3 requires."""
    return json.loads(json.dumps(value), parse_float=Decimal)


def from_dynamo(value: Any) -> Any:
    """An item read from DynamoDB, with ``Decimal``s back as ints or floats."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: from_dynamo(inner) for key, inner in value.items()}
    if isinstance(value, list | tuple):
        return [from_dynamo(inner) for inner in value]
    if isinstance(value, set):
        return {from_dynamo(inner) for inner in value}
    return value
