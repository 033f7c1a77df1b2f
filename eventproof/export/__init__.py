"""Write the catalog where other tools read contracts: AsyncAPI, EventBridge registry, JSON Schema."""

from __future__ import annotations

from eventproof.export.bundle import bundle_json_schema, inline_avro

__all__ = ["bundle_json_schema", "inline_avro"]
