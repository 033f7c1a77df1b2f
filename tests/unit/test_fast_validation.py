"""The generated fast paths say yes exactly when the detailed paths find nothing, type by type."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import fastavro
import jsonschema
import pytest
from referencing import Registry
from referencing.jsonschema import DRAFT7, DRAFT202012

from eventproof import Catalog
from eventproof.catalog.avro_codegen import generate_avro_check
from eventproof.catalog.avro_validation import avro_violations
from eventproof.catalog.formats import format_checker
from eventproof.catalog.jsonschema_codegen import fast_check, generate_check
from eventproof.catalog.value_tests import Unsupported, decimal_fits

UUID = "0f6f1a9e-5d3b-4c2a-9e8f-7a6b5c4d3e2f"
ANY = [None, True, False, 0, 1, -1, 2.5, 3.0, 10**30, "", "abc", UUID, [], [1, "a"], {}, {"a": 1}]

CASES: list[tuple[dict[str, Any], list[Any]]] = [
    ({"type": "integer"}, ANY),
    ({"type": "number", "minimum": 0, "exclusiveMaximum": 3}, ANY),
    ({"exclusiveMinimum": 0, "maximum": 3}, [-1, 0, 0.5, 3, 3.5]),
    ({"type": ["string", "null"], "minLength": 1}, ANY),
    ({"type": "boolean"}, ANY),
    ({"minimum": 1, "maxLength": 2, "minItems": 1}, ANY),  # each applies to its own type only
    ({"multipleOf": 0.01}, [39.9, 39.905, 25, 1e308, 0.3, "x"]),
    # 1e308 / 0.5 overflows to inf: jsonschema (and so the generated code) then
    # divides exact fractions and says valid; the old closure validator said invalid.
    ({"multipleOf": 0.5}, [1e308, -1e308, 0.25, 1.5, 2, 1.7976931348623157e308]),
    ({"multipleOf": 3}, [9, 10, 9.0, 9.5, True]),
    ({"type": "string", "format": "uuid"}, [UUID, UUID.upper(), UUID + "\n", UUID[:-1], 7]),
    ({"format": "date-time"}, ["2026-01-15T10:00:00Z", "2026-02-30T10:00:00Z", "2026-01-15T10:00:00Z\n", 3]),
    ({"format": "date"}, ["2026-01-15", "2026-13-01", "15/01/2026"]),
    ({"format": "email"}, ["a@b.co", "no-at-sign", "a@b"]),
    ({"format": "ipv4"}, ["10.0.0.1", "10.0.0.300"]),  # jsonschema's own checker
    ({"pattern": "^[A-Z]{3}-[0-9]{4}$"}, ["ABC-1234", "ABC-12345", "xABC-1234", 5]),
    ({"pattern": "[0-9]"}, ["a1b", "ab"]),  # unanchored: a search, not a match
    ({"enum": ["EUR", "USD"]}, ["EUR", "BTC", 1, None, ["EUR"]]),
    ({"enum": [1, "a", None, [1]]}, [1, 1.0, True, "a", None, [1], [True], {}]),
    ({"const": 1}, [1, 1.0, True, "1"]),
    ({"const": {"a": [1]}}, [{"a": [1]}, {"a": [True]}, {"a": [1], "b": 2}]),
    ({"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "string"}},
      "required": ["a"], "additionalProperties": False},
     [{"a": 1}, {"a": 1, "b": "x"}, {"a": 1, "b": 2}, {"b": "x"}, {"a": 1, "c": 0}, {"a": True}, []]),
    ({"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"],
      "additionalProperties": False}, [{"a": 1}, {"a": 1, "b": 1}, {}, {"a": "1"}]),
    ({"properties": {"a": {"const": 1}}, "additionalProperties": {"type": "string"}},
     [{"a": 1}, {"a": 1, "b": "x"}, {"a": 1, "b": 2}, {"a": 2}, "not an object"]),
    ({"minProperties": 1, "maxProperties": 2, "propertyNames": {"maxLength": 2}},
     [{}, {"a": 1}, {"a": 1, "b": 2, "c": 3}, {"abc": 1}, 4]),
    ({"dependentRequired": {"card": ["billing"]}}, [{}, {"card": 1}, {"card": 1, "billing": 2}]),
    ({"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 3, "uniqueItems": True},
     [[1], [], [1, 2, 3, 4], [1, 1], [1, 1.0], [1, True], [1, "a"], "abc"]),
    ({"prefixItems": [{"type": "string"}, {"type": "integer"}], "items": False},
     [[], ["a"], ["a", 1], ["a", "b"], ["a", 1, 2], [1]]),
    ({"allOf": [{"type": "integer"}, {"minimum": 3}]}, [2, 3, 3.5]),
    ({"anyOf": [{"type": "integer"}, {"type": "string", "maxLength": 1}]}, [1, "a", "ab", None]),
    ({"oneOf": [{"type": "integer"}, {"minimum": 2}]}, [1, 3, 2.5, "x"]),
    ({"not": {"type": "string"}}, ["a", 1]),
    ({"if": {"properties": {"kind": {"const": "card"}}},
      "then": {"required": ["number"]}, "else": {"required": ["iban"]}},
     [{"kind": "card", "number": 1}, {"kind": "card"}, {"iban": "x"}, {}]),
    ({"then": {"type": "string"}}, [1, "a"]),  # "then" without "if" does nothing
    ({"$defs": {"node": {"type": "object", "properties": {
        "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}}, "$ref": "#/$defs/node"},
     [{"children": []}, {"children": [{"children": [{}]}]}, {"children": [{"children": 3}]}, 3]),
    ({"properties": {"a b/c~": {"type": "string"}, "it's": {"const": "\"\\"}}},
     [{"a b/c~": "x"}, {"a b/c~": 1}, {"it's": "\"\\"}, {"it's": "x"}]),
    (False, [1, None]),
    (True, [1, None]),
]


def resolver_for(schema: Any, spec: Any = DRAFT202012) -> Any:
    registry: Registry[Any] = Registry().with_resource("urn:test", spec.create_resource(schema))
    return registry.resolver(base_uri="urn:test")


@pytest.mark.parametrize(("schema", "instances"), CASES)
def test_the_generated_check_agrees_with_jsonschema(schema: Any, instances: list[Any]) -> None:
    check = generate_check(schema, resolver_for(schema))
    reference = jsonschema.Draft202012Validator(schema, format_checker=format_checker())
    for instance in instances:
        assert check(instance) == reference.is_valid(instance), instance


def test_draft_07_ref_overrides_its_siblings_and_prefix_items_mean_nothing() -> None:
    schema = {"$schema": "http://json-schema.org/draft-07/schema#",
              "definitions": {"int": {"type": "integer"}},
              "properties": {"a": {"$ref": "#/definitions/int", "type": "string"},
                             "b": {"prefixItems": [{"type": "string"}]}}}
    check = generate_check(schema, resolver_for(schema, DRAFT7), draft7=True)
    reference = jsonschema.Draft7Validator(schema, format_checker=format_checker())
    for instance in [{"a": 1}, {"a": "x"}, {"b": [1]}]:
        assert check(instance) == reference.is_valid(instance), instance


def test_a_keyword_outside_the_subset_falls_back_to_the_given_check() -> None:
    schema = {"patternProperties": {"^x": {"type": "integer"}}}
    with pytest.raises(Unsupported):
        generate_check(schema, resolver_for(schema))

    def fallback(value: Any) -> bool:
        return value == "fallback"

    assert fast_check(schema, resolver_for(schema), fallback=fallback)("fallback")


def test_a_schema_nested_past_the_inline_limit_still_checks_every_level() -> None:
    schema: dict[str, Any] = {"type": "integer"}
    for _ in range(40):
        schema = {"type": "array", "items": schema}
    check = generate_check(schema, resolver_for(schema))
    good: Any = 1
    bad: Any = "1"
    for _ in range(40):
        good, bad = [good], [bad]
    assert check(good) and not check(bad)


def test_every_repository_contract_gets_generated_code() -> None:
    catalog = Catalog.load(Path(__file__).resolve().parents[2] / "contracts")
    for contract in catalog:
        if contract.format == "jsonschema":
            generate_check(contract.schema, contract.resolver(),  # type: ignore[attr-defined]
                           draft7="draft-07" in str(contract.schema.get("$schema", "")))


AVRO_TYPES: list[Any] = [
    "null", "boolean", "int", "long", "float", "double", "bytes", "string",
    ["null", "string"], ["int", "string"],
    {"type": "string", "logicalType": "uuid"},
    {"type": "bytes", "logicalType": "decimal", "precision": 6, "scale": 2},
    {"type": "int", "logicalType": "date"},
    {"type": "long", "logicalType": "timestamp-millis"},
    {"type": "int", "logicalType": "time-millis"},
    {"type": "enum", "name": "Colour", "symbols": ["RED", "GREEN"]},
    {"type": "fixed", "name": "Code", "size": 4},
    {"type": "array", "items": "int"},
    {"type": "map", "values": ["null", "long"]},
    {"type": "record", "name": "Pair", "fields": [
        {"name": "left", "type": "int"}, {"name": "right", "type": ["null", "Pair"], "default": None}]},
    ["null", {"type": "record", "name": "Leaf", "fields": [{"name": "n", "type": "int"}]},
     {"type": "array", "items": "string"}],
]
AVRO_VALUES: list[Any] = [
    None, True, 0, -(2**31), 2**31, 2**63, 1.5, float("inf"), 1234.5, 1.234, 12345.0, "", "RED",
    "AB12", "2026-01-15", "15/01/2026", UUID, UUID + "\n", 86_400_000, [], [1, 2], [1, "a"], ["a"],
    {}, {"a": 1}, {"a": None}, {"a": "x"}, {"left": 1}, {"left": 1, "right": {"left": 2}},
    {"left": 1, "right": {"left": "2"}}, {"left": 1, "extra": 0}, {"right": None}, {"n": 1}, {"n": 1.5},
]


@pytest.mark.parametrize("avro_type", AVRO_TYPES, ids=str)
def test_the_generated_avro_check_agrees_with_the_detailed_path(avro_type: Any) -> None:
    named: dict[str, Any] = {}
    record = {"type": "record", "name": "Holder", "fields": [{"name": "value", "type": avro_type}]}
    parsed = fastavro.parse_schema(record, named_schemas=named, _write_hint=False)
    check = generate_avro_check(parsed, named)
    for value in AVRO_VALUES:
        message = {"value": value}
        assert check(message) == (avro_violations(parsed, message, named) == []), value
    assert not check({}) and not check({"value": None, "other": 1}) and not check([])


def test_an_avro_schema_nested_past_the_inline_limit_still_checks_every_level() -> None:
    schema: Any = "int"
    for _ in range(40):
        schema = {"type": "array", "items": schema}
    check = generate_avro_check(schema, {})
    good: Any = 1
    bad: Any = "1"
    for _ in range(40):
        good, bad = [good], [bad]
    assert check(good) and not check(bad)


@pytest.mark.parametrize(("precision", "scale"), [(9, 2), (6, 2), (14, 4), (3, 0), (5, 5), (20, 4)])
def test_the_generated_decimal_test_agrees_with_the_exact_one(precision: int, scale: int) -> None:
    schema = {"type": "array", "items": {"type": "bytes", "logicalType": "decimal",
                                         "precision": precision, "scale": scale}}
    check = generate_avro_check(schema, {})
    exact = decimal_fits(precision, scale)
    chance = random.Random(precision * 100 + scale)
    values: list[Any] = [0.0, -0.0, 1e-7, float("inf"), float("nan"), 1e300, True, 5, "x",
                         10 ** (precision - scale), 10 ** (precision - scale) - 1]
    for _ in range(20_000):
        digits, decimals = chance.randint(0, precision + 2), chance.randint(0, scale + 3)
        whole = chance.randint(-(10**digits), 10**digits)
        values += [whole / 10**decimals, float(f"{whole}e-{decimals}")]
    disagreements = [value for value in values if check([value]) != exact(value)]
    assert disagreements == []
