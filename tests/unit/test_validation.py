from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eventproof import Catalog, Contract, ContractViolation
from eventproof.errors import MessageError
from tests.unit.catalog_helpers import ORDER_ID, ORDER_SCHEMA, write_avro, write_contract

GOOD = {"orderId": ORDER_ID, "items": [{"sku": "ABC-1234", "quantity": 2}]}

AVRO_ORDER = {
    "type": "record", "name": "PlaceOrder", "namespace": "shop",
    "fields": [
        {"name": "orderId", "type": {"type": "string", "logicalType": "uuid"}},
        {"name": "total", "type": {"type": "bytes", "logicalType": "decimal", "precision": 6, "scale": 2}},
        {"name": "placedAt", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "day", "type": {"type": "int", "logicalType": "date"}},
        {"name": "note", "type": ["null", "string"]},
        {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID"]}},
        {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line", "fields": [
            {"name": "sku", "type": "string"}, {"name": "quantity", "type": "int"}]}}},
        {"name": "tags", "type": {"type": "map", "values": "string"}, "default": {}},
        {"name": "code", "type": {"type": "fixed", "name": "Code", "size": 4}},
    ],
}
AVRO_GOOD = {"orderId": ORDER_ID, "total": 1234.5, "placedAt": 1736935200000, "day": "2026-01-15",
             "note": None, "status": "NEW", "lines": [{"sku": "a", "quantity": 1}], "code": "AB12"}


@pytest.fixture
def order(tmp_path: Path) -> Contract:
    write_contract(tmp_path, "PlaceOrder", ORDER_SCHEMA)
    return Catalog.load(tmp_path)["PlaceOrder"]


@pytest.fixture
def avro_order(tmp_path: Path) -> Contract:
    write_avro(tmp_path, "PlaceOrder", AVRO_ORDER)
    return Catalog.load(tmp_path)["PlaceOrder"]


def test_a_valid_message_has_no_violations(order: Contract) -> None:
    assert order.is_valid(GOOD) and order.violations(GOOD) == []
    order.check(GOOD)


@pytest.mark.parametrize(("change", "pointer", "expected"), [
    ({"orderId": "nope"}, "/orderId", "a uuid string"),
    ({"placedAt": "2026-02-30T10:00:00Z"}, "/placedAt", "a date-time string"),
    ({"email": "no-at-sign"}, "/email", "a email string"),
    ({"items": []}, "/items", "at least 1 items"),
    ({"extra": 1}, "/extra", "no property the schema does not declare"),
    ({"items": [{"sku": "ABC-1234", "quantity": True}]}, "/items/0/quantity", "type integer"),
])
def test_each_violation_has_its_pointer_and_expectation(
    order: Contract, change: dict[str, Any], pointer: str, expected: str
) -> None:
    [violation] = order.violations({**GOOD, **change})
    assert (violation.pointer, violation.expected) == (pointer, expected)


def test_every_violation_is_reported_and_check_raises_the_most_relevant_first(order: Contract) -> None:
    message = {"orderId": 7, "items": [{"sku": "bad", "quantity": 0}]}
    pointers = {v.pointer for v in order.violations(message)}
    assert pointers == {"/orderId", "/items/0/sku", "/items/0/quantity"}
    with pytest.raises(ContractViolation) as caught:
        order.check(message)
    assert caught.value.violations[0].pointer == "/orderId"
    assert caught.value.contract == "PlaceOrder"


def test_the_fast_path_agrees_with_jsonschema_on_every_repository_example() -> None:
    catalog = Catalog.load(Path(__file__).resolve().parents[2] / "contracts")
    for contract in catalog:
        if contract.format != "jsonschema":
            continue
        for example in contract.examples:
            slow = contract.validator.is_valid(example.message)  # type: ignore[attr-defined]
            assert contract.is_valid(example.message) == slow, (contract.name, example.name)


def test_a_message_nested_deeper_than_python_can_follow_is_a_message_error(tmp_path: Path) -> None:
    write_contract(tmp_path, "Tree", {"$defs": {"node": {"type": "object", "properties": {
        "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}}, "$ref": "#/$defs/node"})
    tree = Catalog.load(tmp_path)["Tree"]
    deep: Any = {"children": []}
    for _ in range(5000):
        deep = {"children": [deep]}
    with pytest.raises(MessageError, match="too deeply"):
        tree.violations(deep)


def test_avro_reads_the_json_form_strictly(avro_order: Contract) -> None:
    assert avro_order.violations(AVRO_GOOD) == []
    assert avro_order.is_valid({**AVRO_GOOD, "note": "gift", "tags": {"a": "b"}})


@pytest.mark.parametrize(("change", "pointer"), [
    ({"orderId": "x"}, "/orderId"),
    ({"total": 1.234}, "/total"),
    ({"total": 12345.0}, "/total"),
    ({"placedAt": "2026-01-15T10:00:00Z"}, "/placedAt"),
    ({"day": "15/01/2026"}, "/day"),
    ({"note": 3}, "/note"),
    ({"status": "LOST"}, "/status"),
    ({"lines": [{"sku": "a", "quantity": 2**31}]}, "/lines/0/quantity"),
    ({"lines": [{"sku": "a", "quantity": 1, "colour": "red"}]}, "/lines/0/colour"),
    ({"code": "ABC"}, "/code"),
    ({"surprise": True}, "/surprise"),
])
def test_each_avro_violation_has_its_pointer(avro_order: Contract, change: dict[str, Any], pointer: str) -> None:
    assert [v.pointer for v in avro_order.violations({**AVRO_GOOD, **change})] == [pointer]


def test_a_missing_avro_field_without_default_is_a_violation(avro_order: Contract) -> None:
    message = {k: v for k, v in AVRO_GOOD.items() if k != "note"}
    [violation] = avro_order.violations(message)
    assert violation.pointer == "/note" and "missing" in violation.found
