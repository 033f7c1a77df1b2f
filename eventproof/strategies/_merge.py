"""Merging the subschemas of an ``allOf`` into one schema to generate from.

A merge is exact for the keywords listed below; for anything it cannot
combine exactly (two patterns, two formats, two multipleOf) it keeps one and
reports the merge as lossy, and the compiler then filters the generated
values through the validator of the original schemas.
"""

from __future__ import annotations

from typing import Any

from eventproof.strategies._json import canonical

_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
_SUBSCHEMA_VALUED = ("items", "additionalItems", "not")
_IGNORED_ON_MERGE = ("$id", "$schema", "$comment", "$defs", "definitions", "title", "description")


def _types(schema: dict[str, Any]) -> set[str] | None:
    declared = schema.get("type")
    if declared is None:
        return None
    return {declared} if isinstance(declared, str) else set(declared)


def _intersect_types(left: set[str] | None, right: set[str] | None) -> set[str] | None:
    if left is None or right is None:
        return right if left is None else left
    common = left & right
    if ("integer" in left and "number" in right) or ("number" in left and "integer" in right):
        common.add("integer")
    return common


def merge(left: dict[str, Any], right: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """One schema accepting what both accept; ``lossy`` when it may accept more."""
    merged: dict[str, Any] = {k: v for k, v in left.items() if k not in _IGNORED_ON_MERGE}
    lossy = False
    for keyword, value in right.items():
        if keyword in _IGNORED_ON_MERGE or keyword in ("type", "properties", "required"):
            continue
        if keyword not in merged:
            merged[keyword] = value
        elif keyword in _LOWER_BOUNDS:
            merged[keyword] = max(merged[keyword], value)
        elif keyword in _UPPER_BOUNDS:
            merged[keyword] = min(merged[keyword], value)
        elif keyword == "enum":
            allowed = {canonical(item) for item in value}
            merged["enum"] = [item for item in merged["enum"] if canonical(item) in allowed]
        elif keyword == "const":
            if canonical(merged["const"]) != canonical(value):
                merged["enum"] = []
        elif keyword in _SUBSCHEMA_VALUED or keyword == "additionalProperties":
            merged[keyword] = {"allOf": [merged[keyword], value]}
        elif keyword == "allOf":
            merged["allOf"] = [*merged["allOf"], *value]
        elif keyword in ("anyOf", "oneOf"):
            merged["allOf"] = [*merged.get("allOf", []), {keyword: value}]
        elif keyword == "uniqueItems":
            merged[keyword] = bool(merged[keyword]) or bool(value)
        elif merged[keyword] != value:
            lossy = True
    types = _intersect_types(_types(left), _types(right))
    if types is not None:
        merged["type"] = sorted(types)
    lossy |= _merge_properties(merged, left, right)
    return merged, lossy


def _merge_properties(merged: dict[str, Any], left: dict[str, Any], right: dict[str, Any]) -> bool:
    left_props = left.get("properties", {})
    right_props = right.get("properties", {})
    properties: dict[str, Any] = dict(left_props)
    for name, schema in right_props.items():
        properties[name] = {"allOf": [properties[name], schema]} if name in properties else schema
    # additionalProperties: false in one side forbids the other side's extra names
    for side, props in ((left, left_props), (right, right_props)):
        if side.get("additionalProperties") is False:
            properties = {name: s for name, s in properties.items() if name in props}
            merged["additionalProperties"] = False
    if properties or "properties" in left or "properties" in right:
        merged["properties"] = properties
    required = [*left.get("required", []), *right.get("required", [])]
    if required:
        merged["required"] = list(dict.fromkeys(required))
    return bool(left.get("patternProperties") and right.get("patternProperties"))
