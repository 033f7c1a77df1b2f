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
    # Unrolled for the usual one to three checks: a generator per call costs more
    # than the checks themselves on small messages.
    if not checks:
        return lambda v: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) and second(v)
    if len(checks) == 3:
        first, second, third = checks
        return lambda v: first(v) and second(v) and third(v)
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
        declared = schema.get("type")
        if seen & _STRING_KEYWORDS:
            by_type["string"].insert(0, self._string_group(schema, typed=declared == "string"))
        if seen & _NUMBER_KEYWORDS:
            typed = declared if declared in ("number", "integer") else None
            by_type["number"].insert(0, _number_group(schema, typed))
        if seen & _ARRAY_KEYWORDS:
            by_type["array"].insert(0, self._array_group(schema, resolver, typed=declared == "array"))
        if seen & {"properties", "additionalProperties", "required"}:
            by_type["object"].insert(0, self._object_shape(
                schema.get("properties", {}),
                schema.get("additionalProperties", True),
                frozenset(schema.get("required", ())),
                resolver,
                typed=schema.get("type") == "object",
            ))
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
        if keyword in {"properties", "additionalProperties", "required"}:
            return  # folded into one object check by _compile_dict
        if keyword == "minProperties":
            by_type["object"].append(lambda v: len(v) >= value)
        elif keyword == "maxProperties":
            by_type["object"].append(lambda v: len(v) <= value)
        elif keyword == "propertyNames":
            names_check = sub(value, resolver)
            by_type["object"].append(lambda v: all(names_check(k) for k in v))
        elif keyword == "dependentRequired":
            pairs = [(name, frozenset(needs)) for name, needs in value.items()]
            by_type["object"].append(lambda v: all(n not in v or d <= v.keys() for n, d in pairs))
        elif keyword == "items" and isinstance(value, list):
            raise Unsupported("items as a list (tuple validation)")
        elif keyword == "prefixItems" and self.draft7:
            return  # not a draft-07 keyword: an annotation there
        elif keyword in _STRING_KEYWORDS | _NUMBER_KEYWORDS | _ARRAY_KEYWORDS:
            return  # grouped into one check per type by _compile_dict
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
        self,
        properties: dict[str, Any],
        additional: Any,
        required: frozenset[str],
        resolver: Resolver[Any],
        *,
        typed: bool,
    ) -> Check:
        """One pass over the object: its type (if declared), required names, each value."""
        checks = {name: self.compile(s, resolver) for name, s in properties.items()}
        other = None if additional is True else self.compile(additional, resolver)

        def shape(v: Any) -> bool:
            if typed and not isinstance(v, dict):
                return False
            if required and not required <= v.keys():
                return False
            for name, value in v.items():
                check = checks.get(name, other)
                if check is not None and not check(value):
                    return False
            return True
        return shape

    def _string_group(self, schema: dict[str, Any], *, typed: bool) -> Check:
        low, high = schema.get("minLength", 0), schema.get("maxLength")
        search = re.compile(schema["pattern"]).search if "pattern" in schema else None
        name = schema.get("format")
        conforms: Check | None = None
        if name is not None:
            checker = self.checker
            conforms = FORMAT_CHECKS.get(name) or (lambda v: checker.conforms(v, name))

        def check(v: Any) -> bool:
            if typed and not isinstance(v, str):
                return False
            if low and len(v) < low:
                return False
            if high is not None and len(v) > high:
                return False
            if search is not None and search(v) is None:
                return False
            return conforms is None or bool(conforms(v))
        return check

    def _array_group(self, schema: dict[str, Any], resolver: Resolver[Any], *, typed: bool) -> Check:
        low, high = schema.get("minItems", 0), schema.get("maxItems")
        unique = bool(schema.get("uniqueItems", False))
        firsts = [] if self.draft7 else [self.compile(s, resolver) for s in schema.get("prefixItems", [])]
        items = schema.get("items", True)
        rest = None if items is True else self.compile(items, resolver)
        start = len(firsts)

        def check(v: Any) -> bool:
            if typed and not isinstance(v, list):
                return False
            if low and len(v) < low:
                return False
            if high is not None and len(v) > high:
                return False
            if firsts and not all(c(x) for c, x in zip(firsts, v, strict=False)):
                return False
            if rest is not None:
                for x in (v[start:] if start else v):
                    if not rest(x):
                        return False
            return not unique or _unique(v)
        return check

    def _assemble(self, declared: Any, generic: list[Check], by_type: dict[str, list[Check]]) -> Check:
        parts = {kind: _all(checks) for kind, checks in by_type.items() if checks}
        rest = [_all(generic)] if generic else []
        if isinstance(declared, str):
            if declared not in _TYPES:
                raise Unsupported(f"type {declared!r}")
            part = parts.get(_PART_OF.get(declared, ""))
            if part is not None and len(by_type[_PART_OF[declared]]) == 1:
                return _all([part, *rest])  # the group's own check tests the type
            return _all([_TYPES[declared], *([part] if part else []), *rest])
        if declared is None:
            type_ok: Check | None = None
        else:
            names = list(declared)
            if any(name not in _TYPES for name in names):
                raise Unsupported(f"type {declared!r}")
            predicates = [_TYPES[name] for name in names]
            type_ok = lambda v: any(p(v) for p in predicates)  # noqa: E731
        if not parts:
            return _all([*([type_ok] if type_ok else []), *rest])
        object_part, array_part = parts.get("object"), parts.get("array")
        string_part, number_part = parts.get("string"), parts.get("number")

        def by_kind(v: Any) -> bool:
            if isinstance(v, dict):
                return object_part is None or object_part(v)
            if isinstance(v, list):
                return array_part is None or array_part(v)
            if isinstance(v, str):
                return string_part is None or string_part(v)
            if _is_number(v):
                return number_part is None or number_part(v)
            return True
        return _all([*([type_ok] if type_ok else []), by_kind, *rest])


_PART_OF = {"object": "object", "array": "array", "string": "string", "number": "number",
            "integer": "number"}


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


_STRING_KEYWORDS = frozenset({"minLength", "maxLength", "pattern", "format"})
_NUMBER_KEYWORDS = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                              "multipleOf"})
_ARRAY_KEYWORDS = frozenset({"items", "prefixItems", "minItems", "maxItems", "uniqueItems"})


def _number_group(schema: dict[str, Any], typed: str | None) -> Check:
    minimum, maximum = schema.get("minimum"), schema.get("maximum")
    above, below = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    step = schema.get("multipleOf")
    type_ok = _is_integer if typed == "integer" else _is_number if typed == "number" else None

    def check(v: Any) -> bool:
        if type_ok is not None and not type_ok(v):
            return False
        if minimum is not None and v < minimum:
            return False
        if maximum is not None and v > maximum:
            return False
        if above is not None and v <= above:
            return False
        if below is not None and v >= below:
            return False
        return step is None or _multiple_of(v, step)
    return check


def _multiple_of(v: Any, step: Any) -> bool:
    # Same arithmetic as jsonschema's multipleOf, so both paths agree on floats.
    if isinstance(step, float):
        try:
            quotient = v / step
            return int(quotient) == quotient
        except OverflowError:
            return False
    return not (v % step)
