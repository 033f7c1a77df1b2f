"""The JSON Schema compiler generates only what the schema accepts, and says when it cannot."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventproof.catalog.formats import format_checker
from eventproof.strategies import StrategyError, json_schema_strategy

SCHEMAS: dict[str, dict[str, Any]] = {
    "object with optional keys and no extras": {
        "type": "object",
        "properties": {"id": {"type": "string", "format": "uuid"}, "note": {"type": "string"}},
        "required": ["id"],
        "additionalProperties": False,
    },
    "bounded numbers": {
        "type": "object",
        "properties": {
            "qty": {"type": "integer", "minimum": 1, "maximum": 99},
            "price": {"type": "number", "exclusiveMinimum": 0, "multipleOf": 0.01},
            "even": {"type": "integer", "multipleOf": 2, "exclusiveMaximum": 11},
            "ratio": {"type": "number", "minimum": -1.5, "maximum": 2.25},
        },
        "required": ["qty", "price", "even", "ratio"],
    },
    "strings": {
        "type": "object",
        "properties": {
            "sku": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"},
            "name": {"type": "string", "minLength": 2, "maxLength": 5},
            "at": {"type": "string", "format": "date-time"},
            "on": {"type": "string", "format": "date"},
            "mail": {"type": "string", "format": "email"},
            "unanchored": {"type": "string", "pattern": "ab+c"},
        },
        "required": ["sku", "name", "at", "on", "mail", "unanchored"],
    },
    "arrays": {
        "type": "object",
        "properties": {
            "tags": {"type": "array", "items": {"enum": ["a", "b", "c"]}, "uniqueItems": True},
            "pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}],
                     "items": False, "minItems": 2},
            "some": {"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 3},
        },
        "required": ["tags", "pair", "some"],
    },
    "compositions": {
        "allOf": [
            {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]},
            {"properties": {"a": {"minimum": 5}, "b": {"const": "x"}}, "required": ["b"]},
        ],
        "properties": {
            "shape": {"oneOf": [{"type": "integer", "multipleOf": 3},
                                {"type": "integer", "multipleOf": 5}]},
            "either": {"anyOf": [{"type": "null"}, {"type": "string", "maxLength": 2}]},
        },
        "required": ["shape", "either"],
    },
    "extra keys from a schema": {
        "type": "object",
        "properties": {"fixed": {"type": "boolean"}},
        "additionalProperties": {"type": "integer", "minimum": 0},
        "minProperties": 1,
    },
    "recursive tree": {
        "$ref": "#/$defs/node",
        "$defs": {
            "node": {
                "type": "object",
                "properties": {"value": {"type": "integer"},
                               "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}},
                "required": ["value"],
                "additionalProperties": False,
            }
        },
    },
    "draft-07 tuple items": {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "array",
        "items": [{"type": "string"}, {"type": "boolean"}],
        "additionalItems": False,
    },
}


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_generated_value_is_valid(name: str) -> None:
    schema = SCHEMAS[name]
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema, format_checker=format_checker())

    @settings(max_examples=60, deadline=None)
    @given(json_schema_strategy(schema))
    def check(value: Any) -> None:
        assert not list(validator.iter_errors(value)), value

    check()


def test_recursion_is_bounded() -> None:
    @settings(max_examples=60, deadline=None)
    @given(json_schema_strategy(SCHEMAS["recursive tree"], max_recursion=2))
    def check(value: Any) -> None:
        assert _depth(value) <= 5

    check()


@given(st.data())
@settings(max_examples=20, deadline=None)
def test_optional_properties_are_sometimes_present_and_sometimes_absent(data: st.DataObject) -> None:
    strategy = json_schema_strategy(SCHEMAS["object with optional keys and no extras"])
    values = [data.draw(strategy) for _ in range(30)]
    assert all("id" in v for v in values)


def test_minimal_examples_are_small_and_readable() -> None:
    from hypothesis import find

    smallest = find(json_schema_strategy(SCHEMAS["strings"]), lambda value: True)
    assert smallest["name"] == "00"
    assert smallest["sku"] == "AAA-0000"
    assert smallest["on"] == "2000-01-01"
    assert smallest["at"] == "2000-01-01T00:00:00Z"
    items = find(json_schema_strategy(SCHEMAS["arrays"]), lambda value: True)
    assert items["tags"] == [] and len(items["some"]) == 1


@pytest.mark.parametrize(
    ("schema", "keyword"),
    [
        ({"type": "object", "propertyNames": {"maxLength": 3}}, "propertyNames"),
        ({"type": "array", "contains": {"type": "integer"}}, "contains"),
        ({"type": "string", "format": "ipv6"}, "format"),
        ({"type": "integer", "minimum": 5, "maximum": 4}, "minimum"),
        ({"$ref": "#/$defs/loop", "$defs": {"loop": {"$ref": "#/$defs/loop"}}}, "$ref"),
        ({"$ref": "#/$defs/missing"}, "$ref"),
    ],
)
def test_unsupported_or_unsatisfiable_schemas_raise_a_clear_error(
    schema: dict[str, Any], keyword: str
) -> None:
    with pytest.raises(StrategyError) as caught:
        json_schema_strategy(schema, contract="Demo")
    assert caught.value.keyword == keyword
    assert "Demo" in caught.value.render()
