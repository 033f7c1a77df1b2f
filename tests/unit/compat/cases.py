"""The compatibility case table: (old, new) pairs with the directions each change breaks.

``broken`` names the directions that fail: "B" (backward: the new version
cannot read messages of the old) and "F" (forward: the old version cannot
read messages of the new). The verdict in every mode follows from it
(Confluent's definitions): BACKWARD fails on B, FORWARD on F, FULL on
either; NONE never; a transitive mode over two versions like its base.
Avro cases follow the specification's Schema Resolution section; JSON Schema
cases the meaning of each keyword (draft 2020-12).
"""

from __future__ import annotations

from typing import Any, NamedTuple


class Case(NamedTuple):
    id: str
    format: str  # "jsonschema" | "avro"
    old: Any
    new: Any
    broken: str  # "", "B", "F" or "BF"
    shared: dict[str, Any] | None = None  # extra files beside the contract (old, new) as {name: (old, new)}


def obj(properties: dict[str, Any], required: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    schema.update(extra)
    return schema


S = {"type": "string"}
I = {"type": "integer"}  # noqa: E741
N = {"type": "number"}
CLOSED = {"additionalProperties": False}


def js(id: str, old: Any, new: Any, broken: str, shared: Any = None) -> Case:
    return Case(id, "jsonschema", old, new, broken, shared)


JSON_CASES = [
    js("identical", obj({"a": S}, ["a"]), obj({"a": S}, ["a"]), ""),
    js("optional property added, open (old messages may carry any b)", obj({"a": S}, ["a"]), obj({"a": S, "b": I}, ["a"]), "B"),
    js("optional property added, closed", obj({"a": S}, ["a"], **CLOSED), obj({"a": S, "b": I}, ["a"], **CLOSED), "F"),
    js("required property added", obj({"a": S}, ["a"]), obj({"a": S, "b": I}, ["a", "b"]), "B"),
    js("required property added, closed", obj({"a": S}, ["a"], **CLOSED), obj({"a": S, "b": I}, ["a", "b"], **CLOSED), "BF"),
    js("required made optional", obj({"a": S, "b": I}, ["a", "b"]), obj({"a": S, "b": I}, ["a"]), "F"),
    js("optional property removed, open (new messages may carry any b)", obj({"a": S, "b": I}, ["a"]), obj({"a": S}, ["a"]), "F"),
    js("optional property removed, closed", obj({"a": S, "b": I}, ["a"], **CLOSED), obj({"a": S}, ["a"], **CLOSED), "B"),
    js("type string to integer", obj({"a": S}, ["a"]), obj({"a": I}, ["a"]), "BF"),
    js("type integer widened to number", obj({"a": I}, ["a"]), obj({"a": N}, ["a"]), "F"),
    js("type number narrowed to integer", obj({"a": N}, ["a"]), obj({"a": I}, ["a"]), "B"),
    js("null added to type", obj({"a": S}, ["a"]), obj({"a": {"type": ["string", "null"]}}, ["a"]), "F"),
    js("null removed from type", obj({"a": {"type": ["string", "null"]}}, ["a"]), obj({"a": S}, ["a"]), "B"),
    js("type list reordered", obj({"a": {"type": ["string", "null"]}}, ["a"]), obj({"a": {"type": ["null", "string"]}}, ["a"]), ""),
    js("enum value added", obj({"a": {"enum": ["X", "Y"]}}, ["a"]), obj({"a": {"enum": ["X", "Y", "Z"]}}, ["a"]), "F"),
    js("enum value removed", obj({"a": {"enum": ["X", "Y", "Z"]}}, ["a"]), obj({"a": {"enum": ["X", "Y"]}}, ["a"]), "B"),
    js("enum reordered", obj({"a": {"enum": ["X", "Y"]}}, ["a"]), obj({"a": {"enum": ["Y", "X"]}}, ["a"]), ""),
    js("enum introduced", obj({"a": S}, ["a"]), obj({"a": {"type": "string", "enum": ["X"]}}, ["a"]), "B"),
    js("enum dropped", obj({"a": {"type": "string", "enum": ["X"]}}, ["a"]), obj({"a": S}, ["a"]), "F"),
    js("const changed", obj({"a": {"const": "v1"}}, ["a"]), obj({"a": {"const": "v2"}}, ["a"]), "BF"),
    js("const introduced", obj({"a": S}, ["a"]), obj({"a": {"type": "string", "const": "v1"}}, ["a"]), "B"),
    js("minimum raised", obj({"a": {"type": "integer", "minimum": 0}}, ["a"]), obj({"a": {"type": "integer", "minimum": 5}}, ["a"]), "B"),
    js("minimum lowered", obj({"a": {"type": "integer", "minimum": 5}}, ["a"]), obj({"a": {"type": "integer", "minimum": 0}}, ["a"]), "F"),
    js("minimum introduced", obj({"a": I}, ["a"]), obj({"a": {"type": "integer", "minimum": 1}}, ["a"]), "B"),
    js("maximum lowered", obj({"a": {"type": "integer", "maximum": 100}}, ["a"]), obj({"a": {"type": "integer", "maximum": 10}}, ["a"]), "B"),
    js("maximum raised", obj({"a": {"type": "integer", "maximum": 10}}, ["a"]), obj({"a": {"type": "integer", "maximum": 100}}, ["a"]), "F"),
    js("minimum made exclusive", obj({"a": {"type": "integer", "minimum": 0}}, ["a"]), obj({"a": {"type": "integer", "exclusiveMinimum": 0}}, ["a"]), "B"),
    js("exclusive maximum relaxed", obj({"a": {"type": "number", "exclusiveMaximum": 1}}, ["a"]), obj({"a": {"type": "number", "maximum": 1}}, ["a"]), "F"),
    js("number bounds unchanged", obj({"a": {"type": "number", "minimum": 0, "maximum": 1}}, ["a"]), obj({"a": {"type": "number", "maximum": 1, "minimum": 0}}, ["a"]), ""),
    js("multipleOf introduced", obj({"a": I}, ["a"]), obj({"a": {"type": "integer", "multipleOf": 5}}, ["a"]), "B"),
    js("multipleOf dropped", obj({"a": {"type": "integer", "multipleOf": 5}}, ["a"]), obj({"a": I}, ["a"]), "F"),
    js("multipleOf 2 to 4", obj({"a": {"type": "integer", "multipleOf": 2}}, ["a"]), obj({"a": {"type": "integer", "multipleOf": 4}}, ["a"]), "B"),
    js("multipleOf 4 to 2", obj({"a": {"type": "integer", "multipleOf": 4}}, ["a"]), obj({"a": {"type": "integer", "multipleOf": 2}}, ["a"]), "F"),
    js("minLength raised", obj({"a": {"type": "string", "minLength": 1}}, ["a"]), obj({"a": {"type": "string", "minLength": 3}}, ["a"]), "B"),
    js("minLength lowered", obj({"a": {"type": "string", "minLength": 3}}, ["a"]), obj({"a": {"type": "string", "minLength": 1}}, ["a"]), "F"),
    js("maxLength lowered", obj({"a": {"type": "string", "maxLength": 10}}, ["a"]), obj({"a": {"type": "string", "maxLength": 3}}, ["a"]), "B"),
    js("maxLength raised", obj({"a": {"type": "string", "maxLength": 3}}, ["a"]), obj({"a": {"type": "string", "maxLength": 10}}, ["a"]), "F"),
    js("maxLength introduced", obj({"a": S}, ["a"]), obj({"a": {"type": "string", "maxLength": 2}}, ["a"]), "B"),
    js("pattern introduced", obj({"a": S}, ["a"]), obj({"a": {"type": "string", "pattern": "^[A-Z]+$"}}, ["a"]), "B"),
    js("pattern dropped", obj({"a": {"type": "string", "pattern": "^[A-Z]+$"}}, ["a"]), obj({"a": S}, ["a"]), "F"),
    js("pattern changed", obj({"a": {"type": "string", "pattern": "^[A-Z]+$"}}, ["a"]), obj({"a": {"type": "string", "pattern": "^[a-z]+$"}}, ["a"]), "BF"),
    js("format introduced", obj({"a": S}, ["a"]), obj({"a": {"type": "string", "format": "uuid"}}, ["a"]), "B"),
    js("format dropped", obj({"a": {"type": "string", "format": "uuid"}}, ["a"]), obj({"a": S}, ["a"]), "F"),
    js("format date to date-time", obj({"a": {"type": "string", "format": "date"}}, ["a"]), obj({"a": {"type": "string", "format": "date-time"}}, ["a"]), "BF"),
    js("additionalProperties closed", obj({"a": S}, ["a"]), obj({"a": S}, ["a"], **CLOSED), "B"),
    js("additionalProperties opened", obj({"a": S}, ["a"], **CLOSED), obj({"a": S}, ["a"]), "F"),
    js("additionalProperties schema changed", obj({"a": S}, ["a"], additionalProperties=S), obj({"a": S}, ["a"], additionalProperties=I), "BF"),
    js("minItems raised", obj({"a": {"type": "array", "items": S}}, ["a"]), obj({"a": {"type": "array", "items": S, "minItems": 2}}, ["a"]), "B"),
    js("maxItems lowered", obj({"a": {"type": "array", "items": S, "maxItems": 5}}, ["a"]), obj({"a": {"type": "array", "items": S, "maxItems": 1}}, ["a"]), "B"),
    js("maxItems raised", obj({"a": {"type": "array", "items": S, "maxItems": 1}}, ["a"]), obj({"a": {"type": "array", "items": S, "maxItems": 5}}, ["a"]), "F"),
    js("uniqueItems introduced", obj({"a": {"type": "array", "items": I, "minItems": 1}}, ["a"]), obj({"a": {"type": "array", "items": I, "minItems": 1, "uniqueItems": True}}, ["a"]), "B"),
    js("items type changed", obj({"a": {"type": "array", "items": S, "minItems": 1}}, ["a"]), obj({"a": {"type": "array", "items": I, "minItems": 1}}, ["a"]), "BF"),
    js("items bound introduced", obj({"a": {"type": "array", "items": I, "minItems": 1}}, ["a"]), obj({"a": {"type": "array", "items": {"type": "integer", "minimum": 0}, "minItems": 1}}, ["a"]), "B"),
    js("nested type changed", obj({"o": obj({"x": S}, ["x"])}, ["o"]), obj({"o": obj({"x": I}, ["x"])}, ["o"]), "BF"),
    js("nested required added", obj({"o": obj({"x": S, "y": S}, ["x"])}, ["o"]), obj({"o": obj({"x": S, "y": S}, ["x", "y"])}, ["o"]), "B"),
    js("nested property removed, closed", obj({"o": obj({"x": S, "y": S}, ["x"], **CLOSED)}, ["o"]), obj({"o": obj({"x": S}, ["x"], **CLOSED)}, ["o"]), "B"),
    js("object to string", obj({"o": obj({"x": S}, ["x"])}, ["o"]), obj({"o": S}, ["o"]), "BF"),
    js("required property renamed", obj({"a": S}, ["a"]), obj({"b": S}, ["b"]), "BF"),
    js("required list reordered", obj({"a": S, "b": S}, ["a", "b"]), obj({"a": S, "b": S}, ["b", "a"]), ""),
    js("description changed only", obj({"a": {"type": "string", "description": "old"}}, ["a"]), obj({"a": {"type": "string", "description": "new"}}, ["a"]), ""),
    js("title and examples changed only", obj({"a": S}, ["a"], title="Old"), obj({"a": S}, ["a"], title="New", examples=[{"a": "x"}]), ""),
    js("minProperties introduced", obj({"a": S}, [], minProperties=0), obj({"a": S}, [], minProperties=1), "B"),
    js("oneOf branch removed", obj({"a": {"oneOf": [S, I]}}, ["a"]), obj({"a": {"oneOf": [S]}}, ["a"]), "B"),
    js("shared definition changed",
       obj({"m": {"$ref": "Money.schema.json"}}, ["m"]), obj({"m": {"$ref": "Money.schema.json"}}, ["m"]), "BF",
       {"Money.schema.json": (obj({"amount": S}, ["amount"]), obj({"amount": I}, ["amount"]))}),
    js("shared definition unchanged",
       obj({"m": {"$ref": "Money.schema.json"}}, ["m"]), obj({"m": {"$ref": "Money.schema.json"}}, ["m"]), "",
       {"Money.schema.json": (obj({"amount": S}, ["amount"]), obj({"amount": S}, ["amount"]))}),
    js("inlined shared definition", obj({"m": {"$ref": "Money.schema.json"}}, ["m"]), obj({"m": obj({"amount": S}, ["amount"])}, ["m"]), "",
       {"Money.schema.json": (obj({"amount": S}, ["amount"]), obj({"amount": S}, ["amount"]))}),
    js("local $defs narrowed", {**obj({"a": {"$ref": "#/$defs/code"}}, ["a"]), "$defs": {"code": S}},
       {**obj({"a": {"$ref": "#/$defs/code"}}, ["a"]), "$defs": {"code": {"type": "string", "maxLength": 2}}}, "B"),
]


def record(fields: list[dict[str, Any]], name: str = "Order", **extra: Any) -> dict[str, Any]:
    return {"type": "record", "name": name, "namespace": "example.orders", "fields": fields, **extra}


def f(name: str, type_: Any, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, **extra}


def av(id: str, old: Any, new: Any, broken: str) -> Case:
    return Case(id, "avro", old, new, broken)


ID = f("id", "string")
STATUS = {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID"]}


def dec(precision: int, scale: int) -> dict[str, Any]:
    return {"type": "bytes", "logicalType": "decimal", "precision": precision, "scale": scale}


AVRO_CASES = [
    av("identical", record([ID]), record([ID]), ""),
    av("field with default added", record([ID]), record([ID, f("note", "string", default="")]), ""),
    av("field without default added", record([ID]), record([ID, f("note", "string")]), "B"),
    av("field with default removed", record([ID, f("note", "string", default="")]), record([ID]), ""),
    av("field without default removed", record([ID, f("note", "string")]), record([ID]), "F"),
    av("int promoted to long", record([f("n", "int")]), record([f("n", "long")]), "F"),
    av("long narrowed to int", record([f("n", "long")]), record([f("n", "int")]), "B"),
    av("int to float", record([f("n", "int")]), record([f("n", "float")]), "F"),
    av("int to double", record([f("n", "int")]), record([f("n", "double")]), "F"),
    av("long to double", record([f("n", "long")]), record([f("n", "double")]), "F"),
    av("float to double", record([f("n", "float")]), record([f("n", "double")]), "F"),
    av("double to float", record([f("n", "double")]), record([f("n", "float")]), "B"),
    av("int to string", record([f("n", "int")]), record([f("n", "string")]), "BF"),
    av("string to bytes (bytes need not be UTF-8)", record([f("s", "string")]), record([f("s", "bytes")]), "F"),
    av("bytes to string (bytes need not be UTF-8)", record([f("s", "bytes")]), record([f("s", "string")]), "B"),
    av("boolean to int", record([f("b", "boolean")]), record([f("b", "int")]), "BF"),
    av("enum symbol added", record([f("status", STATUS)]), record([f("status", {**STATUS, "symbols": ["NEW", "PAID", "SHIPPED"]})]), "F"),
    av("enum symbol removed", record([f("status", {**STATUS, "symbols": ["NEW", "PAID", "SHIPPED"]})]), record([f("status", STATUS)]), "B"),
    av("enum symbol added, both with default", record([f("status", {**STATUS, "default": "NEW"})]),
       record([f("status", {**STATUS, "symbols": ["NEW", "PAID", "SHIPPED"], "default": "NEW"})]), ""),
    av("enum symbol removed, new has default", record([f("status", {**STATUS, "symbols": ["NEW", "PAID", "SHIPPED"]})]),
       record([f("status", {**STATUS, "default": "NEW"})]), ""),
    av("enum renamed", record([f("status", STATUS)]), record([f("status", {**STATUS, "name": "State"})]), "BF"),
    av("nullable made required", record([f("note", ["null", "string"])]), record([f("note", "string")]), "B"),
    av("required made nullable", record([f("note", "string")]), record([f("note", ["null", "string"])]), "F"),
    av("union branch added", record([f("v", ["null", "string"])]), record([f("v", ["null", "string", "long"])]), "F"),
    av("union branch removed", record([f("v", ["null", "string", "long"])]), record([f("v", ["null", "string"])]), "B"),
    av("union reordered", record([f("v", ["null", "string"])]), record([f("v", ["string", "null"])]), ""),
    av("union member promoted", record([f("v", ["null", "int"])]), record([f("v", ["null", "long"])]), "F"),
    av("fixed size changed", record([f("h", {"type": "fixed", "name": "Hash", "size": 16})]), record([f("h", {"type": "fixed", "name": "Hash", "size": 32})]), "BF"),
    av("fixed unchanged", record([f("h", {"type": "fixed", "name": "Hash", "size": 16})]), record([f("h", {"type": "fixed", "name": "Hash", "size": 16})]), ""),
    av("record renamed", record([ID]), record([ID], name="Purchase"), "BF"),
    av("record renamed with alias", record([ID]), record([ID], name="Purchase", aliases=["Order"]), "F"),
    av("namespace changed", record([ID]), {**record([ID]), "namespace": "example.sales"}, ""),
    av("field renamed with alias", record([f("total", "long")]), record([f("amount", "long", aliases=["total"])]), "F"),
    av("field renamed with alias, both with defaults", record([f("total", "long", default=0)]), record([f("amount", "long", aliases=["total"], default=0)]), ""),
    av("field renamed, no alias", record([f("total", "long")]), record([f("amount", "long")]), "BF"),
    av("field order changed", record([ID, f("n", "int")]), record([f("n", "int"), ID]), ""),
    av("doc changed", record([ID], doc="old"), record([ID], doc="new"), ""),
    av("default changed", record([ID, f("n", "int", default=0)]), record([ID, f("n", "int", default=1)]), ""),
    av("decimal scale narrowed", record([f("amount", dec(10, 3))]), record([f("amount", dec(10, 2))]), "BF"),
    av("decimal scale narrowed, integer digits kept", record([f("amount", dec(10, 3))]), record([f("amount", dec(9, 2))]), "B"),
    av("decimal scale widened", record([f("amount", dec(10, 2))]), record([f("amount", dec(11, 3))]), "F"),
    av("decimal precision narrowed", record([f("amount", dec(10, 2))]), record([f("amount", dec(6, 2))]), "B"),
    av("decimal precision widened", record([f("amount", dec(6, 2))]), record([f("amount", dec(10, 2))]), "F"),
    av("array items promoted", record([f("xs", {"type": "array", "items": "int"})]), record([f("xs", {"type": "array", "items": "long"})]), "F"),
    av("array to map", record([f("xs", {"type": "array", "items": "string"})]), record([f("xs", {"type": "map", "values": "string"})]), "BF"),
    av("map values changed", record([f("m", {"type": "map", "values": "string"})]), record([f("m", {"type": "map", "values": "int"})]), "BF"),
    av("nested field without default added",
       record([f("line", record([f("sku", "string")], name="Line"))]),
       record([f("line", record([f("sku", "string"), f("qty", "int")], name="Line"))]), "B"),
    av("nested field with default added",
       record([f("line", record([f("sku", "string")], name="Line"))]),
       record([f("line", record([f("sku", "string"), f("qty", "int", default=1)], name="Line"))]), ""),
    av("record field to string", record([f("line", record([f("sku", "string")], name="Line"))]), record([f("line", "string")]), "BF"),
]

ALL_CASES = JSON_CASES + AVRO_CASES
