"""What several deliveries share: the message as bytes, its digest, its entity key."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from eventproof.catalog.refinements import values_at

if TYPE_CHECKING:
    from eventproof.properties.system import Bench, Delivery

__all__ = ["body", "digest", "entity_key", "function_arn", "inferred_keys"]


def body(message: Any) -> str:
    return json.dumps(message)


def digest(message: Any) -> str:
    """A short name that is the same for equal messages, whatever the run or the order."""
    canonical = json.dumps(message, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha256(canonical).hexdigest()[:20]


def inferred_keys(delivery: Delivery, message: Any) -> tuple[str, ...]:
    """The contract's ``x-eventproof.key``, else the first top-level ``id``/``*Id``/``*_id``."""
    if delivery.keys:
        return delivery.keys
    if isinstance(message, dict):
        for name in sorted(message):
            if name == "id" or name.endswith(("Id", "_id")):
                return (f"/{name}",)
    return ()


def entity_key(delivery: Delivery, message: Any) -> str | None:
    """The entity the message is about, as text (composite keys joined by ``#``), or None."""
    parts = []
    for pointer in inferred_keys(delivery, message):
        found = [value for _, value in values_at(message, pointer)]
        if not found or isinstance(found[0], dict | list):
            return None
        parts.append(str(found[0]))
    return "#".join(parts) or None


def function_arn(bench: Bench) -> str:
    return bench.aws.lambda_.function(bench.system.name).arn
