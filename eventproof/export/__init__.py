"""Write the catalog where other tools read contracts: AsyncAPI, EventBridge registry, JSON Schema."""

from __future__ import annotations

from eventproof.export.asyncapi import to_asyncapi
from eventproof.export.bundle import bundle_json_schema, inline_avro
from eventproof.export.registry import to_registry

__all__ = ["bundle_json_schema", "inline_avro", "to_asyncapi", "to_registry"]
