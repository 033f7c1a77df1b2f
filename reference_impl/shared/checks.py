"""Hand-written checks for the fields of Avro contracts (which jsonschema cannot read)."""

from __future__ import annotations

import uuid
from typing import Any


def is_uuid(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
