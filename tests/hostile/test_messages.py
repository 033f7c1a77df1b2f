"""Hostile messages: non-JSON numbers, huge numbers, duplicate keys, DynamoDB images."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eventproof.errors import short_repr
from tests.hostile.helpers import cli, contract, validate

NUMBERS = {"type": "object", "properties": {
    "n": {"type": "number", "multipleOf": 0.5},
    "i": {"type": "integer", "multipleOf": 3, "maximum": 10},
}}


@pytest.mark.timeout(20)
@pytest.mark.parametrize(("text", "line", "column", "problem"), [
    ('{"n":\n  NaN}', 2, 3, "NaN is not JSON"),
    ('{"n": Infinity}', 1, 7, "Infinity is not JSON"),
    ('{"n": [1, -Infinity]}', 1, 11, "-Infinity is not JSON"),
    ('{"s": "NaN",\n "n": ' + "9" * 5000 + "}", 2, 7, "an integer of 5000 digits"),
    ('{"n": 1,\n "m": {"a": 1, "b": 2,\n   "a": 3}}', 3, 4, "duplicate key 'a' in one object"),
    ('{"n": 1, "n": 1}', 1, 10, "duplicate key 'n'"),
])
def test_refused_json_names_the_place(
    tmp_path: Path, text: str, line: int, column: int, problem: str
) -> None:
    code, out, err = validate(contract(tmp_path / "c", NUMBERS), text)
    assert (code, out) == (2, "")
    assert err.startswith(f"message error: refused JSON: {problem}"), err
    assert f"message.json, line {line}, column {column}; contract A" in err, err


@pytest.mark.timeout(20)
@pytest.mark.parametrize(("text", "pointer"), [
    ('{"n": 1e400}', "/n"),
    ('{"n": -1e400}', "/n"),
    ('{"i": 1e400}', "/i"),
    ('{"i": ' + "9" * 4000 + "}", "/i"),
    ('{"n": ' + "9" * 4000 + ".5}", "/n"),
])
def test_huge_numbers_are_violations_with_their_pointer(tmp_path: Path, text: str,
                                                        pointer: str) -> None:
    code, out, err = validate(contract(tmp_path / "c", NUMBERS), text)
    assert (code, err) == (1, "")
    assert f"message.json: {pointer}: expected" in out


@pytest.mark.timeout(20)
def test_a_huge_number_within_the_contract_conforms(tmp_path: Path) -> None:
    code, out, err = validate(contract(tmp_path / "c", {"type": "number"}), "1e400")
    assert (code, err) == (0, "")
    assert out.endswith("conforms to A\n")


def _nest(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {"S": "x"}
    for _ in range(levels):
        value = {"M": {"k": value}}
    return value


def _stream_record(image: dict[str, Any]) -> str:
    return json.dumps({"eventName": "INSERT", "dynamodb": {"NewImage": image}})


@pytest.mark.timeout(20)
@pytest.mark.parametrize(("image", "problem"), [
    ({"n": {"N": "1e999999"}}, "holds a number DynamoDB cannot store"),
    ({"n": {"L": [{"N": "-1e-999999"}]}}, "holds a number DynamoDB cannot store"),
    ({"deep": _nest(33)}, "nests deeper than the 32 levels DynamoDB allows"),
    ({"deep": _nest(450)}, "nests deeper than the 32 levels DynamoDB allows"),
])
def test_dynamodb_images_dynamodb_cannot_hold(tmp_path: Path, image: Any, problem: str) -> None:
    code, out, err = validate(contract(tmp_path / "c", {}), _stream_record(image),
                              "--envelope", "dynamodb-stream")
    assert (code, out) == (2, "")
    assert problem in err
    assert "at /dynamodb/NewImage; contract A" in err
    assert "Traceback" not in err


@pytest.mark.timeout(20)
def test_dynamodb_image_of_32_levels_is_read(tmp_path: Path) -> None:
    code, out, err = validate(contract(tmp_path / "c", {}), _stream_record({"d": _nest(32)}),
                              "--envelope", "dynamodb-stream")
    assert (code, err) == (0, "")
    assert out.endswith("conforms to A\n")


@pytest.mark.timeout(20)
def test_each_missing_property_once_with_its_own_pointer(tmp_path: Path) -> None:
    catalog = contract(tmp_path / "c", {
        "type": "object", "required": ["a", "b", "c", "d"],
        "allOf": [{"required": ["a"]}, {"$ref": "#/$defs/needs_a"}],
        "$defs": {"needs_a": {"required": ["a"]}},
    })
    code, out, _ = validate(catalog, "{}")
    assert code == 1
    lines = [line.split(": ", 1)[1] for line in out.splitlines()[1:]]
    assert lines == [f"/{name}: expected a required property, found nothing (the property "
                     "is missing)" for name in "abcd"]
    from eventproof import Catalog

    found = Catalog.load(catalog)["A"].violations({"c": 1})
    assert [(v.pointer, v.message) for v in found] == [
        (f"/{name}", f"{name!r} is a required property") for name in "abd"]


def test_process_order_empty_message_has_four_violations() -> None:
    root = Path(__file__).resolve().parents[2] / "contracts"
    from eventproof import Catalog

    found = Catalog.load(root)["ProcessOrder"].violations({})
    assert [(v.pointer, v.message) for v in found] == [
        (f"/{name}", f"{name!r} is a required property")
        for name in ("orderId", "userId", "amount", "items")]


@pytest.mark.timeout(5)
def test_short_repr_renders_only_what_it_shows() -> None:
    shared: list[Any] = ["x" * 100]
    for _ in range(60):  # 2**60 leaves once expanded
        shared = [shared, shared]
    assert short_repr(shared, 20) == "[[[[[[[[[[[[[[[[[..."
    assert short_repr(10**5000) == "<an integer of about 5001 digits>"
    assert short_repr({"a": (1,), "b": None}) == "{'a': (1,), 'b': None}"


@pytest.mark.timeout(20)
def test_cli_refused_json_in_a_schema_file(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "A.schema.json").write_text('{"type": "object",\n "type": "array"}')
    code, _, err = cli("contracts", "check", tmp_path / "c")
    assert code == 2
    assert "duplicate key 'type'" in err
    assert "A.schema.json, line 2, column 2" in err
