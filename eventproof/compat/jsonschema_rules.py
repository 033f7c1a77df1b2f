"""JSON Schema compatibility: does ``reader`` accept every message ``writer`` accepts?

Structural rules for the keywords contracts use: a type narrowed, an enum or
const narrowed, a bound, length or size tightened, a pattern or format
added or changed, a property newly required, ``additionalProperties``
closed or a property removed under it, item schemas, and ``$ref`` targets
(compared after resolution, so a changed shared definition is seen).

Keywords the rules do not reason about (``anyOf``, ``oneOf``, ``not``,
``if``/``then``, ``patternProperties``, ...) are compared for equality; when
they differ, the verdict at that place is left to the generated evidence,
and the finding says so (``undecided``) rather than guessing.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from eventproof.compat.findings import Incompatibility

__all__ = ["UNDECIDED", "jsonschema_incompatibilities"]

UNDECIDED = "undecided"
ALL_TYPES = frozenset({"null", "boolean", "object", "array", "number", "integer", "string"})
ANNOTATIONS = frozenset({
    "title", "description", "examples", "default", "$comment", "$schema", "$id", "$anchor",
    "$defs", "definitions", "deprecated", "readOnly", "writeOnly", "x-eventproof",
    "contentMediaType", "contentEncoding",
})
HANDLED = frozenset({
    "type", "enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "multipleOf", "minLength", "maxLength", "pattern", "format", "minItems", "maxItems",
    "uniqueItems", "minProperties", "maxProperties", "required", "properties",
    "additionalProperties", "items", "$ref",
})

Deref = Callable[[Any, str], tuple[Any, Any]]


def jsonschema_incompatibilities(
    writer: Any, reader: Any, *, writer_deref: Deref, reader_deref: Deref
) -> list[Incompatibility]:
    """Every place where ``reader`` may reject a message ``writer`` accepts.

    ``*_deref(schema, context)`` returns ``(schema without $ref, new context)``
    for a schema that may hold a ``$ref``, resolved against ``context``.
    """
    return _Comparison(writer_deref, reader_deref).compare(writer, reader, "", None, None)


class _Comparison:
    def __init__(self, writer_deref: Deref, reader_deref: Deref) -> None:
        self._writer_deref = writer_deref
        self._reader_deref = reader_deref
        self._seen: set[tuple[int, int]] = set()

    def compare(self, writer: Any, reader: Any, path: str, wctx: Any, rctx: Any) -> list[Incompatibility]:
        writer, wctx = self._writer_deref(writer, wctx)
        reader, rctx = self._reader_deref(reader, rctx)
        if reader is True or (isinstance(reader, Mapping) and not _constraints(reader)):
            return []
        if writer is False:
            return []
        if reader is False:
            return [Incompatibility(path, "reader-rejects-everything", "the reader's schema is false")]
        if writer is True:
            writer = {}
        key = (id(writer), id(reader))
        if key in self._seen:  # recursive schemas: one visit per pair
            return []
        self._seen.add(key)
        found: list[Incompatibility] = []
        # Rules about a kind of value matter only if the writer can send that kind.
        sends = _writer_types(writer)
        local: list[Incompatibility] = []
        local += _types(writer, reader, path)
        local += _values(writer, reader, path)
        local += _bounds(writer, reader, path, sends)
        if "string" in sends:
            local += _strings(writer, reader, path)
        found += [replace(f, context=(writer, reader)) for f in local]
        if "object" in sends:
            found += self._objects(writer, reader, path, wctx, rctx)
        if "array" in sends and "items" in reader and isinstance(reader["items"], Mapping | bool):
            found += self.compare(writer.get("items", True), reader["items"], f"{path}/items", wctx, rctx)
        for keyword in sorted(set(_constraints(reader)) - HANDLED):
            if _canonical(writer.get(keyword)) != _canonical(reader.get(keyword)):
                found.append(Incompatibility(
                    f"{path}/{keyword}", UNDECIDED,
                    f"{keyword!r} changed; no structural rule decides it, the generated evidence does"))
        return found

    def _objects(self, writer: Mapping[str, Any], reader: Mapping[str, Any], path: str, wctx: Any, rctx: Any) -> list[Incompatibility]:
        found: list[Incompatibility] = []
        writer_required = set(writer.get("required", []))
        for name in reader.get("required", []):
            if name not in writer_required:
                found.append(Incompatibility(
                    f"{path}/required/{_escape(name)}", "required-added",
                    f"the reader requires {name!r}, which the writer may leave out"))
        writer_props: Mapping[str, Any] = writer.get("properties", {})
        reader_props: Mapping[str, Any] = reader.get("properties", {})
        writer_extra = writer.get("additionalProperties", True)
        for name, reader_sub in reader_props.items():
            if name in writer_props:
                writer_sub = writer_props[name]
            elif writer_extra is False:
                continue  # the writer never sends it
            else:
                writer_sub = writer_extra
            found += self.compare(writer_sub, reader_sub, f"{path}/properties/{_escape(name)}", wctx, rctx)
        reader_extra = reader.get("additionalProperties", True)
        if reader_extra is not True:
            for name, writer_sub in writer_props.items():
                if name not in reader_props and writer_sub is not False:
                    if reader_extra is False:
                        found.append(Incompatibility(
                            f"{path}/properties/{_escape(name)}", "property-removed-closed",
                            f"the writer may send {name!r}, which the reader no longer lists "
                            "and additionalProperties is false", context=(writer_sub, None)))
                    else:
                        found += self.compare(writer_sub, reader_extra,
                                              f"{path}/properties/{_escape(name)}", wctx, rctx)
            if writer_extra is not False:
                if reader_extra is False:
                    found.append(Incompatibility(
                        f"{path}/additionalProperties", "additional-properties-closed",
                        "the writer allows properties it does not list; the reader refuses them"))
                else:
                    found += self.compare(writer_extra, reader_extra, f"{path}/additionalProperties", wctx, rctx)
        return found


def _types(writer: Mapping[str, Any], reader: Mapping[str, Any], path: str) -> list[Incompatibility]:
    if "type" not in reader:
        return []
    reader_types = _type_set(reader["type"])
    writer_types = _type_set(writer["type"]) if "type" in writer else set(ALL_TYPES)
    if "enum" in writer or "const" in writer:
        writer_types = {_json_type(v) for v in _allowed_values(writer)}
    lost = {t for t in writer_types if t not in reader_types
            and not (t == "integer" and "number" in reader_types)}
    if "number" in lost and "integer" in reader_types and "multipleOf" not in writer:
        pass  # a number the writer sends may have a fraction: still lost
    if lost:
        return [Incompatibility(f"{path}/type", "type-narrowed",
                                f"the writer allows {', '.join(sorted(lost))}; the reader only "
                                f"{', '.join(sorted(reader_types))}")]
    return []


def _values(writer: Mapping[str, Any], reader: Mapping[str, Any], path: str) -> list[Incompatibility]:
    if "enum" not in reader and "const" not in reader:
        return []
    reader_values = [_canonical(v) for v in _allowed_values(reader)]
    keyword = "const" if "const" in reader else "enum"
    if "enum" not in writer and "const" not in writer:
        return [Incompatibility(f"{path}/{keyword}", f"{keyword}-added",
                                "the reader allows only listed values; the writer any")]
    lost = [v for v in _allowed_values(writer) if _canonical(v) not in reader_values]
    if lost:
        return [Incompatibility(f"{path}/{keyword}", "enum-narrowed",
                                f"the reader no longer allows {', '.join(json.dumps(v) for v in lost)}")]
    return []


def _writer_types(writer: Mapping[str, Any]) -> set[str]:
    if "enum" in writer or "const" in writer:
        return {_json_type(v) for v in _allowed_values(writer)} | (
            {"number"} if any(_json_type(v) == "integer" for v in _allowed_values(writer)) else set())
    kinds = _type_set(writer["type"]) if "type" in writer else set(ALL_TYPES)
    return kinds | ({"number"} if "integer" in kinds else set())


def _bounds(writer: Mapping[str, Any], reader: Mapping[str, Any], path: str, sends: set[str]
            ) -> list[Incompatibility]:
    found: list[Incompatibility] = []
    if "number" not in sends:
        return _sizes(writer, reader, path, sends)
    writer_low, reader_low = _lower(writer), _lower(reader)
    if reader_low is not None and (writer_low is None or _tighter_low(reader_low, writer_low)):
        keyword = "exclusiveMinimum" if reader_low[1] else "minimum"
        found.append(Incompatibility(f"{path}/{keyword}", "minimum-raised",
                                     f"the reader's lower bound {_bound(reader_low)} excludes values "
                                     f"the writer allows ({_bound(writer_low)})"))
    writer_high, reader_high = _upper(writer), _upper(reader)
    if reader_high is not None and (writer_high is None or _tighter_high(reader_high, writer_high)):
        keyword = "exclusiveMaximum" if reader_high[1] else "maximum"
        found.append(Incompatibility(f"{path}/{keyword}", "maximum-lowered",
                                     f"the reader's upper bound {_bound(reader_high)} excludes values "
                                     f"the writer allows ({_bound(writer_high)})"))
    if "multipleOf" in reader:
        step = writer.get("multipleOf")
        if step is None or not _divides(reader["multipleOf"], step):
            found.append(Incompatibility(f"{path}/multipleOf", "multipleOf-tightened",
                                         f"the reader wants multiples of {reader['multipleOf']}; "
                                         f"the writer sends multiples of {step if step else 'anything'}"))
    return found + _sizes(writer, reader, path, sends)


def _sizes(writer: Mapping[str, Any], reader: Mapping[str, Any], path: str, sends: set[str]
           ) -> list[Incompatibility]:
    found: list[Incompatibility] = []
    for low, high, what, kind in (("minLength", "maxLength", "length", "string"),
                                  ("minItems", "maxItems", "item count", "array"),
                                  ("minProperties", "maxProperties", "property count", "object")):
        if kind not in sends:
            continue
        if reader.get(low, 0) > writer.get(low, 0):
            found.append(Incompatibility(f"{path}/{low}", f"{low}-raised",
                                         f"the reader wants a {what} of at least {reader[low]}; "
                                         f"the writer allows {writer.get(low, 0)}"))
        if high in reader and reader[high] < writer.get(high, math.inf):
            found.append(Incompatibility(f"{path}/{high}", f"{high}-lowered",
                                         f"the reader wants a {what} of at most {reader[high]}; "
                                         f"the writer allows {writer.get(high, 'any')}"))
    if "array" in sends and reader.get("uniqueItems") and not writer.get("uniqueItems"):
        found.append(Incompatibility(f"{path}/uniqueItems", "uniqueItems-added",
                                     "the reader wants unique items; the writer allows repeats"))
    return found


def _strings(writer: Mapping[str, Any], reader: Mapping[str, Any], path: str) -> list[Incompatibility]:
    found: list[Incompatibility] = []
    if "pattern" in reader and writer.get("pattern") != reader["pattern"]:
        found.append(Incompatibility(f"{path}/pattern", "pattern-changed",
                                     f"the reader wants {reader['pattern']!r}; the writer "
                                     f"{'wants ' + repr(writer['pattern']) if 'pattern' in writer else 'any string'}"))
    if "format" in reader and writer.get("format") != reader["format"]:
        found.append(Incompatibility(f"{path}/format", "format-changed",
                                     f"the reader wants format {reader['format']!r}; the writer "
                                     f"{repr(writer['format']) if 'format' in writer else 'none'}"))
    return found


def _constraints(schema: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k not in ANNOTATIONS and not str(k).startswith("x-")}


def _type_set(value: Any) -> set[str]:
    return {value} if isinstance(value, str) else set(value)


def _allowed_values(schema: Mapping[str, Any]) -> list[Any]:
    return [schema["const"]] if "const" in schema else list(schema["enum"])


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


Bound = tuple[float, bool]  # (value, exclusive)


def _lower(schema: Mapping[str, Any]) -> Bound | None:
    candidates: list[Bound] = []
    if isinstance(schema.get("minimum"), int | float):
        candidates.append((schema["minimum"], False))
    exclusive = schema.get("exclusiveMinimum")
    if isinstance(exclusive, int | float) and not isinstance(exclusive, bool):
        candidates.append((exclusive, True))
    return max(candidates, key=lambda b: (b[0], b[1])) if candidates else None


def _upper(schema: Mapping[str, Any]) -> Bound | None:
    candidates: list[Bound] = []
    if isinstance(schema.get("maximum"), int | float):
        candidates.append((schema["maximum"], False))
    exclusive = schema.get("exclusiveMaximum")
    if isinstance(exclusive, int | float) and not isinstance(exclusive, bool):
        candidates.append((exclusive, True))
    return min(candidates, key=lambda b: (b[0], not b[1])) if candidates else None


def _tighter_low(reader: Bound, writer: Bound) -> bool:
    return reader[0] > writer[0] or (reader[0] == writer[0] and reader[1] and not writer[1])


def _tighter_high(reader: Bound, writer: Bound) -> bool:
    return reader[0] < writer[0] or (reader[0] == writer[0] and reader[1] and not writer[1])


def _bound(bound: Bound | None) -> str:
    if bound is None:
        return "none"
    return f"{bound[0]} ({'exclusive' if bound[1] else 'inclusive'})"


def _divides(reader_step: float, writer_step: float) -> bool:
    quotient = writer_step / reader_step
    return math.isclose(quotient, round(quotient)) and round(quotient) >= 1


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")
