"""JSON Schema contracts: one registry for the catalog, validators compiled once, violations.

Every ``.schema.json`` file of the catalog is a resource of one
``referencing.Registry`` under its ``file://`` URI (and its ``$id`` if it has
one), so a ``$ref`` by relative path resolves between files. The registry
never retrieves anything: a ``$ref`` outside the catalog is reported at load
time, and a remote (http/https) one is refused without touching the network.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema.validators
from jsonschema.exceptions import ValidationError, relevance
from referencing import Registry
from referencing._core import Resolver
from referencing.jsonschema import DRAFT7, DRAFT202012, Specification

from eventproof.catalog.contract import Contract, ContractMetadata
from eventproof.catalog.formats import format_checker
from eventproof.catalog.jsonschema_codegen import fast_check
from eventproof.catalog.patterns import pattern_problem, searcher
from eventproof.catalog.refinements import refine
from eventproof.catalog.value_tests import multiple_of, unique_items
from eventproof.errors import SchemaError, Violation, describe_value, short_repr

__all__ = [
    "JsonSchemaContract",
    "check_schema",
    "check_subschema",
    "dialect_of",
    "escape_pointer",
    "schema_problem",
    "schema_specification",
]


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not searcher(pattern)(instance):
        yield ValidationError(f"{short_repr(instance)} does not match {short_repr(pattern)}")


def _pattern_properties(
    validator: Any, patterns: dict[str, Any], instance: Any, schema: Any
) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        matches = searcher(pattern)
        for name, value in instance.items():
            if matches(name):
                yield from validator.descend(value, subschema, path=name, schema_path=pattern)


def _unique_items(validator: Any, unique: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    # jsonschema compares unhashable items pairwise: minutes for 20,000 objects.
    if unique and validator.is_type(instance, "array") and not unique_items(instance):
        yield ValidationError(f"{short_repr(instance)} has non-unique elements")


def _multiple_of(validator: Any, step: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    # jsonschema's own raises on infinity (1e400 in a message) and on huge integers.
    if validator.is_type(instance, "number") and not multiple_of(instance, step):
        yield ValidationError(f"{short_repr(instance)} is not a multiple of {step}")


def _guarded(base: type[jsonschema.protocols.Validator]) -> type[jsonschema.protocols.Validator]:
    """``base`` with its regex keywords on eventproof's matcher (RE2; see catalog/patterns.py)
    and ``uniqueItems`` in linear time."""
    extended: type[jsonschema.protocols.Validator] = jsonschema.validators.extend(
        base, {"pattern": _pattern, "patternProperties": _pattern_properties,
               "uniqueItems": _unique_items, "multipleOf": _multiple_of}
    )
    return extended


_DRAFT7_VALIDATOR = _guarded(jsonschema.Draft7Validator)
_DRAFTS: dict[str, tuple[Specification[Any], type[jsonschema.protocols.Validator]]] = {
    "https://json-schema.org/draft/2020-12/schema": (DRAFT202012, _guarded(jsonschema.Draft202012Validator)),
    "http://json-schema.org/draft-07/schema": (DRAFT7, _DRAFT7_VALIDATOR),
}

# The meta-schemas mark patterns ``format: regex``: checking that format at
# load time makes an unreadable pattern a contract error before any message.
_REGEX_FORMAT = jsonschema.FormatChecker(formats=())
_REGEX_FORMAT.checks("regex")(lambda text: not isinstance(text, str) or pattern_problem(text) is None)


def _draft_of(schema: dict[str, Any], path: Path) -> str:
    declared = schema.get("$schema", "https://json-schema.org/draft/2020-12/schema")
    key = str(declared).rstrip("#")
    if key not in _DRAFTS:
        raise SchemaError(
            f"unsupported $schema {declared!r}",
            file=path,
            pointer="/$schema",
            hint="use draft 2020-12 (the default) or draft-07",
        )
    return key


def dialect_of(schema: dict[str, Any], path: Path) -> str:
    """The ``$schema`` the file declares (or draft 2020-12), normalised; SchemaError if unknown."""
    return _draft_of(schema, path)


def schema_specification(schema: dict[str, Any], path: Path) -> Specification[Any]:
    return _DRAFTS[_draft_of(schema, path)][0]


def escape_pointer(parts: Iterable[str | int]) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def check_schema(schema: dict[str, Any], path: Path) -> None:
    """Raise SchemaError naming the file and pointer if ``schema`` is not a valid JSON Schema."""
    check_subschema(schema, path, dialect=_draft_of(schema, path))


def check_subschema(schema: Any, path: Path, *, dialect: str) -> None:
    """Check ``schema`` against ``dialect``'s meta-schema; SchemaError naming file and pointer."""
    problem = schema_problem(schema, dialect, path)
    if problem is not None:
        headline, pointer = problem
        raise SchemaError(f"not a valid JSON Schema: {headline}", file=path, pointer=pointer)


def schema_problem(schema: Any, dialect: str, path: Path) -> tuple[str, str] | None:
    """What is wrong with ``schema`` under ``dialect``'s meta-schema, and where; None if nothing.

    Every value that reaches the validators and the code generator (each
    file's root, and each ``$ref`` target) passes here first, so they only
    ever see what JSON Schema allows.
    """
    validator_class = _DRAFTS[dialect.rstrip("#")][1]
    try:
        error = jsonschema.exceptions.best_match(
            validator_class(validator_class.META_SCHEMA, format_checker=_REGEX_FORMAT)
            .iter_errors(schema)
        )
    except RecursionError:
        raise SchemaError("schema nests too deeply to check", file=path) from None
    if error is None:
        return None
    if error.validator == "format" and isinstance(error.instance, str):
        problem = f"the pattern {short_repr(error.instance, 60)} is {pattern_problem(error.instance)}"
    else:
        problem = (f"{short_repr(error.instance, 60)} is not valid under the meta-schema's "
                   f"{error.validator!r} rule")
    return problem, escape_pointer(error.absolute_path)


class JsonSchemaContract(Contract):
    """A contract whose schema is a JSON Schema (draft 2020-12, or draft-07 if declared).

    ``registry`` and ``uri`` are what a generator needs to resolve ``$ref``s:
    ``contract.resolver().lookup(ref)`` resolves against this contract's file.
    """

    format = "jsonschema"

    def __init__(
        self,
        metadata: ContractMetadata,
        schema: dict[str, Any],
        path: Path,
        *,
        registry: Registry[Any],
        uri: str,
    ) -> None:
        super().__init__(metadata, schema, path)
        self.registry = registry
        self.uri = uri
        validator_class = _DRAFTS[_draft_of(schema, path)][1]
        # The root is a reference to the file's URI, so relative $refs resolve
        # against the file without a $id in every schema.
        self.validator = validator_class(
            {"$ref": uri}, registry=registry, format_checker=format_checker()
        )
        self._fast: Callable[[Any], bool] = refine(fast_check(
            schema,
            self.resolver(),
            fallback=self.validator.is_valid,
            draft7=validator_class is _DRAFT7_VALIDATOR,
        ), metadata.constraints)

    def resolver(self) -> Resolver[Any]:
        return self.registry.resolver(base_uri=self.uri)

    def _detailed_violations(self, message: Any) -> list[Violation]:
        try:
            errors = sorted(self.validator.iter_errors(message), key=relevance, reverse=True)
        except ValueError as exc:
            if "integer string conversion" not in str(exc):
                raise
            # jsonschema writes repr(value) into its messages, and Python refuses to
            # print an integer past 4,300 digits: the same values, printed briefly.
            errors = sorted(self.validator.iter_errors(_printable(message)), key=relevance,
                            reverse=True)
        violations: dict[tuple[str, str, str, str], Violation] = {}
        for error in errors:
            for violation in _violations_of(error):
                # Once each: two paths through the schema may find the same fault.
                key = (violation.pointer, violation.expected, violation.found, violation.keyword)
                violations.setdefault(key, violation)
        return list(violations.values())


class _HugeInt(int):
    """An integer whose repr says how long it is, instead of every digit."""

    def __repr__(self) -> str:
        return short_repr(int(self))

    __str__ = __repr__


def _printable(value: Any) -> Any:
    """``value`` with integers too long to print replaced by equal ones that print briefly."""
    if isinstance(value, dict):
        return {key: _printable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_printable(item) for item in value]
    if type(value) is int and value.bit_length() > 14_000:
        return _HugeInt(value)
    return value


def _violations_of(error: ValidationError) -> list[Violation]:
    pointer = escape_pointer(error.absolute_path)
    keyword = str(error.validator)
    value = error.validator_value
    instance = error.instance
    if keyword == "required" and isinstance(instance, dict):
        # jsonschema reports each missing property as an error of its own, carrying
        # the whole list: its message says which property it is about.
        missing = [name for name in value if name not in instance]
        named = [name for name in missing if error.message == f"{name!r} is a required property"]
        return [
            Violation(
                f"{pointer}/{escape_pointer([name])[1:]}",
                "a required property",
                "nothing (the property is missing)",
                keyword,
                error.message,
            )
            for name in (named[:1] or missing)
        ] or [Violation(pointer, f"properties {short_repr(value)}", short_repr(instance), keyword,
                        error.message)]
    if keyword in {"additionalProperties", "unevaluatedProperties"} and isinstance(instance, dict):
        declared = set(error.schema.get("properties", {})) if isinstance(error.schema, dict) else set()
        extras = [name for name in instance if name not in declared] or list(instance)
        return [
            Violation(
                pointer + escape_pointer([name]),
                "no property the schema does not declare",
                describe_value(instance[name]),
                keyword,
                error.message,
            )
            for name in extras
        ]
    if keyword in {"anyOf", "oneOf"} and error.context:
        best = jsonschema.exceptions.best_match(error.context)
        why = f" (closest: {best.message})" if best is not None else ""
        expected = f"a value matching {'exactly one' if keyword == 'oneOf' else 'one'} of the alternatives"
        return [Violation(pointer, expected + short_repr(why, 160), short_repr(instance), keyword, error.message)]
    expected = _EXPECTATIONS.get(keyword, lambda v: f"{keyword} {short_repr(v)}")(value)
    return [Violation(pointer, expected, describe_value(instance), keyword, short_repr(error.message, 200))]


_EXPECTATIONS: dict[str, Callable[[Any], str]] = {
    "type": lambda v: f"type {' or '.join(v) if isinstance(v, list) else v}",
    "enum": lambda v: f"one of {short_repr(v)}",
    "const": lambda v: f"exactly {short_repr(v)}",
    "format": lambda v: f"a {v} string",
    "minLength": lambda v: f"at least {v} characters",
    "maxLength": lambda v: f"at most {v} characters",
    "minItems": lambda v: f"at least {v} items",
    "maxItems": lambda v: f"at most {v} items",
    "minimum": lambda v: f"a number >= {v}",
    "maximum": lambda v: f"a number <= {v}",
    "exclusiveMinimum": lambda v: f"a number > {v}",
    "exclusiveMaximum": lambda v: f"a number < {v}",
    "pattern": lambda v: f"a string matching {v!r}",
    "multipleOf": lambda v: f"a multiple of {v}",
    "uniqueItems": lambda v: "items that are all different",
    "false": lambda v: "nothing (the schema allows no value here)",
}
