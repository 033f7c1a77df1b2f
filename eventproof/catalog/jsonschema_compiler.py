"""Compile a JSON Schema into a tree of small closures that answer "is it valid?" fast.

This is only the fast path. It covers the keywords message contracts use
(types, properties, required, additional properties, enum/const, string,
number and array bounds, formats, ``$ref``, the combinators, if/then/else);
a schema that uses anything else (``patternProperties``, ``unevaluated*``,
``contains``, ``$dynamicRef``, draft-07 ``dependencies``...) raises
``Unsupported`` and the contract falls back to jsonschema's own
``is_valid``. The detailed path always uses jsonschema, so a violation's
wording never depends on this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from jsonschema import FormatChecker
from referencing._core import Resolver
from referencing.jsonschema import DRAFT202012

from eventproof.catalog.formats import FORMAT_CHECKS, format_checker

__all__ = ["Unsupported", "compile_schema", "json_equal"]

Check = Callable[[Any], bool]

_ANNOTATIONS = frozenset({
    "$schema", "$id", "$comment", "$defs", "definitions", "$anchor", "title", "description",
    "examples", "default", "deprecated", "readOnly", "writeOnly", "contentMediaType",
    "contentEncoding", "contentSchema", "$vocabulary",
})


class Unsupported(Exception):
    """The schema uses a keyword this compiler does not cover; use jsonschema instead."""


def json_equal(left: Any, right: Any) -> bool:
    """Equality as JSON Schema means it: 1 == 1.0, but True != 1."""
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(json_equal, left, right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(json_equal(left[k], right[k]) for k in left)
    if type(left) in (list, dict) or type(right) in (list, dict):
        return False
    return bool(left == right)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _is_integer(v: Any) -> bool:
    if isinstance(v, bool):
        return False
    return isinstance(v, int) or (isinstance(v, float) and v.is_integer())


_TYPES: dict[str, Check] = {
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "integer": _is_integer,
    "number": _is_number,
    "string": lambda v: isinstance(v, str),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def compile_schema(
    schema: Any, resolver: Resolver[Any], *, fallback: Check, draft7: bool = False
) -> Check:
    """A fast ``is_valid`` for ``schema``, or ``fallback`` if the schema is outside our subset."""
    try:
        return _Compiler(format_checker(), draft7, schema).compile(schema, resolver)
    except (Unsupported, RecursionError, re.error):
        return fallback


def _all(checks: list[Check]) -> Check:
    if not checks:
        return lambda v: True
    if len(checks) == 1:
        return checks[0]
    return lambda v: all(check(v) for check in checks)


class _Compiler:
    def __init__(self, checker: FormatChecker, draft7: bool, root: Any) -> None:
        self.checker = checker
        self.draft7 = draft7
        self.root_dialect = root.get("$schema") if isinstance(root, dict) else None
        self.compiled: dict[int, Check] = {}
        self.keep_alive: list[Any] = []

    def compile(self, schema: Any, resolver: Resolver[Any]) -> Check:
        if schema is True:
            return lambda v: True
        if schema is False:
            return lambda v: False
        if not isinstance(schema, dict):
            raise Unsupported("not a schema")
        key = id(schema)
        if key in self.compiled:
            return self.compiled[key]
        # A cell breaks recursion: a schema that refers back to itself calls the
        # finished check through it once compilation is done.
        cell: list[Check] = []
        self.compiled[key] = lambda v: cell[0](v)
        self.keep_alive.append(schema)
        if "$id" in schema and isinstance(schema["$id"], str):
            resolver = resolver.in_subresource(DRAFT202012.create_resource(schema))
        check = self._compile_dict(schema, resolver)
        cell.append(check)
        self.compiled[key] = check
        return check

    def _compile_dict(self, schema: dict[str, Any], resolver: Resolver[Any]) -> Check:
        if self.draft7 and "$ref" in schema:
            return self._ref(schema["$ref"], resolver)
        generic: list[Check] = []
        by_type: dict[str, list[Check]] = {"object": [], "array": [], "string": [], "number": []}
        seen: set[str] = set()
        for keyword, value in schema.items():
            if keyword in _ANNOTATIONS or keyword.startswith("x-"):
                continue
            seen.add(keyword)
            self._keyword(keyword, value, schema, resolver, generic, by_type)
        if "additionalProperties" in seen and "properties" not in seen:
            by_type["object"].append(self._object_shape({}, schema["additionalProperties"], resolver))
        return self._assemble(schema.get("type"), generic, by_type)

    def _keyword(
        self,
        keyword: str,
        value: Any,
        schema: dict[str, Any],
        resolver: Resolver[Any],
        generic: list[Check],
        by_type: dict[str, list[Check]],
    ) -> None:
        sub = self.compile
        if keyword == "type":
            return  # handled in _assemble
        if keyword == "properties":
            additional = schema.get("additionalProperties", True)
            by_type["object"].append(self._object_shape(value, additional, resolver))
        elif keyword == "additionalProperties":
            return  # folded into the properties check
        elif keyword == "required":
            names = frozenset(value)
            by_type["object"].append(lambda v: names <= v.keys())
        elif keyword == "minProperties":
            by_type["object"].append(lambda v: len(v) >= value)
        elif keyword == "maxProperties":
            by_type["object"].append(lambda v: len(v) <= value)
        elif keyword == "propertyNames":
            names_check = sub(value, resolver)
            by_type["object"].append(lambda v: all(names_check(k) for k in v))
        elif keyword == "dependentRequired":
            pairs = [(name, frozenset(needs)) for name, needs in value.items()]
            by_type["object"].append(lambda v: all(n not in v or d <= v.keys() for n, d in pairs))
        elif keyword == "items" and isinstance(value, dict | bool):
            start = len(schema.get("prefixItems", [])) if not self.draft7 else 0
            item = sub(value, resolver)
            by_type["array"].append(lambda v: all(item(x) for x in v[start:]))
        elif keyword == "prefixItems" and not self.draft7:
            firsts = [sub(s, resolver) for s in value]
            by_type["array"].append(lambda v: all(c(x) for c, x in zip(firsts, v, strict=False)))
        elif keyword == "minItems":
            by_type["array"].append(lambda v: len(v) >= value)
        elif keyword == "maxItems":
            by_type["array"].append(lambda v: len(v) <= value)
        elif keyword == "uniqueItems":
            if value:
                by_type["array"].append(_unique)
        elif keyword in {"minLength", "maxLength", "pattern", "format"}:
            by_type["string"].append(self._string(keyword, value))
        elif keyword in {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}:
            by_type["number"].append(_number(keyword, value))
        else:
            generic.append(self._generic(keyword, value, schema, resolver))

    def _generic(
        self, keyword: str, value: Any, schema: dict[str, Any], resolver: Resolver[Any]
    ) -> Check:
        sub = self.compile
        if keyword == "$ref":
            return self._ref(value, resolver)
        if keyword == "enum":
            return _enum(value)
        if keyword == "const":
            return lambda v: json_equal(v, value)
        if keyword == "allOf":
            return _all([sub(s, resolver) for s in value])
        if keyword == "anyOf":
            options = [sub(s, resolver) for s in value]
            return lambda v: any(option(v) for option in options)
        if keyword == "oneOf":
            options = [sub(s, resolver) for s in value]
            return lambda v: sum(1 for option in options if option(v)) == 1
        if keyword == "not":
            negated = sub(value, resolver)
            return lambda v: not negated(v)
        if keyword == "if":
            condition = sub(value, resolver)
            then = sub(schema.get("then", True), resolver)
            otherwise = sub(schema.get("else", True), resolver)
            return lambda v: then(v) if condition(v) else otherwise(v)
        if keyword in {"then", "else"}:
            return lambda v: True  # applied through "if"; alone they do nothing
        raise Unsupported(keyword)

    def _ref(self, ref: Any, resolver: Resolver[Any]) -> Check:
        resolved = resolver.lookup(ref)
        target = resolved.contents
        if isinstance(target, dict) and target.get("$schema", self.root_dialect) != self.root_dialect:
            raise Unsupported("a $ref into a schema of another draft")
        return self.compile(target, resolved.resolver)

    def _object_shape(
        self, properties: dict[str, Any], additional: Any, resolver: Resolver[Any]
    ) -> Check:
        checks = {name: self.compile(s, resolver) for name, s in properties.items()}
        if additional is True:
            def open_shape(v: dict[str, Any]) -> bool:
                for name, value in v.items():
                    check = checks.get(name)
                    if check is not None and not check(value):
                        return False
                return True
            return open_shape
        other = self.compile(additional, resolver)

        def shape(v: dict[str, Any]) -> bool:
            for name, value in v.items():
                check = checks.get(name, other)
                if not check(value):
                    return False
            return True
        return shape

    def _string(self, keyword: str, value: Any) -> Check:
        if keyword == "minLength":
            return lambda v: len(v) >= value
        if keyword == "maxLength":
            return lambda v: len(v) <= value
        if keyword == "pattern":
            search = re.compile(value).search
            return lambda v: search(v) is not None
        ours = FORMAT_CHECKS.get(value)
        if ours is not None:
            return ours
        checker = self.checker
        return lambda v: checker.conforms(v, value)

    def _assemble(self, declared: Any, generic: list[Check], by_type: dict[str, list[Check]]) -> Check:
        object_part, array_part = _all(by_type["object"]), _all(by_type["array"])
        string_part, number_part = _all(by_type["string"]), _all(by_type["number"])
        rest = _all(generic)
        if declared == "object" and not by_type["array"] and not by_type["string"]:
            return lambda v: isinstance(v, dict) and object_part(v) and rest(v)
        if declared == "string" and not by_type["object"] and not by_type["array"]:
            return lambda v: isinstance(v, str) and string_part(v) and rest(v)
        if declared is None:
            type_ok: Check = lambda v: True  # noqa: E731
        else:
            names = [declared] if isinstance(declared, str) else list(declared)
            if any(name not in _TYPES for name in names):
                raise Unsupported(f"type {declared!r}")
            predicates = [_TYPES[name] for name in names]
            type_ok = predicates[0] if len(predicates) == 1 else (lambda v: any(p(v) for p in predicates))

        def check(v: Any) -> bool:
            if not type_ok(v):
                return False
            if isinstance(v, dict):
                ok = object_part(v)
            elif isinstance(v, list):
                ok = array_part(v)
            elif isinstance(v, str):
                ok = string_part(v)
            elif _is_number(v):
                ok = number_part(v)
            else:
                ok = True
            return ok and rest(v)
        return check


def _unique(items: list[Any]) -> bool:
    return all(not json_equal(items[i], items[j]) for i in range(len(items)) for j in range(i))


def _enum(options: list[Any]) -> Check:
    strings = frozenset(o for o in options if isinstance(o, str))
    others = [o for o in options if not isinstance(o, str)]

    def check(v: Any) -> bool:
        if isinstance(v, str):
            return v in strings
        return any(json_equal(v, o) for o in others)
    return check


def _number(keyword: str, bound: Any) -> Check:
    if keyword == "minimum":
        return lambda v: v >= bound
    if keyword == "maximum":
        return lambda v: v <= bound
    if keyword == "exclusiveMinimum":
        return lambda v: v > bound
    if keyword == "exclusiveMaximum":
        return lambda v: v < bound

    def multiple(v: Any) -> bool:
        # Same arithmetic as jsonschema's multipleOf, so both paths agree on floats.
        if isinstance(bound, float):
            try:
                quotient = v / bound
                return int(quotient) == quotient
            except OverflowError:
                return False
        return not (v % bound)
    return multiple
