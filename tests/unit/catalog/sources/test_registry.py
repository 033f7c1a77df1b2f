"""EventBridge Schema Registry exports (OpenAPI 3 and JSONSchemaDraft4) read as contracts."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from eventproof.catalog import Catalog
from eventproof.cli import run
from eventproof.errors import ContractLoadError

EXPORTS = Path(__file__).resolve().parent / "registry"

# export -> (contract, source, detail-type, version, a valid detail, an invalid detail, its pointer)
EXPECTED: dict[str, tuple[str, str, str, str, dict[str, Any], dict[str, Any], str]] = {
    "openapi_order_placed.json": (
        "OrderPlaced", "com.shop.orders", "OrderPlaced", "1.0.0",
        {"orderId": "o-1", "lines": [{"sku": "A", "quantity": 2}]},
        {"orderId": "o-1", "lines": [{"sku": "A"}]}, "/lines/0/quantity"),
    "openapi_nullable.json": (
        "CustomerUpdated", "com.shop.crm", "Customer Updated", "1.0.0",
        {"customerId": "c-1", "nickname": None}, {"customerId": "c-1", "nickname": 3}, "/nickname"),
    "openapi_nested_refs.json": (
        "ShipmentDispatched", "com.shop.shipping", "Shipment Dispatched", "1.0.0",
        {"shipment": {"id": "s", "address": {"city": "Oslo"}}},
        {"shipment": {"id": "s", "address": {}}}, "/shipment/address/city"),
    "openapi_aws_service_event.json": (
        "EC2InstanceStateChangeNotification", "aws.ec2", "EC2 Instance State-change Notification",
        "1.0.0", {"instance-id": "i-1", "state": "running"}, {"instance-id": "i-1", "state": "on"},
        "/state"),
    "openapi_enum_and_format.json": (
        "PaymentSettled", "com.shop.payments", "Payment Settled", "2",
        {"paymentId": "p", "settledAt": "2026-01-01T00:00:00Z", "status": "SETTLED", "cents": 5},
        {"paymentId": "p", "settledAt": "2026-01-01T00:00:00Z", "status": "SETTLED", "cents": -1},
        "/cents"),
    "draft4_order_shipped.json": (
        "OrderShipped", "com.shop.orders", "OrderShipped", "1",
        {"orderId": "o", "carrier": "UPS"}, {"orderId": "o"}, "/carrier"),
    "draft4_exclusive_bounds.json": (
        "StockLow", "com.shop.inventory", "Stock Low", "1",
        {"sku": "A", "remaining": 1}, {"sku": "A", "remaining": 0}, "/remaining"),
    "draft4_nested_definitions.json": (
        "InvoicePaid", "com.shop.billing", "Invoice Paid", "1",
        {"invoiceId": "i", "amount": {"value": 1, "currency": "EUR"}},
        {"invoiceId": "i", "amount": {"value": "1", "currency": "EUR"}}, "/amount/value"),
    "draft4_aws_event.json": (
        "ScheduledEvent", "aws.events", "Scheduled Event", "1", {}, [], ""),  # type: ignore[dict-item]
    "draft4_recursive.json": (
        "CategoryCreated", "com.shop.catalog", "Category Created", "1",
        {"name": "books", "children": [{"name": "novels", "children": []}]},
        {"name": "books", "children": [{"children": []}]}, "/children/0/name"),
}


def test_every_export_is_listed() -> None:
    assert sorted(p.name for p in EXPORTS.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("export", sorted(EXPECTED))
def test_the_detail_schema_is_the_contract_and_source_detail_type_its_trigger(export: str) -> None:
    name, source, detail_type, version, good, bad, pointer = EXPECTED[export]
    catalog = Catalog.load(EXPORTS / export)
    assert catalog.names() == [name]
    contract = catalog[name]
    assert dict(contract.metadata.trigger["eventbridge"]) == {"source": source, "detail-type": detail_type}
    assert (contract.kind, contract.version) == ("event", version)
    assert contract.violations(good) == []
    assert [v.pointer for v in contract.violations(bad)][:1] == [pointer]


def test_openapi_nullable_and_draft4_exclusive_bounds_become_draft7() -> None:
    customer = Catalog.load(EXPORTS / "openapi_nullable.json")["CustomerUpdated"]
    assert customer.schema["properties"]["nickname"] == {"type": ["string", "null"]}
    stock = Catalog.load(EXPORTS / "draft4_exclusive_bounds.json")["StockLow"]
    assert stock.schema["properties"]["remaining"] == {"type": "integer", "exclusiveMinimum": 0}


def test_a_folder_of_exports_is_a_catalog(tmp_path: Path) -> None:
    for export in EXPECTED:
        shutil.copy(EXPORTS / export, tmp_path / export)
    catalog = Catalog.load(tmp_path)
    assert sorted(catalog.names()) == sorted(e[0] for e in EXPECTED.values())
    assert catalog.warnings == []


@pytest.mark.parametrize(("change", "pointer", "words"), [
    (lambda d: d["components"]["schemas"]["AWSEvent"].pop("x-amazon-events-source"),
     "/components/schemas/AWSEvent/x-amazon-events-source", "expected x-amazon-events-source"),
    (lambda d: d["components"]["schemas"]["AWSEvent"]["properties"].pop("detail"),
     "/components/schemas/AWSEvent/properties", "no properties.detail"),
    (lambda d: d["components"]["schemas"].pop("OrderPlaced"),
     "/components/schemas/AWSEvent/properties/detail/$ref", "points to nothing"),
])
def test_a_broken_export_is_refused_with_file_and_place(tmp_path: Path, change: Any, pointer: str,
                                                        words: str) -> None:
    document = json.loads((EXPORTS / "openapi_order_placed.json").read_text())
    change(document)
    (tmp_path / "export.json").write_text(json.dumps(document))
    with pytest.raises(ContractLoadError) as raised:
        Catalog.load(tmp_path / "export.json")
    assert (raised.value.pointer, Path(str(raised.value.file)).name) == (pointer, "export.json")
    assert words in raised.value.headline
    out, err = io.StringIO(), io.StringIO()
    assert run(["contracts", "check", str(tmp_path / "export.json")], out, err) == 2
    assert "export.json" in err.getvalue() and "Traceback" not in err.getvalue()


def test_a_json_file_that_is_no_source_is_refused_when_given_alone(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text('{"debug": true}')
    out, err = io.StringIO(), io.StringIO()
    assert run(["contracts", "check", str(tmp_path / "settings.json")], out, err) == 2
    assert "not a contract source" in err.getvalue()
