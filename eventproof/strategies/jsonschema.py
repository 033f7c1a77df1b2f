"""Compile a JSON Schema (draft 2020-12 or draft-07) into a hypothesis strategy.

The compiler walks the schema once and builds strategies bottom-up: objects
become ``fixed_dictionaries`` (required keys always present, the others
optional), arrays ``lists``, patterns ``from_regex(fullmatch=True)``, enums
``sampled_from``. It generates only what the schema accepts; filters are used
where no constructive form exists (``oneOf``'s "exactly one", ``not``, a lossy
``allOf`` merge, float ``multipleOf``) and always check with the validator of
the same draft. Anything it does not understand raises ``StrategyError``.

How examples shrink: optional properties disappear, arrays shrink to their
minimum length, text to short strings of letters and digits, numbers toward
zero (or toward the nearest bound), enums and unions toward their first entry.
Recursive ``$ref`` is followed at most ``max_recursion`` times along one path;
past that, only the branches that stop (an optional property left out, an
empty array, a non-recursive ``anyOf`` branch) remain.
"""

from __future__ import annotations

import re
from typing import Any

import jsonschema.validators
import referencing.exceptions
from hypothesis import strategies as st
from referencing import Registry
from referencing._core import Resolver  # the public type of Registry.resolver()
from referencing.jsonschema import DRAFT7, DRAFT202012

from eventproof.catalog.formats import format_checker
from eventproof.strategies import _json, _numbers
from eventproof.strategies._merge import merge
from eventproof.strategies.errors import StrategyError
from eventproof.strategies.formats import FORMATS

__all__ = ["JsonSchemaCompiler", "draft7_schema", "json_schema_strategy"]

ANNOTATIONS = frozenset(
    {
        "$schema", "$id", "$anchor", "$dynamicAnchor", "$comment", "$defs", "definitions",
        "$vocabulary", "title", "description", "default", "examples", "deprecated",
        "readOnly", "writeOnly", "contentEncoding", "contentMediaType",
    }
)  # fmt: skip
SUPPORTED = frozenset(
    {
        "$ref", "type", "enum", "const", "allOf", "anyOf", "oneOf", "not",
        "properties", "required", "additionalProperties", "patternProperties",
        "minProperties", "maxProperties",
        "items", "prefixItems", "additionalItems", "minItems", "maxItems", "uniqueItems",
        "minLength", "maxLength", "pattern", "format",
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
        "if", "then", "else",
    }
)  # fmt: skip
_KEYWORD_TYPES = {
    "object": ("properties", "required", "additionalProperties", "patternProperties",
               "minProperties", "maxProperties"),
    "array": ("items", "prefixItems", "additionalItems", "minItems", "maxItems", "uniqueItems"),
    "string": ("minLength", "maxLength", "pattern", "format"),
    "number": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
}  # fmt: skip
# null first: a union shrinks toward its simplest member.
_TYPE_ORDER = ("null", "boolean", "integer", "number", "string", "array", "object")


class _TooDeep(Exception):
    """A recursive $ref ran out of budget on this path; the caller picks a stopping branch."""


class JsonSchemaCompiler:
    """Compiles the schemas of one contract (one registry, one draft)."""

    def __init__(
        self,
        *,
        contract: str,
        registry: Registry[Any],
        draft7: bool = False,
        max_recursion: int = 2,
    ) -> None:
        self.contract = contract
        self.registry = registry
        self.draft7 = draft7
        self.max_recursion = max_recursion
        self.validator_class: Any = (
            jsonschema.validators.Draft7Validator
            if draft7
            else jsonschema.validators.Draft202012Validator
        )

    # --- entry point ---------------------------------------------------------
    def compile(
        self, schema: Any, resolver: Resolver[Any]
    ) -> st.SearchStrategy[Any]:
        try:
            return self._compile(schema, resolver, "#", ())
        except _TooDeep:
            raise self.error(
                "a recursive $ref never reaches a case that stops (every path recurses)",
                keyword="$ref",
                where="#",
            ) from None

    def error(self, headline: str, *, keyword: str, where: str) -> StrategyError:
        return StrategyError(headline, keyword=keyword, pointer=where, contract=self.contract)

    def is_valid(self, schema: Any, resolver: Resolver[Any], value: Any) -> bool:
        validator = self.validator_class(
            schema,
            _resolver=resolver,
            format_checker=format_checker(),
        )
        return bool(validator.is_valid(value))

    # --- the walk ----------------------------------------------------------------
    def _compile(
        self, schema: Any, resolver: Resolver[Any], where: str, stack: tuple[int, ...]
    ) -> st.SearchStrategy[Any]:
        if schema is True or schema == {}:
            return _json.values()
        if schema is False:
            raise self.error("the schema `false` accepts no value", keyword="false", where=where)
        if not isinstance(schema, dict):
            raise self.error(f"expected a schema object, found {schema!r}", keyword="", where=where)
        self._check_keywords(schema, where)
        if "$ref" in schema:
            return self._compile_ref(schema, resolver, where, stack)
        if "allOf" in schema:
            return self._compile_all_of(schema, resolver, where, stack)
        for keyword in ("oneOf", "anyOf"):
            if keyword in schema:
                return self._compile_choice(keyword, schema, resolver, where, stack)
        if "if" in schema:
            return self._compile_condition(schema, resolver, where, stack)
        if "not" in schema:
            rest = {k: v for k, v in schema.items() if k != "not"}
            forbidden = schema["not"]
            return self._compile(rest, resolver, where, stack).filter(
                lambda value: not self.is_valid(forbidden, resolver, value)
            )
        if "const" in schema or "enum" in schema:
            return self._compile_enum(schema, resolver, where)
        types = self._types(schema)
        if not types:
            return _json.values()
        branches = [
            self._compile_type(t, schema, resolver, f"{where}", stack)
            for t in sorted(types, key=_TYPE_ORDER.index)
        ]
        return branches[0] if len(branches) == 1 else st.one_of(branches)

    def _check_keywords(self, schema: dict[str, Any], where: str) -> None:
        for keyword in schema:
            if keyword in SUPPORTED or keyword in ANNOTATIONS or keyword.startswith("x-"):
                continue
            raise self.error(
                f"the keyword {keyword!r} is not supported by eventproof's strategies",
                keyword=keyword,
                where=where,
            )

    def _types(self, schema: dict[str, Any]) -> list[str]:
        declared = schema.get("type")
        if declared is not None:
            types = [declared] if isinstance(declared, str) else list(declared)
            if "integer" in types and "number" in types:
                types.remove("integer")
            return types
        return [t for t, keys in _KEYWORD_TYPES.items() if any(k in schema for k in keys)]

    def _resolve(
        self, schema: dict[str, Any], resolver: Resolver[Any], where: str,
        stack: tuple[int, ...],
    ) -> tuple[Any, Resolver[Any], tuple[int, ...]]:
        try:
            resolved = resolver.lookup(schema["$ref"])
        except referencing.exceptions.Unresolvable as exc:
            raise self.error(f"cannot resolve $ref {schema['$ref']!r} ({exc})", keyword="$ref",
                             where=where) from None
        key = id(resolved.contents)
        if stack.count(key) >= self.max_recursion:
            raise _TooDeep
        return resolved.contents, resolved.resolver, (*stack, key)

    def _compile_ref(
        self, schema: dict[str, Any], resolver: Resolver[Any], where: str,
        stack: tuple[int, ...],
    ) -> st.SearchStrategy[Any]:
        siblings = {k: v for k, v in schema.items() if k != "$ref" and k not in ANNOTATIONS}
        if siblings and not self.draft7:  # draft-07 ignores keywords beside $ref
            ref_only = {"$ref": schema["$ref"]}
            return self._compile_all_of({"allOf": [ref_only, siblings]}, resolver, where, stack)
        target, target_resolver, stack = self._resolve(schema, resolver, where, stack)
        return self._compile(target, target_resolver, f"{where}/$ref", stack)

    def _flatten(
        self, schema: Any, resolver: Resolver[Any], where: str, stack: tuple[int, ...]
    ) -> tuple[Any, Resolver[Any], tuple[int, ...]]:
        """Follow top-level $refs so the schema's own keywords can be merged."""
        while isinstance(schema, dict) and "$ref" in schema and len(schema) == 1:
            schema, resolver, stack = self._resolve(schema, resolver, where, stack)
        return schema, resolver, stack

    def _compile_all_of(
        self, schema: dict[str, Any], resolver: Resolver[Any], where: str,
        stack: tuple[int, ...],
    ) -> st.SearchStrategy[Any]:
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        lossy = False
        pending = list(schema["allOf"])
        while pending:
            part, _, stack = self._flatten(pending.pop(0), resolver, where, stack)
            if part is False:
                raise self.error("allOf contains `false`", keyword="allOf", where=where)
            if part is True:
                continue
            if "$ref" in part:  # a $ref beside other keywords: merge its target too
                target, _, stack = self._resolve(part, resolver, where, stack)
                pending.append(target)
                part = {k: v for k, v in part.items() if k != "$ref"}
            pending.extend(part.get("allOf", []))
            part = {k: v for k, v in part.items() if k != "allOf"}
            merged, part_lossy = merge(merged, part)
            lossy |= part_lossy
            pending.extend(merged.pop("allOf", []))
        strategy = self._compile(merged, resolver, f"{where}/allOf", stack)
        if lossy:
            return strategy.filter(lambda value: self.is_valid(schema, resolver, value))
        return strategy

    def _compile_choice(
        self, keyword: str, schema: dict[str, Any], resolver: Resolver[Any],
        where: str, stack: tuple[int, ...],
    ) -> st.SearchStrategy[Any]:
        rest = {k: v for k, v in schema.items() if k != keyword}
        branches: list[st.SearchStrategy[Any]] = []
        for index, branch in enumerate(schema[keyword]):
            try:
                branches.append(
                    self._compile({"allOf": [rest, branch]} if rest else branch, resolver,
                                  f"{where}/{keyword}/{index}", stack)
                )
            except _TooDeep:
                continue
        if not branches:
            raise _TooDeep
        strategy = st.one_of(branches)
        if keyword == "oneOf":
            options = schema["oneOf"]

            def exactly_one(value: Any) -> bool:
                return sum(self.is_valid(b, resolver, value) for b in options) == 1

            strategy = strategy.filter(exactly_one)
        return strategy

    def _compile_condition(
        self, schema: dict[str, Any], resolver: Resolver[Any], where: str,
        stack: tuple[int, ...],
    ) -> st.SearchStrategy[Any]:
        """``if``/``then``/``else`` as two branches: (if and then) or (not if, and else)."""
        rest = {k: v for k, v in schema.items() if k not in ("if", "then", "else")}
        condition = schema["if"]
        branches: list[st.SearchStrategy[Any]] = []
        for index, parts in enumerate(
            ([condition, schema.get("then", True)], [schema.get("else", True)])
        ):
            try:
                strategy = self._compile({"allOf": [rest, *parts]}, resolver,
                                         f"{where}/{'then' if index == 0 else 'else'}", stack)
            except StrategyError:
                continue  # this side cannot be met; the other may still be
            if index == 1:
                strategy = strategy.filter(
                    lambda value: not self.is_valid(condition, resolver, value)
                )
            branches.append(strategy)
        if not branches:
            raise self.error("neither the then nor the else side of `if` can be met",
                             keyword="if", where=where)
        return st.one_of(branches)

    def _compile_enum(
        self, schema: dict[str, Any], resolver: Resolver[Any], where: str
    ) -> st.SearchStrategy[Any]:
        candidates = [schema["const"]] if "const" in schema else list(schema["enum"])
        constrained = any(k not in ("const", "enum", *ANNOTATIONS) for k in schema)
        if constrained:
            candidates = [c for c in candidates if self.is_valid(schema, resolver, c)]
        if not candidates:
            keyword = "const" if "const" in schema else "enum"
            raise self.error("no value of the enum/const satisfies the schema", keyword=keyword,
                             where=where)
        return st.sampled_from(candidates)

    def _compile_type(
        self, type_name: str, schema: dict[str, Any], resolver: Resolver[Any],
        where: str, stack: tuple[int, ...],
    ) -> st.SearchStrategy[Any]:
        if type_name == "null":
            return st.none()
        if type_name == "boolean":
            return st.booleans()
        if type_name in ("integer", "number"):
            return _numbers.numbers(schema, integer=type_name == "integer",
                                    error=lambda text, key: self.error(text, keyword=key,
                                                                       where=where))
        if type_name == "string":
            return self._compile_string(schema, where)
        if type_name == "array":
            return self._compile_array(schema, resolver, where, stack)
        if type_name == "object":
            return self._compile_object(schema, resolver, where, stack)
        raise self.error(f"unknown type {type_name!r}", keyword="type", where=where)

    def _compile_string(self, schema: dict[str, Any], where: str) -> st.SearchStrategy[str]:
        min_length = schema.get("minLength", 0)
        max_length = schema.get("maxLength")
        pattern = schema.get("pattern")
        if "format" in schema:
            if schema["format"] not in FORMATS:
                raise self.error(f"the format {schema['format']!r} is not supported "
                                 f"(known: {', '.join(sorted(FORMATS))})", keyword="format",
                                 where=where)
            strategy = FORMATS[schema["format"]]
            if pattern is not None:
                strategy = strategy.filter(lambda text: re.search(pattern, text) is not None)
        elif pattern is not None:
            try:
                compiled = re.compile(pattern)
            except re.error as exc:
                raise self.error(f"the pattern {pattern!r} is not a regular expression "
                                 f"Python can read ({exc})", keyword="pattern",
                                 where=where) from None
            alphabet = st.characters(codec="ascii") if pattern.isascii() else None
            strategy = st.from_regex(compiled, fullmatch=True, alphabet=alphabet)
        else:
            return _json.text(min_length, max_length)
        if min_length or max_length is not None:
            strategy = strategy.filter(
                lambda text: min_length <= len(text) <= (max_length if max_length is not None
                                                         else len(text))
            )
        return strategy

    def _compile_array(
        self, schema: dict[str, Any], resolver: Resolver[Any], where: str,
        stack: tuple[int, ...],
    ) -> st.SearchStrategy[list[Any]]:
        from eventproof.strategies._containers import arrays

        return arrays(self, schema, resolver, where, stack)

    def _compile_object(
        self, schema: dict[str, Any], resolver: Resolver[Any], where: str,
        stack: tuple[int, ...],
    ) -> st.SearchStrategy[dict[str, Any]]:
        from eventproof.strategies._containers import objects

        return objects(self, schema, resolver, where, stack)

    def compile_optional(
        self, schema: Any, resolver: Resolver[Any], where: str, stack: tuple[int, ...]
    ) -> st.SearchStrategy[Any] | None:
        """The strategy for a part that may be left out, or None when recursion must stop here."""
        try:
            return self._compile(schema, resolver, where, stack)
        except _TooDeep:
            return None

    def compile_required(
        self, schema: Any, resolver: Resolver[Any], where: str, stack: tuple[int, ...]
    ) -> st.SearchStrategy[Any]:
        return self._compile(schema, resolver, where, stack)


def draft7_schema(schema: Any) -> bool:
    """True when the schema declares draft-07 (everything else is read as 2020-12)."""
    return isinstance(schema, dict) and "draft-07" in str(schema.get("$schema", ""))


def json_schema_strategy(
    schema: Any,
    *,
    contract: str = "<schema>",
    registry: Registry[Any] | None = None,
    base_uri: str = "",
    max_recursion: int = 2,
) -> st.SearchStrategy[Any]:
    """A strategy of values ``schema`` accepts; ``registry`` resolves cross-file ``$ref``."""
    draft7 = draft7_schema(schema)
    specification = DRAFT7 if draft7 else DRAFT202012
    resource = specification.create_resource(schema)
    registry = (registry or Registry()).with_resource(base_uri, resource)
    resolver = registry.resolver(base_uri)
    compiler = JsonSchemaCompiler(contract=contract, registry=registry, draft7=draft7,
                                  max_recursion=max_recursion)
    return compiler.compile(schema, resolver)


