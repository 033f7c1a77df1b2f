"""Schemas: every value checked against the meta-schema (``$ref`` targets too), nothing runs,
and long ``$ref`` chains and big ``uniqueItems`` arrays cost linear time."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from eventproof import Catalog
from eventproof.catalog.value_tests import json_equal, unique_items
from tests.hostile.helpers import METADATA, cli, contract, validate, write


@pytest.mark.timeout(20)
@pytest.mark.parametrize(("target", "problem", "inner"), [
    ({"type": 5}, "5 is not valid under the meta-schema's 'anyOf' rule", "/type"),
    ({"minLength": "s"}, "'s' is not valid under the meta-schema's 'type' rule", "/minLength"),
    ({"required": [[1]]}, "[1] is not valid under the meta-schema's 'type' rule", "/required/0"),
    ({"minProperties": 1e400}, "inf is not valid under the meta-schema's 'type' rule",
     "/minProperties"),
    ({"pattern": "("}, "the pattern '(' is not a regular expression", "/pattern"),
    ("string", "'string' is not valid under the meta-schema's 'type' rule", ""),
])
def test_ref_to_a_non_schema_location_is_a_load_error(
    tmp_path: Path, target: Any, problem: str, inner: str
) -> None:
    catalog = contract(tmp_path / "c", {
        "type": "object", "default": target, "properties": {"a": {"$ref": "#/default"}}})
    code, out, err = validate(catalog, '{"a": {}}')
    assert code == 2, out + err
    assert "Traceback" not in err
    assert f"{catalog / 'A.schema.json'}; at /properties/a/$ref" in err, err
    assert "$ref '#/default' leads to a value that is not a valid JSON Schema" in err
    assert problem in err, err
    if inner:
        assert f"at {inner} inside the target" in err


@pytest.mark.timeout(20)
@pytest.mark.parametrize(("schema", "pointer"), [
    ({"minLength": "s"}, "/properties/a/minLength"),
    ({"required": [[1]]}, "/properties/a/required/0"),
    ({"minProperties": 1e400}, "/properties/a/minProperties"),
    ({"type": 5}, "/properties/a/type"),
])
def test_invalid_keyword_values_are_load_errors(tmp_path: Path, schema: Any, pointer: str) -> None:
    catalog = contract(tmp_path / "c", {"type": "object", "properties": {"a": schema}})
    code, _out, err = cli("contracts", "check", catalog)
    assert code == 2
    assert f"{catalog / 'A.schema.json'}; at {pointer}" in err
    assert "not a valid JSON Schema" in err


# Text that would run if it ever reached generated code unquoted.
PAYLOADS = [
    "x'] or __import__('os').environ.__setitem__('EVENTPROOF_PWNED', '1') or ['",
    'x"] or __import__("os").environ.__setitem__("EVENTPROOF_PWNED", "1") or ["',
    "x\n__import__('os').environ.__setitem__('EVENTPROOF_PWNED', '1')\n",
    "x\\'); __import__('os').environ.__setitem__('EVENTPROOF_PWNED', '1') #",
    "x\"\"\"; __import__('os').environ.__setitem__('EVENTPROOF_PWNED', '1') #",
    "{__import__('os').environ.__setitem__('EVENTPROOF_PWNED', '1')}",
]


def _hostile_schema(text: str) -> dict[str, Any]:
    """``text`` in every place a schema value reaches generated code."""
    regex = "^" + "".join("\\" + c if not c.isalnum() else c for c in text) + "$"
    return {
        "type": "object",
        "required": [text],
        "properties": {
            text: {"type": "string", "pattern": regex, "format": text, "enum": [text, 1],
                   "const": text, "minLength": 1, "maxLength": 1000},
            "optional " + text: {"$ref": "#/$defs/" + text.replace("~", "~0").replace("/", "~1")},
            "n": {"type": "number", "minimum": -1e308, "maximum": 1e308, "multipleOf": 0.5},
            "list": {"type": "array", "prefixItems": [{"const": text}], "items": {"enum": [text]},
                     "minItems": 0, "maxItems": 10, "uniqueItems": True},
        },
        "dependentRequired": {text: ["n"]},
        "minProperties": 1,
        "maxProperties": 10,
        "additionalProperties": {"not": {"const": text}},
        "propertyNames": {"maxLength": 1000},
        "$defs": {text: {"type": "string", "enum": [text]}},
    }


@pytest.mark.timeout(60)
@pytest.mark.parametrize("text", PAYLOADS)
def test_no_schema_value_runs_in_generated_code(tmp_path: Path, text: str) -> None:
    os.environ.pop("EVENTPROOF_PWNED", None)
    write(tmp_path / "c" / "A.schema.json", {"x-eventproof": METADATA, **_hostile_schema(text)})
    write(tmp_path / "c" / "B.avsc", {
        "type": "record", "name": "B", "namespace": "hostile",
        "x-eventproof": dict(METADATA, name="B"),
        "fields": [{"name": "kind", "type": {"type": "enum", "name": "Kind",
                                              "symbols": ["A"], "doc": text}, "doc": text}],
    })
    a = Catalog.load(tmp_path / "c")["A"]
    assert a._fast.__code__.co_filename == "<eventproof generated validator>"
    good = {text: text, "n": 1.5, "list": [text], "optional " + text: text}
    assert a.violations(good) == []
    assert a.violations({"n": 1.5}) != []
    assert [v.pointer for v in a.violations(dict(good, n=1.25))] == ["/n"]
    assert [v.pointer for v in a.violations(dict(good, list=[text, text]))] == ["/list"]
    assert Catalog.load(tmp_path / "c")["B"].violations({"kind": "A"}) == []
    assert "EVENTPROOF_PWNED" not in os.environ


def _ref_chain(length: int) -> dict[str, Any]:
    defs = {f"d{i}": {"$ref": f"#/$defs/d{i + 1}"} for i in range(length)}
    defs[f"d{length}"] = {"type": "string"}
    return {"type": "object", "properties": {"a": {"$ref": "#/$defs/d0"}}, "$defs": defs}


@pytest.mark.timeout(60)
def test_a_chain_of_2000_refs_loads_and_validates(tmp_path: Path) -> None:
    catalog = contract(tmp_path / "c", _ref_chain(2000))
    write(catalog / "A.examples.yaml", "valid:\n  - name: ok\n    message: {a: x}\n"
                                       "invalid:\n  - name: bad\n    message: {a: 1}\n"
                                       "    violation: /a\n")
    code, out, err = cli("contracts", "check", catalog)
    assert (code, err) == (0, ""), out + err
    code, out, err = validate(catalog, '{"a": 1}')
    assert (code, err) == (1, "")
    assert "/a: expected type string, found integer 1" in out


@pytest.mark.timeout(60)
def test_unique_items_over_20000_objects(tmp_path: Path) -> None:
    catalog = contract(tmp_path / "c", {"type": "array", "uniqueItems": True})
    items = [{"id": i, "tags": [i, str(i)]} for i in range(20_000)]
    code, out, err = validate(catalog, json.dumps(items))
    assert (code, out, err) == (0, f"{catalog.parent / 'message.json'}: conforms to A\n", "")
    code, out, err = validate(catalog, json.dumps([*items, {"tags": [19_999.0, "19999"],
                                                            "id": 19_999}]))
    assert code == 1
    assert ": /: expected items that are all different" in out


@pytest.mark.parametrize(("items", "unique"), [
    ([1, 1.0], False),
    ([True, 1], True),
    ([False, 0], True),
    ([[True], [1]], True),
    ([{"a": [1]}, {"a": [1.0]}], False),
    ([{"a": 1, "b": 2}, {"b": 2, "a": 1}], False),
    ([None, False, 0, "", [], {}], True),
    (["1", 1], True),
    ([10**400, 10**400], False),
])
def test_unique_items_means_json_equality(items: list[Any], unique: bool) -> None:
    assert unique_items(items) is unique
    pairwise = all(not json_equal(items[i], items[j])
                   for i in range(len(items)) for j in range(i))
    assert pairwise is unique
