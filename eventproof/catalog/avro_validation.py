"""Validate the JSON form of a message against a parsed Avro schema, strictly.

The JSON-form rules are contracts/README.md's: unions untagged, ``uuid`` a
string, ``decimal`` a JSON number whose scale and precision fit, timestamps
integers of epoch milli/microseconds, ``date`` a "YYYY-MM-DD" string,
``bytes`` and ``fixed`` strings, and a field the record does not declare is a
violation. A field without a default must be present, even when its type is a
nullable union (Avro's own rule for a field without default). fastavro's
``validate`` is neither strict about extra fields nor JSON-form aware, so
both paths are written here: ``compile_avro_check`` builds a tree of closures once
(fast yes/no), ``avro_violations`` walks the schema to say where and why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eventproof.catalog.formats import UUID_PATTERN, is_date
from eventproof.catalog.value_tests import Check, decimal_fits, is_finite_number
from eventproof.errors import Violation, describe_value, short_repr

__all__ = ["avro_violations", "compile_avro_check", "describe_avro"]

Named = dict[str, Any]

_UUID_MATCH = UUID_PATTERN.fullmatch
_INT32 = (-(2**31), 2**31 - 1)
_INT64 = (-(2**63), 2**63 - 1)


def _integer_in(low: int, high: int) -> Check:
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and low <= v <= high


_PRIMITIVES: dict[str, Check] = {
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "int": _integer_in(*_INT32),
    "long": _integer_in(*_INT64),
    "float": is_finite_number,
    "double": is_finite_number,
    "bytes": lambda v: isinstance(v, str),
    "string": lambda v: isinstance(v, str),
}


def _logical(schema: dict[str, Any]) -> Check | None:
    logical, base = schema.get("logicalType"), schema.get("type")
    if logical == "uuid" and base == "string":
        return lambda v: isinstance(v, str) and _UUID_MATCH(v) is not None
    if logical == "decimal" and base in ("bytes", "fixed"):
        return decimal_fits(int(schema["precision"]), int(schema.get("scale", 0)))
    if logical == "date" and base == "int":
        return lambda v: isinstance(v, str) and is_date(v)
    if logical in ("timestamp-millis", "timestamp-micros", "local-timestamp-millis",
                   "local-timestamp-micros", "time-micros") and base == "long":
        return _PRIMITIVES["long"]
    if logical == "time-millis" and base == "int":
        return _integer_in(0, 86_400_000 - 1)
    return None  # unknown logical types fall back to their base type, as the Avro spec says


def compile_avro_check(schema: Any, named: Named) -> Check:
    """A fast yes/no check of a message's JSON form against a parsed Avro schema."""
    compiled: dict[str, Check] = {}

    def build(node: Any) -> Check:
        if isinstance(node, str):
            if node in _PRIMITIVES:
                return _PRIMITIVES[node]
            if node not in compiled:
                compiled[node] = build(named[node])
            return compiled[node]
        if isinstance(node, list):
            branches = [build(branch) for branch in node]
            nullable = "null" in node
            return lambda v: (v is None and nullable) or any(b(v) for b in branches)
        logical = _logical(node)
        if logical is not None:
            return logical
        kind = node["type"]
        if kind in ("record", "error"):
            # Registered under its name before its fields are built, so a
            # record that contains itself finds the cell, not a fresh build.
            name = node["name"]
            if name not in compiled:
                cell: list[Check] = []
                compiled[name] = lambda v: cell[0](v)
                cell.append(_record(node, build))
                compiled[name] = cell[0]
            return compiled[name]
        if kind == "enum":
            symbols = frozenset(node["symbols"])
            return lambda v: isinstance(v, str) and v in symbols
        if kind == "array":
            item = build(node["items"])
            return lambda v: isinstance(v, list) and all(item(x) for x in v)
        if kind == "map":
            value = build(node["values"])
            return lambda v: isinstance(v, dict) and all(value(x) for x in v.values())
        if kind == "fixed":
            size = node["size"]
            return lambda v: isinstance(v, str) and len(v) == size
        return build(kind)

    return build(schema)


def _record(node: dict[str, Any], build: Callable[[Any], Check]) -> Check:
    fields = {f["name"]: build(f["type"]) for f in node["fields"]}
    required = frozenset(f["name"] for f in node["fields"] if "default" not in f)

    def check(v: Any) -> bool:
        if not isinstance(v, dict) or not required <= v.keys():
            return False
        for name, value in v.items():
            field_check = fields.get(name)
            if field_check is None or not field_check(value):
                return False
        return True

    return check


def describe_avro(node: Any, named: Named) -> str:
    """What a value of this Avro type looks like in JSON, for a violation's 'expected'."""
    if isinstance(node, str):
        if node in _PRIMITIVES:
            return {"int": "int (32-bit integer)", "long": "long (64-bit integer)",
                    "float": "float (a number)", "double": "double (a number)",
                    "bytes": "bytes (a string)"}.get(node, node)
        return describe_avro(named[node], named) if node in named else node
    if isinstance(node, list):
        return "one of: " + ", ".join(describe_avro(branch, named) for branch in node)
    logical = node.get("logicalType")
    if logical == "uuid":
        return "a uuid string"
    if logical == "decimal":
        scale = int(node.get("scale", 0))
        return (f"decimal (a number with at most {int(node['precision']) - scale} integer "
                f"digits and {scale} decimals)")
    if logical == "date":
        return 'date (a "YYYY-MM-DD" string)'
    if logical and "timestamp" in logical:
        return f"{logical} (an integer)"
    kind = node["type"]
    if kind in ("record", "error"):
        return f"record {node['name']} (an object)"
    if kind == "enum":
        return f"one of the symbols {short_repr(node['symbols'])}"
    if kind == "array":
        return "an array"
    if kind == "map":
        return "an object (map)"
    if kind == "fixed":
        return f"fixed (a string of {node['size']} characters)"
    return describe_avro(kind, named)


def _pointer_step(name: str | int) -> str:
    return "/" + str(name).replace("~", "~0").replace("/", "~1")


def avro_violations(node: Any, value: Any, named: Named, pointer: str = "") -> list[Violation]:
    """Every place ``value`` breaks ``node``, in document order."""
    if compile_avro_check(node, named)(value):
        return []
    resolved = named.get(node, node) if isinstance(node, str) else node
    found = describe_value(value)
    if isinstance(resolved, list):
        return _union_violations(resolved, value, named, pointer)
    if isinstance(resolved, dict) and resolved.get("type") in ("record", "error") and isinstance(value, dict):
        return _record_violations(resolved, value, named, pointer)
    if isinstance(resolved, dict) and resolved.get("type") == "array" and isinstance(value, list):
        out: list[Violation] = []
        for index, item in enumerate(value):
            out.extend(avro_violations(resolved["items"], item, named, pointer + _pointer_step(index)))
        return out
    if isinstance(resolved, dict) and resolved.get("type") == "map" and isinstance(value, dict):
        out = []
        for key, item in value.items():
            out.extend(avro_violations(resolved["values"], item, named, pointer + _pointer_step(key)))
        return out
    return [Violation(pointer, describe_avro(node, named), found, "type")]


def _union_violations(branches: list[Any], value: Any, named: Named, pointer: str) -> list[Violation]:
    # If exactly one branch has the value's JSON shape, its own violations say more.
    shaped = [b for b in branches if _same_shape(named.get(b, b) if isinstance(b, str) else b, value)]
    if len(shaped) == 1:
        return avro_violations(shaped[0], value, named, pointer)
    return [Violation(pointer, describe_avro(branches, named), describe_value(value), "union")]


def _same_shape(node: Any, value: Any) -> bool:
    kind = node if isinstance(node, str) else node.get("type") if isinstance(node, dict) else None
    if isinstance(value, dict):
        return kind in ("record", "error", "map")
    if isinstance(value, list):
        return kind == "array"
    return False


def _record_violations(node: dict[str, Any], value: dict[str, Any], named: Named, pointer: str) -> list[Violation]:
    out: list[Violation] = []
    declared = {f["name"]: f for f in node["fields"]}
    for name, field in declared.items():
        if name not in value:
            if "default" not in field:
                out.append(Violation(pointer + _pointer_step(name),
                                     f"field {name!r}: {describe_avro(field['type'], named)}",
                                     "nothing (the field is missing)", "required"))
        else:
            out.extend(avro_violations(field["type"], value[name], named, pointer + _pointer_step(name)))
    for name in value:
        if name not in declared:
            out.append(Violation(pointer + _pointer_step(name),
                                 f"no field that record {node['name']} does not declare",
                                 describe_value(value[name]), "additionalProperties"))
    return out
