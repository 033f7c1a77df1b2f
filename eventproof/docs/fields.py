"""A contract's schema as a readable field table: one row per field, nested ones expanded.

JSON Schema: ``properties`` (required marked), ``items``, ``additionalProperties``,
``allOf``/``oneOf``/``anyOf`` variants and ``$ref`` (followed through the
contract's own resolver, so shared definitions in ``common/`` expand in place).
Avro: records' fields, arrays, maps, unions and named types. A reference that
leads back to a type being expanded is shown once and marked recursive.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from eventproof.catalog import AvroContract, Contract, JsonSchemaContract

__all__ = ["FieldRow", "field_rows"]

_MAX_DEPTH = 12
_CONSTRAINT_KEYS = ("enum", "const", "format", "pattern", "minLength", "maxLength", "minimum",
                    "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems",
                    "maxItems", "uniqueItems", "minProperties", "maxProperties", "default")


@dataclass(frozen=True)
class FieldRow:
    path: str  # "order.items[].sku"
    depth: int
    type: str
    required: bool
    constraints: str
    description: str
    via: str = ""  # the $ref or named type this row was expanded from


def field_rows(contract: Contract) -> list[FieldRow]:
    """Every field of ``contract``'s schema, parents before children, with its refinements."""
    if isinstance(contract, AvroContract):
        rows = list(_avro(contract.schema, "", 0, True, dict(contract.named_types), set(),
                          contract.schema.get("namespace", "") if isinstance(contract.schema, dict) else ""))
    elif isinstance(contract, JsonSchemaContract):
        rows = list(_json(contract.schema, "", 0, True, _Refs(contract), ()))
    else:
        return []
    return _refined(rows, contract)


def _plain(path: str) -> str:
    return ".".join(part for part in path.replace("[]", "").replace("/", ".").split(".")
                    if part and part not in ("*", "-"))


def _refined(rows: list[FieldRow], contract: Contract) -> list[FieldRow]:
    """The ``x-eventproof`` constraints (what the schema language cannot say) on their fields."""
    extra: dict[str, list[str]] = {}
    for constraint in contract.metadata.constraints:
        extra.setdefault(_plain(constraint.pointer), []).append(
            f"{constraint.keyword}: {_short(constraint.bound)} (refinement)")
    return [replace(row, constraints="; ".join(filter(None, [row.constraints, *extra[_plain(row.path)]])))
            if _plain(row.path) in extra else row for row in rows]


class _Refs:
    def __init__(self, contract: JsonSchemaContract) -> None:
        self.contract = contract

    def follow(self, schema: Mapping[str, Any], resolver: Any) -> tuple[Any, Any, str]:
        ref = schema["$ref"]
        resolver = resolver if resolver is not None else self.contract.resolver()
        try:
            resolved = resolver.lookup(ref)
        except Exception as error:  # a broken $ref cannot load, but say so rather than crash
            return {"description": f"unresolvable $ref {ref}: {error}"}, resolver, ref
        target = resolved.contents
        rest = {k: v for k, v in schema.items() if k != "$ref"}
        merged = {**target, **rest} if isinstance(target, Mapping) else target
        return merged, resolved.resolver, ref


def _json_type(schema: Mapping[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        return " | ".join(str(k) for k in kind)
    if kind is not None:
        return str(kind)
    for key, word in (("oneOf", "one of"), ("anyOf", "any of"), ("allOf", "all of")):
        if key in schema:
            return word
    if "properties" in schema:
        return "object"
    if "enum" in schema:
        return "enum"
    if "const" in schema:
        return "const"
    return "any"


def _constraints(schema: Mapping[str, Any]) -> str:
    parts = []
    for key in _CONSTRAINT_KEYS:
        if key in schema:
            value = schema[key]
            shown = ", ".join(map(_short, value)) if isinstance(value, list) else _short(value)
            parts.append(f"{key}: {shown}")
    if schema.get("additionalProperties") is False:
        parts.append("no other properties")
    return "; ".join(parts)


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _json(schema: Any, path: str, depth: int, required: bool, refs: _Refs, seen: tuple[str, ...],
          resolver: Any = None, via: str = "") -> Iterator[FieldRow]:
    if not isinstance(schema, Mapping) or depth > _MAX_DEPTH:
        return
    while isinstance(schema.get("$ref"), str):
        ref = schema["$ref"]
        if ref in seen:
            yield FieldRow(path or "(root)", depth, "recursive", required, "",
                           f"refers back to {ref}", ref)
            return
        seen = (*seen, ref)
        schema, resolver, via = refs.follow(schema, resolver)
        if not isinstance(schema, Mapping):
            return
    if path:
        yield FieldRow(path, depth, _json_type(schema), required, _constraints(schema),
                       str(schema.get("description", "") or schema.get("title", "")), via)
    child = depth + 1 if path else depth
    required_names = set(schema.get("required", ()) or ())
    for name, sub in (schema.get("properties") or {}).items():
        yield from _json(sub, f"{path}.{name}" if path else str(name), child,
                         name in required_names, refs, seen, resolver)
    extra = schema.get("additionalProperties")
    if isinstance(extra, Mapping) and extra:
        yield from _json(extra, f"{path}.*" if path else "*", child, False, refs, seen, resolver)
    items = schema.get("items")
    if isinstance(items, Mapping):
        yield from _json(items, f"{path}[]", child, True, refs, seen, resolver)
    elif isinstance(items, list):
        for index, sub in enumerate(items):
            yield from _json(sub, f"{path}[{index}]", child, True, refs, seen, resolver)
    for key in ("allOf", "oneOf", "anyOf"):
        for index, sub in enumerate(schema.get(key) or ()):
            label = f"{path or ''}<{key} {index + 1}>"
            yield from _json(sub, label, child, key == "allOf", refs, seen, resolver)


def _avro_name(name: str, namespace: str) -> str:
    return name if "." in name or not namespace else f"{namespace}.{name}"


def _avro_type(schema: Any) -> str:
    if isinstance(schema, str):
        return schema.rsplit(".", 1)[-1] if "." in schema else schema
    if isinstance(schema, list):
        return " | ".join(_avro_type(s) for s in schema)
    if isinstance(schema, Mapping):
        kind = schema.get("type")
        logical = schema.get("logicalType")
        if kind in ("record", "enum", "fixed"):
            return f"{kind} {schema.get('name', '')}".strip()
        if kind == "array":
            return f"array of {_avro_type(schema.get('items'))}"
        if kind == "map":
            return f"map of {_avro_type(schema.get('values'))}"
        return f"{kind} ({logical})" if logical else str(kind)
    return "any"


def _avro(schema: Any, path: str, depth: int, required: bool, names: dict[str, Any],
          expanding: set[str], namespace: str, doc: str = "", default: Any = ...) -> Iterator[FieldRow]:
    if depth > _MAX_DEPTH:
        return
    via = ""
    if isinstance(schema, str) and (schema in names or _avro_name(schema, namespace) in names):
        full = schema if schema in names else _avro_name(schema, namespace)
        if full in expanding:
            yield FieldRow(path, depth, _avro_type(schema), required, "", f"refers back to {full}", full)
            return
        via, schema = full, names[full]
    if path:
        constraints = []
        if isinstance(schema, Mapping) and schema.get("type") == "enum":
            constraints.append("symbols: " + ", ".join(map(str, schema.get("symbols", []))))
        if isinstance(schema, Mapping) and schema.get("type") == "fixed":
            constraints.append(f"size: {schema.get('size')}")
        if default is not ...:
            constraints.append(f"default: {_short(default)}")
        optional = isinstance(schema, list) and "null" in schema
        yield FieldRow(path, depth, _avro_type(schema), required and not optional,
                       "; ".join(constraints), doc, via)
    child = depth + 1 if path else depth
    if isinstance(schema, list):
        branches = [s for s in schema if s != "null"]
        if len(branches) == 1:
            yield from _avro_children(branches[0], path, child - 1 if path else child, names,
                                      expanding, namespace)
        else:
            for index, branch in enumerate(branches):
                yield from _avro(branch, f"{path}<branch {index + 1}>", child, False, names,
                                 expanding, namespace)
        return
    yield from _avro_children(schema, path, depth, names, expanding, namespace)


def _avro_children(schema: Any, path: str, depth: int, names: dict[str, Any], expanding: set[str],
                   namespace: str) -> Iterator[FieldRow]:
    if isinstance(schema, str):
        full = schema if schema in names else _avro_name(schema, namespace)
        if full in names and full not in expanding:
            schema = names[full]
        else:
            return
    if not isinstance(schema, Mapping):
        return
    child = depth + 1 if path else depth
    kind = schema.get("type")
    if kind == "record":
        full = _avro_name(str(schema.get("name", "")), str(schema.get("namespace", namespace)))
        inner = str(schema.get("namespace", namespace))
        mine = expanding | {full}
        for entry in schema.get("fields", []):
            name = entry.get("name", "?")
            yield from _avro(entry.get("type"), f"{path}.{name}" if path else str(name), child,
                             "default" not in entry, names, mine, inner, str(entry.get("doc", "")),
                             entry.get("default", ...))
    elif kind == "array":
        yield from _avro(schema.get("items"), f"{path}[]", child, True, names, expanding, namespace)
    elif kind == "map":
        yield from _avro(schema.get("values"), f"{path}.*", child, True, names, expanding, namespace)
    elif isinstance(kind, Mapping | list):
        yield from _avro_children(kind, path, depth, names, expanding, namespace)
