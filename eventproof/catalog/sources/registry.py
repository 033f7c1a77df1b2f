"""Read an EventBridge Schema Registry export (OpenAPI 3 or JSONSchemaDraft4) as one contract.

The export describes the whole EventBridge event (``AWSEvent``); the contract
is its ``detail`` schema, named after the schema it refers to (else the
export's title), and ``x-amazon-events-source`` / ``x-amazon-events-detail-type``
become its trigger metadata ``{"eventbridge": {"source", "detail-type"}}``.
The contract is an ``event`` whose producers and consumers are unknown,
unless the event schema carries an ``x-eventproof`` object (kind, version,
summary, producers, consumers, compatibility), as ``eventproof export`` writes.

The schema dialects are converted to draft-07: OpenAPI 3.0's ``nullable: true``
adds ``"null"`` to the type; draft-04's boolean ``exclusiveMinimum`` /
``exclusiveMaximum`` become numbers and ``id`` becomes ``$id``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eventproof.catalog.contract import Contract, ContractMetadata, parse_metadata
from eventproof.catalog.sources.build import json_schema_contract
from eventproof.catalog.sources.documents import DRAFT7, Documents, bundle_schema
from eventproof.errors import SchemaError

__all__ = ["DETAIL_TYPE_KEY", "SOURCE_KEY", "is_registry_export", "read_registry_export"]

SOURCE_KEY = "x-amazon-events-source"
DETAIL_TYPE_KEY = "x-amazon-events-detail-type"
# What ``eventproof export eventbridge-registry`` writes beside source and detail-type.
_OVERRIDES = ("kind", "version", "summary", "producers", "consumers", "compatibility")


def _event_schema(document: Any) -> tuple[dict[str, Any], str] | None:
    if not isinstance(document, dict):
        return None
    if "openapi" in document:
        event = document.get("components", {}).get("schemas", {}).get("AWSEvent")
        return (event, "/components/schemas/AWSEvent") if isinstance(event, dict) else None
    if SOURCE_KEY in document or DETAIL_TYPE_KEY in document:
        return document, ""
    return None


def is_registry_export(document: Any) -> bool:
    return _event_schema(document) is not None


def read_registry_export(path: Path, documents: Documents | None = None) -> list[Contract]:
    documents = documents or Documents()
    document = documents.load(path)
    found = _event_schema(document)
    if found is None:
        raise SchemaError("not an EventBridge Schema Registry export: expected an OpenAPI 3 "
                          "document with components.schemas.AWSEvent, or a JSON Schema with "
                          f"{SOURCE_KEY}", file=path)
    event, where = found
    trigger: dict[str, str] = {}
    for key, label in ((SOURCE_KEY, "source"), (DETAIL_TYPE_KEY, "detail-type")):
        value = event.get(key)
        if not isinstance(value, str) or not value:
            raise SchemaError(f"expected {key} (a string) on the event schema", file=path,
                              pointer=f"{where}/{key}" if where else f"/{key}")
        trigger[label] = value
    detail = event.get("properties", {}).get("detail")
    if not isinstance(detail, dict):
        raise SchemaError("the event schema has no properties.detail schema", file=path,
                          pointer=f"{where}/properties")
    ref = detail.get("$ref")
    name = ref.rsplit("/", 1)[-1] if isinstance(ref, str) else str(
        document.get("info", {}).get("title") or document.get("title") or trigger["detail-type"])
    name = "".join(ch for ch in name if ch.isalnum() or ch in "_-") or "Detail"
    schema = _to_draft7(bundle_schema(documents, detail, path.resolve(), f"{where}/properties/detail"))
    schema["$schema"] = DRAFT7
    version = document.get("info", {}).get("version") or "1"
    summary = str(document.get("description") or event.get("description")
                  or f"the detail of {trigger['detail-type']} events from {trigger['source']}")
    overrides = event.get("x-eventproof", {})
    if not isinstance(overrides, dict) or set(overrides) - set(_OVERRIDES):
        raise SchemaError("x-eventproof on the event schema holds only " + ", ".join(_OVERRIDES),
                          file=path, pointer=f"{where}/x-eventproof")
    parsed = parse_metadata({"name": name, "kind": "event", "version": str(version),
                             "summary": summary, **overrides}, path)
    metadata = ContractMetadata(**{**parsed.__dict__, "trigger": {"eventbridge": trigger}})
    return [json_schema_contract(metadata, schema, path, f"{where}/properties/detail")]


_SCHEMA_MAPS = ("properties", "patternProperties", "definitions", "$defs", "dependencies")


def _to_draft7(node: Any) -> Any:
    if isinstance(node, list):
        return [_to_draft7(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("enum", "const", "default", "example", "examples"):
            out[key] = value
        elif key in _SCHEMA_MAPS and isinstance(value, dict):  # names are not keywords
            out[key] = {name: _to_draft7(schema) for name, schema in value.items()}
        else:
            out[key] = _to_draft7(value)
    untyped_nullable = False
    if out.get("nullable") is True:
        del out["nullable"]
        kind = out.get("type")
        if isinstance(kind, str):
            out["type"] = [kind, "null"]
        elif isinstance(kind, list) and "null" not in kind:
            out["type"] = [*kind, "null"]
        elif "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        elif "type" not in out:
            untyped_nullable = True
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(out.get(bound), bool):
            exclusive = out.pop(bound)  # draft-04: a flag on minimum; draft-07: the bound
            if exclusive and limit in out:
                out[bound] = out.pop(limit)
    if isinstance(out.get("id"), str) and "$id" not in out and "type" in out:
        out["$id"] = out.pop("id")
    if untyped_nullable:
        # nullable beside no type (OpenAPI leaves it undefined): allow null as well
        return {"anyOf": [out, {"type": "null"}]}
    return out
