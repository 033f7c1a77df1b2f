"""A contract as an EventBridge Schema Registry schema (OpenAPI 3 or JSONSchemaDraft4).

The document describes the whole EventBridge event (``AWSEvent``, as schema
discovery writes it) whose ``detail`` is the contract; source and detail-type
come from the contract's ``eventbridge`` trigger (or ``source`` given by the
caller, with the contract's name as detail-type). The contract's metadata
travels in ``x-eventproof`` on the event schema, so the catalog reads it back
whole. JSON Schema keywords the target dialect lacks are converted where the
meaning survives (``const`` -> one-value ``enum``, a ``null`` type ->
``nullable``, numeric ``exclusiveMinimum`` -> draft-04's flag) and refused
otherwise (``if``/``then``/``else``, ``prefixItems``, ...), never dropped.
"""

from __future__ import annotations

from typing import Any

from eventproof.catalog import Contract, JsonSchemaContract
from eventproof.catalog.sources.registry import DETAIL_TYPE_KEY, SOURCE_KEY
from eventproof.errors import SchemaError
from eventproof.export.bundle import DATA_KEYWORDS, bundle_json_schema, definitions_key

__all__ = ["FORMATS", "to_registry"]

FORMATS = ("openapi3", "jsonschema-draft4")
_UNSUPPORTED = ("if", "then", "else", "prefixItems", "unevaluatedProperties", "unevaluatedItems",
                "dependentRequired", "dependentSchemas", "propertyNames", "contains", "$anchor",
                "$dynamicRef", "$dynamicAnchor", "minContains", "maxContains")
_OPENAPI_ONLY_UNSUPPORTED = ("patternProperties", "dependencies")
_DROPPED = ("$schema", "$id", "$comment", "x-eventproof")  # annotations with no meaning there
_ENVELOPE = ("account", "detail-type", "id", "region", "resources", "source", "time", "version")


def to_registry(contract: Contract, fmt: str = "openapi3", *, source: str | None = None) -> dict[str, Any]:
    if not isinstance(contract, JsonSchemaContract):
        raise SchemaError(f"contract {contract.name} is {contract.format}: the EventBridge Schema "
                          "Registry holds OpenAPI 3 and JSON Schema only", file=contract.path)
    rule = contract.metadata.trigger.get("eventbridge")
    if rule is None and source is None:
        raise SchemaError(f"contract {contract.name} has no eventbridge trigger (source, "
                          "detail-type)", file=contract.path,
                          hint="give --source to use it with the contract's name as detail-type")
    event_source = rule["source"] if rule else str(source)
    detail_type = rule["detail-type"] if rule else contract.name
    openapi = fmt == "openapi3"
    bundled = bundle_json_schema(contract, inline=True)
    defs = bundled.pop(definitions_key(contract.schema), {})
    prefix = "#/components/schemas/" if openapi else "#/definitions/"
    names = {"#": contract.name, **{f"#/{definitions_key(contract.schema)}/{k}": f"{contract.name}_{k}"
                                    for k in defs}}
    convert = _Converter(contract, openapi, {ref: prefix + name for ref, name in names.items()})
    schemas = {contract.name: convert(bundled, "")}
    schemas.update({f"{contract.name}_{k}": convert(v, f"/{k}") for k, v in defs.items()})
    metadata: dict[str, Any] = {"kind": contract.kind, "version": contract.version,
                                "summary": contract.summary, "producers": list(contract.producers),
                                "consumers": list(contract.consumers)}
    if contract.compatibility:
        metadata["compatibility"] = contract.compatibility
    event = {
        "type": "object",
        "required": ["detail-type", "resources", "detail", "id", "source", "time", "region",
                     "version", "account"],
        SOURCE_KEY: event_source,
        DETAIL_TYPE_KEY: detail_type,
        "x-eventproof": metadata,
        "properties": {
            "detail": {"$ref": prefix + contract.name},
            **{key: {"type": "string"} for key in _ENVELOPE},
            "resources": {"type": "array", "items": {"type": "string"}},
            "time": {"type": "string", "format": "date-time"},
        },
    }
    if openapi:
        return {"openapi": "3.0.0", "info": {"version": contract.version, "title": contract.name},
                "paths": {}, "components": {"schemas": {"AWSEvent": event, **schemas}}}
    return {"$schema": "http://json-schema.org/draft-04/schema#", "title": contract.name,
            **event, "definitions": schemas}


class _Converter:
    def __init__(self, contract: Contract, openapi: bool, refs: dict[str, str]) -> None:
        self.contract, self.openapi, self.refs = contract, openapi, refs

    def refuse(self, keyword: str, where: str) -> SchemaError:
        dialect = "OpenAPI 3.0" if self.openapi else "JSON Schema draft-04"
        return SchemaError(f"contract {self.contract.name}: {keyword!r} has no equivalent in "
                           f"{dialect}, so it cannot be exported without changing its meaning",
                           file=self.contract.path, pointer=f"{where}/{keyword}")

    def __call__(self, node: Any, where: str) -> Any:
        if isinstance(node, list):
            return [self(item, f"{where}/{i}") for i, item in enumerate(node)]
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _DROPPED:
                continue
            if key in _UNSUPPORTED or (self.openapi and key in _OPENAPI_ONLY_UNSUPPORTED):
                raise self.refuse(key, where)
            if key == "$ref":
                out[key] = self.refs.get(value, value)
            elif key == "const":
                out["enum"] = [value]
            elif key == "examples" and self.openapi:
                if isinstance(value, list) and value:
                    out["example"] = value[0]
            elif key in DATA_KEYWORDS:
                out[key] = value
            elif key in ("properties", "definitions", "$defs") and isinstance(value, dict):
                out[key] = {k: self(v, f"{where}/{key}/{k}") for k, v in value.items()}
            else:
                out[key] = self(value, f"{where}/{key}")
        for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            if isinstance(out.get(bound), int | float) and not isinstance(out[bound], bool):
                out[limit], out[bound] = out[bound], True
        kinds = out.get("type")
        if self.openapi and isinstance(kinds, list):
            others = [k for k in kinds if k != "null"]
            # OpenAPI 3.0 has no "null" type: nullable qualifies the type beside it.
            nullable = {"nullable": True} if "null" in kinds else {}
            if len(others) == 1:
                out.update(type=others[0], **nullable)
            else:
                del out["type"]
                out["anyOf"] = [{"type": k, **nullable} for k in others]
        return out
