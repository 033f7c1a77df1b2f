"""Generate one flat Python function per JSON Schema and compile it once: the fast path.

A closure per keyword costs a Python call per keyword per value; for small
messages those calls are most of the time. Like fastjsonschema, this module
writes the checks of a whole schema out as straight-line Python (local
variables, ``return False`` at the first failure) and ``compile()``s it
once per contract. Subschemas are inlined, ``$ref`` targets included; a
schema gets a function of its own only where a boolean is needed
(``anyOf``, ``oneOf``, ``not``, ``if``), where it refers back to itself,
or where inlining would nest too deeply or repeat too often.

The keywords it covers are the ones message contracts use (types,
properties, required, additional properties, enum/const, string, number and
array bounds, formats, ``$ref``, the combinators, if/then/else), each written
by the method its entry in the one keyword table ``_WRITERS`` names; a schema that uses anything else
(``patternProperties``, ``unevaluated*``, ``contains``, ``$dynamicRef``,
draft-07 ``dependencies``...) raises ``Unsupported`` and ``fast_check``
falls back to jsonschema's own ``is_valid``. There is no third path: a
differential test holds the generated code to jsonschema. The detailed path
never uses this module, so violations read the same whatever happens here.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from jsonschema import FormatChecker
from referencing._core import Resolver
from referencing.jsonschema import DRAFT202012

from eventproof.catalog.codegen import CodeWriter
from eventproof.catalog.formats import FORMAT_CHECKS, UUID_PATTERN, format_checker
from eventproof.catalog.value_tests import (
    Check,
    Unsupported,
    is_json_integer,
    is_json_number,
    json_equal,
    multiple_of_float,
    unique_items,
)

__all__ = ["fast_check", "generate_check"]


_ANNOTATIONS = frozenset({
    "$schema", "$id", "$comment", "$defs", "definitions", "$anchor", "title", "description",
    "examples", "default", "deprecated", "readOnly", "writeOnly", "contentMediaType",
    "contentEncoding", "contentSchema", "$vocabulary", "then", "else",
})
_OBJECT = frozenset({"properties", "additionalProperties", "required", "minProperties",
                     "maxProperties", "propertyNames", "dependentRequired"})
_ARRAY = frozenset({"items", "prefixItems", "minItems", "maxItems", "uniqueItems"})
_STRING = frozenset({"minLength", "maxLength", "pattern", "format"})
_NUMBER = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"})

# Same tests as jsonschema's type checker, with the common exact type first.
_TYPE_TESTS = {
    "null": "{v} is None",
    "boolean": "({v} is True or {v} is False)",
    "integer": "(type({v}) is int or _is_integer({v}))",
    "number": "(type({v}) is float or type({v}) is int or _is_number({v}))",
    "string": "isinstance({v}, str)",
    "array": "isinstance({v}, list)",
    "object": "isinstance({v}, dict)",
}
_GROUP_OF_TYPE = {"object": "object", "array": "array", "string": "string",
                  "number": "number", "integer": "number"}

# Past these, a subschema becomes a call: Python allows 20 nested loops per
# function, and a schema shared by many properties should not be copied into each.
_MAX_INDENT = 8
_MAX_INLINES_PER_SCHEMA = 4


def fast_check(schema: Any, resolver: Resolver[Any], *, fallback: Check, draft7: bool = False) -> Check:
    """The fastest yes/no check we can build for ``schema``: generated code, else ``fallback``."""
    try:
        return generate_check(schema, resolver, draft7=draft7)
    except (Unsupported, RecursionError, re.error, SyntaxError, MemoryError):
        return fallback


def generate_check(schema: Any, resolver: Resolver[Any], *, draft7: bool = False) -> Check:
    """Compile ``schema`` to one Python function; raise Unsupported outside our keyword subset."""
    generator = _Generator(format_checker(), draft7, schema)
    entry = generator.function(schema, resolver)
    generator.finish()
    return generator.build(entry, "validator")


def _enum_matcher(options: list[Any]) -> Check:
    others = [option for option in options if not isinstance(option, str)]
    return lambda v: any(json_equal(v, option) for option in others)


class _Generator(CodeWriter):
    def __init__(self, checker: FormatChecker, draft7: bool, root: Any) -> None:
        self.checker = checker
        self.draft7 = draft7
        self.root_dialect = root.get("$schema") if isinstance(root, dict) else None
        super().__init__({
            "_is_integer": is_json_integer, "_is_number": is_json_number, "_unique": unique_items,
            "_json_equal": json_equal, "_multiple_of_float": multiple_of_float,
        })
        self.function_names: dict[int, str] = {}
        self.pending: list[tuple[str, Any, Resolver[Any]]] = []
        self.inlined: dict[int, int] = {}
        self.inlining: set[int] = set()

    def function(self, schema: Any, resolver: Resolver[Any]) -> str:
        """The name of a generated function checking ``schema``; written later by finish()."""
        key = id(schema)
        if key not in self.function_names:
            self.function_names[key] = self.fresh("_check")
            self.keep_alive.append(schema)
            self.pending.append((self.function_names[key], schema, resolver))
        return self.function_names[key]

    def finish(self) -> None:
        while self.pending:
            name, schema, resolver = self.pending.pop(0)
            self.emit(0, f"def {name}(v):")
            self.inlining = {id(schema)}
            self.inlined = {}
            self.schema(schema, resolver, "v", 1)
            self.emit(1, "return True")

    def subschema(self, schema: Any, resolver: Resolver[Any], v: str, indent: int) -> None:
        """Inline ``schema`` on ``v`` unless it recurses, nests too deep or repeats too often."""
        if schema is True:
            return
        key = id(schema)
        if key in self.inlining or indent > _MAX_INDENT or self.inlined.get(key, 0) >= _MAX_INLINES_PER_SCHEMA:
            self.fail_if(indent, f"not {self.function(schema, resolver)}({v})")
            return
        self.inlined[key] = self.inlined.get(key, 0) + 1
        self.inlining.add(key)
        self.keep_alive.append(schema)
        self.schema(schema, resolver, v, indent)
        self.inlining.discard(key)

    def bind(self, expression: str, schema: Any, resolver: Resolver[Any], indent: int) -> None:
        """Check ``expression`` (a property or item of the value) through a fresh local."""
        local = self.fresh("v")
        self.emit(indent, f"{local} = {expression}")
        self.subschema(schema, resolver, local, indent)

    def schema(self, schema: Any, resolver: Resolver[Any], v: str, indent: int) -> None:
        if schema is True:
            return
        if schema is False:
            self.emit(indent, "return False")
            return
        if not isinstance(schema, dict):
            raise Unsupported("not a schema")
        if isinstance(schema.get("$id"), str):
            resolver = resolver.in_subresource(DRAFT202012.create_resource(schema))
        if self.draft7 and "$ref" in schema:
            self.ref(schema["$ref"], resolver, v, indent)
            return
        keywords = {k for k in schema if k not in _ANNOTATIONS and not k.startswith("x-")}
        if self.draft7:
            keywords.discard("prefixItems")  # not a draft-07 keyword: an annotation there
        unknown = keywords - _KNOWN
        if unknown:
            raise Unsupported(sorted(unknown)[0])
        known_group = self.types(schema.get("type"), v, indent)
        for group_keywords, applies_to, method in _WRITERS:
            if not keywords & group_keywords:
                continue
            write = partial(getattr(self, method), schema, resolver, v)
            if applies_to is None or applies_to == known_group:
                write(indent)
            else:
                self.block(indent, f"if {_TYPE_TESTS[applies_to].format(v=v)}:", write)

    def types(self, declared: Any, v: str, indent: int) -> str | None:
        """Emit the ``type`` test; return the keyword group it makes certain, if any."""
        if declared is None:
            return None
        names = [declared] if isinstance(declared, str) else list(declared)
        if any(name not in _TYPE_TESTS for name in names):
            raise Unsupported(f"type {declared!r}")
        self.fail_if(indent, "not (" + " or ".join(_TYPE_TESTS[n].format(v=v) for n in names) + ")")
        return _GROUP_OF_TYPE.get(names[0]) if len(names) == 1 else None

    def object_group(self, schema: dict[str, Any], resolver: Resolver[Any], v: str, indent: int) -> None:
        properties: dict[str, Any] = schema.get("properties", {})
        additional = schema.get("additionalProperties", True)
        required = frozenset(schema.get("required", ()))
        if additional is False and required == properties.keys():
            self.fail_if(indent, f"{v}.keys() != {self.constant(frozenset(properties))}")
        else:
            if additional is False:
                self.fail_if(indent, f"not {v}.keys() <= {self.constant(frozenset(properties))}")
            if required:
                self.fail_if(indent, f"not {v}.keys() >= {self.constant(required)}")
        if "minProperties" in schema:
            self.fail_if(indent, f"len({v}) < {schema['minProperties']!r}")
        if "maxProperties" in schema:
            self.fail_if(indent, f"len({v}) > {schema['maxProperties']!r}")
        for name, sub in properties.items():
            if sub is True:
                continue
            item = f"{v}[{name!r}]"
            if name in required:
                self.bind(item, sub, resolver, indent)
            else:
                self.block(indent, f"if {name!r} in {v}:", partial(self.bind, item, sub, resolver))
        if additional is not True and additional is not False:
            name, value = self.fresh("k"), self.fresh("v")
            declared = self.constant(frozenset(properties))
            self.block(indent, f"for {name}, {value} in {v}.items():", lambda inner: self.block(
                inner, f"if {name} not in {declared}:",
                lambda deeper: self.subschema(additional, resolver, value, deeper)))
        if "propertyNames" in schema:
            name = self.fresh("k")
            self.block(indent, f"for {name} in {v}:",
                       lambda inner: self.subschema(schema["propertyNames"], resolver, name, inner))
        for name, needs in schema.get("dependentRequired", {}).items():
            self.fail_if(indent, f"{name!r} in {v} and not {v}.keys() >= {self.constant(frozenset(needs))}")

    def array_group(self, schema: dict[str, Any], resolver: Resolver[Any], v: str, indent: int) -> None:
        if schema.get("minItems"):
            self.fail_if(indent, f"len({v}) < {schema['minItems']!r}")
        if "maxItems" in schema:
            self.fail_if(indent, f"len({v}) > {schema['maxItems']!r}")
        items = schema.get("items", True)
        if isinstance(items, list):
            raise Unsupported("items as a list (tuple validation)")
        firsts = [] if self.draft7 else schema.get("prefixItems", [])
        for index, sub in enumerate(firsts):
            self.block(indent, f"if len({v}) > {index}:", partial(self.bind, f"{v}[{index}]", sub, resolver))
        if items is not True:
            item = self.fresh("v")
            source = f"{v}[{len(firsts)}:]" if firsts else v
            self.block(indent, f"for {item} in {source}:",
                       lambda inner: self.subschema(items, resolver, item, inner))
        if schema.get("uniqueItems"):
            self.fail_if(indent, f"not _unique({v})")

    def string_group(self, schema: dict[str, Any], resolver: Resolver[Any], v: str, indent: int) -> None:
        if schema.get("minLength"):
            self.fail_if(indent, f"len({v}) < {schema['minLength']!r}")
        if "maxLength" in schema:
            self.fail_if(indent, f"len({v}) > {schema['maxLength']!r}")
        if "pattern" in schema:
            self.fail_if(indent, f"{self.constant(re.compile(schema['pattern']).search)}({v}) is None")
        name = schema.get("format")
        if name == "uuid":
            self.fail_if(indent, f"{self.constant(UUID_PATTERN.fullmatch)}({v}) is None")
        elif name in FORMAT_CHECKS:
            self.fail_if(indent, f"not {self.constant(FORMAT_CHECKS[name])}({v})")
        elif name is not None:
            self.fail_if(indent, f"not {self.constant(self.checker.conforms)}({v}, {name!r})")

    def number_group(self, schema: dict[str, Any], resolver: Resolver[Any], v: str, indent: int) -> None:
        for keyword, failing in (("minimum", "<"), ("maximum", ">"),
                                 ("exclusiveMinimum", "<="), ("exclusiveMaximum", ">=")):
            if keyword in schema:
                self.fail_if(indent, f"{v} {failing} {self.constant(schema[keyword])}")
        step = schema.get("multipleOf")
        if isinstance(step, float):
            step_name, quotient = self.constant(step), self.fresh("q")
            self.emit(indent, "try:")
            self.emit(indent + 1, f"{quotient} = {v} / {step_name}")
            self.fail_if(indent + 1, f"int({quotient}) != {quotient}")
            self.emit(indent, "except OverflowError:")
            self.fail_if(indent + 1, f"not _multiple_of_float({v}, {step_name})")
        elif step is not None:
            self.fail_if(indent, f"{v} % {self.constant(step)}")

    def ref_keyword(self, schema: dict[str, Any], resolver: Resolver[Any], v: str, indent: int) -> None:
        self.ref(schema["$ref"], resolver, v, indent)

    def enum_keyword(self, schema: dict[str, Any], resolver: Resolver[Any], v: str, indent: int) -> None:
        value = schema["enum"]
        strings = self.constant(frozenset(o for o in value if isinstance(o, str)))
        if all(isinstance(o, str) for o in value) and schema.get("type") == "string":
            self.fail_if(indent, f"{v} not in {strings}")
        elif all(isinstance(o, str) for o in value):
            self.fail_if(indent, f"not (isinstance({v}, str) and {v} in {strings})")
        else:
            others = self.constant(_enum_matcher(value))
            self.fail_if(indent, f"not ({v} in {strings} if isinstance({v}, str) else {others}({v}))")

    def const_keyword(self, schema: dict[str, Any], resolver: Resolver[Any], v: str, indent: int) -> None:
        self.fail_if(indent, f"not _json_equal({v}, {self.constant(schema['const'])})")

    def all_of_keyword(self, schema: dict[str, Any], resolver: Resolver[Any], v: str, indent: int) -> None:
        for sub in schema["allOf"]:
            self.subschema(sub, resolver, v, indent)

    def any_of_keyword(self, schema: dict[str, Any], resolver: Resolver[Any], v: str, indent: int) -> None:
        calls = [f"{self.function(sub, resolver)}({v})" for sub in schema["anyOf"]]
        self.fail_if(indent, "not (" + " or ".join(calls) + ")")

    def one_of_keyword(self, schema: dict[str, Any], resolver: Resolver[Any], v: str, indent: int) -> None:
        calls = [f"{self.function(sub, resolver)}({v})" for sub in schema["oneOf"]]
        self.fail_if(indent, "[" + ", ".join(calls) + "].count(True) != 1")

    def not_keyword(self, schema: dict[str, Any], resolver: Resolver[Any], v: str, indent: int) -> None:
        self.fail_if(indent, f"{self.function(schema['not'], resolver)}({v})")

    def if_keyword(self, schema: dict[str, Any], resolver: Resolver[Any], v: str, indent: int) -> None:
        condition = f"{self.function(schema['if'], resolver)}({v})"
        self.block(indent, f"if {condition}:",
                   lambda inner: self.subschema(schema.get("then", True), resolver, v, inner))
        self.block(indent, "else:",
                   lambda inner: self.subschema(schema.get("else", True), resolver, v, inner))

    def ref(self, ref: Any, resolver: Resolver[Any], v: str, indent: int) -> None:
        resolved = resolver.lookup(ref)
        target = resolved.contents
        if isinstance(target, dict) and target.get("$schema", self.root_dialect) != self.root_dialect:
            raise Unsupported("a $ref into a schema of another draft")
        self.subschema(target, resolved.resolver, v, indent)


# The one keyword table, in the order the checks are written: keywords ->
# (the JSON type they apply to, or None for every value; the _Generator method
# writing them). A type's keywords are written together under one type test.
_WRITERS: list[tuple[frozenset[str], str | None, str]] = [
    (_OBJECT, "object", "object_group"),
    (_ARRAY, "array", "array_group"),
    (_STRING, "string", "string_group"),
    (_NUMBER, "number", "number_group"),
    (frozenset({"$ref"}), None, "ref_keyword"),
    (frozenset({"enum"}), None, "enum_keyword"),
    (frozenset({"const"}), None, "const_keyword"),
    (frozenset({"allOf"}), None, "all_of_keyword"),
    (frozenset({"anyOf"}), None, "any_of_keyword"),
    (frozenset({"oneOf"}), None, "one_of_keyword"),
    (frozenset({"not"}), None, "not_keyword"),
    (frozenset({"if"}), None, "if_keyword"),
]
_KNOWN = frozenset({"type"}).union(*(keywords for keywords, _, _ in _WRITERS))
