"""AsyncAPI 2.6 / 3.0 documents read as catalog contracts (documents under asyncapi/)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import pytest

from eventproof.catalog import AvroContract, Catalog, JsonSchemaContract
from eventproof.cli import run
from eventproof.errors import ContractLoadError, RefError, SchemaError

HERE = Path(__file__).resolve().parent / "asyncapi"
VALID = HERE / "valid"
INVALID = HERE / "invalid"


def cli(*argv: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return run([str(a) for a in argv], out, err), out.getvalue(), err.getvalue()


# document -> {contract: (format, producers, consumers, trigger, examples)}
EXPECTED: dict[str, dict[str, tuple[str, tuple[str, ...], tuple[str, ...], dict[str, Any], int]]] = {
    "v3_sqs_send_receive.yaml": {
        "OrderPlaced": ("jsonschema", ("placeOrder",), ("fulfilOrder",),
                        {"sqs": {"queue": "orders-queue"}}, 2)},
    "v3_sns.yaml": {
        "UserSignedUp": ("jsonschema", ("announceSignUp",), ("sendWelcomeMail", "grantStarterCredit"),
                         {"sns": {"topic": "user-events-topic"}}, 1)},
    "v3_eventbridge.yaml": {
        "InvoiceIssued": ("jsonschema", ("issueInvoice",), (),
                          {"eventbridge": {"source": "com.shop.billing", "detail-type": "InvoiceIssued"}}, 1)},
    "v3_avro.yaml": {
        "StockReserved": ("avro", ("reserveStock",), (), {"sqs": {"queue": "stock-queue"}}, 1)},
    "v3_avro_file_ref.yaml": {
        "PaymentTaken": ("avro", ("takePayment",), (), {"sns": {"topic": "payments-topic"}}, 1)},
    "v3_refs_across_files.yaml": {
        "ShipmentCreated": ("jsonschema", (), ("ship",), {"sqs": {"queue": "shipments-queue"}}, 1),
        "ShipmentCharged": ("jsonschema", (), ("ship",), {"sqs": {"queue": "shipments-queue"}}, 0)},
    "v3_json.json": {
        "BookListed": ("jsonschema", ("listBook",), ("indexBook",), {"sqs": {"queue": "books-queue"}}, 1)},
    "v3_schema_object_extras.yaml": {
        "PetAdopted": ("jsonschema", ("adopt",), (),
                       {"eventbridge": {"source": "com.zoo", "detail-type": "PetAdopted"}}, 1)},
    "v3_recursive.yaml": {"TeamReorganised": ("jsonschema", ("reorganise",), (), {}, 1)},
    "v3_operation_messages_subset.yaml": {
        "AccountOpened": ("jsonschema", ("openAccount",), ("auditAccounts",),
                          {"sqs": {"queue": "accounts-queue"}}, 0),
        "AccountClosed": ("jsonschema", ("closeAccount",), ("auditAccounts",),
                          {"sqs": {"queue": "accounts-queue"}}, 0)},
    "v3_fifo_group.yaml": {
        "EntryPosted": ("jsonschema", ("post",), (),
                        {"sqs": {"queue": "ledger.fifo", "message-group-id": "account"}}, 1)},
    "v3_metadata_override.yaml": {
        "CancelOrder": ("jsonschema", (), ("cancel",), {"sqs": {"queue": "commands-queue"}}, 0)},
    "v3_multiformat_draft07.yaml": {"ReviewPosted": ("jsonschema", ("review",), (), {}, 1)},
    "v3_components_channels.yaml": {
        "ReturnRequested": ("jsonschema", ("requestReturn",), ("processReturn",),
                            {"sqs": {"queue": "returns-queue"}}, 1)},
    # a reply flows back: the receiver of the request produces it, the sender consumes it
    "v3_request_reply.yaml": {
        "PriceQuery": ("jsonschema", ("askPrice",), ("quotePrice",), {"sqs": {"queue": "price-queries"}}, 1),
        "PriceQuote": ("jsonschema", ("quotePrice",), ("askPrice",), {"sqs": {"queue": "price-quotes"}}, 0)},
    "v2_traits.yaml": {
        "ReviewWritten": ("jsonschema", ("postReview",), (), {"sns": {"topic": "reviews-topic"}}, 1)},
    # 2.x: 'subscribe' -> the application sends (producer), 'publish' -> it receives (consumer)
    "v2_publish_subscribe.yaml": {
        "CookRequested": ("jsonschema", (), ("cookOrder",), {"sqs": {"queue": "order-requests"}}, 1),
        "MealReady": ("jsonschema", ("announceMeal",), (), {"sns": {"topic": "meals-ready-topic"}}, 1)},
    "v2_avro.yaml": {"ReadingTaken": ("avro", ("emitReading",), (), {"sqs": {"queue": "readings"}}, 1)},
    "v2_oneof_messages.yaml": {
        "ItemAdded": ("jsonschema", ("publishCartChange",), ("mirrorCart",),
                      {"eventbridge": {"source": "com.shop.cart", "detail-type": "CartChanged"}}, 0),
        "ItemRemoved": ("jsonschema", ("publishCartChange",), (),
                        {"eventbridge": {"source": "com.shop.cart", "detail-type": "CartChanged"}}, 0),
        "ItemSaved": ("jsonschema", (), (), {}, 0)},
    "v2_message_id.json": {
        "DocumentChanged": ("jsonschema", (), ("indexDocument",), {"sqs": {"queue": "search-index"}}, 1)},
    "v2_refs_file.yaml": {
        "ParcelDelivered": ("jsonschema", ("Delivery",), (), {"sns": {"topic": "deliveries"}}, 1)},
    "v2_channel_without_operation_id.yaml": {
        "AuditRecorded": ("jsonschema", (), ("Audit trail",),
                          {"eventbridge": {"source": "com.shop.audit", "detail-type": "AuditRecorded"}}, 0)},
    "v2_message_file_ref.yaml": {
        "PaymentTaken": ("avro", ("emitPayment",), (), {"sqs": {"queue": "payments-v2"}}, 1)},
}


@pytest.mark.parametrize("document", sorted(EXPECTED))
def test_each_message_becomes_a_contract_with_its_operations_and_bindings(document: str) -> None:
    catalog = Catalog.load(VALID / document)
    found = {
        c.name: (c.format, c.producers, c.consumers, {k: dict(v) for k, v in c.metadata.trigger.items()},
                 len(c.examples))
        for c in catalog
    }
    assert found == EXPECTED[document]


@pytest.mark.parametrize("document", sorted(EXPECTED))
def test_every_example_of_the_document_is_valid_under_its_contract(document: str) -> None:
    results = Catalog.load(VALID / document).check_examples()
    assert all(r.ok for r in results), [r.render() for r in results if not r.ok]


def test_the_2x_verbs_are_read_from_the_other_applications_point_of_view() -> None:
    catalog = Catalog.load(VALID / "v2_publish_subscribe.yaml")
    # channel 'order-requests' has 'publish': others publish, the kitchen consumes
    assert catalog["CookRequested"].consumers == ("cookOrder",)
    assert catalog["CookRequested"].producers == ()
    # channel 'meals-ready' has 'subscribe': others subscribe, the kitchen produces
    assert catalog["MealReady"].producers == ("announceMeal",)


def test_metadata_comes_from_info_and_the_message() -> None:
    order = Catalog.load(VALID / "v3_sqs_send_receive.yaml")["OrderPlaced"]
    assert (order.kind, order.version, order.summary) == ("event", "1.2.0", "A customer placed an order.")
    cancel = Catalog.load(VALID / "v3_metadata_override.yaml")["CancelOrder"]
    assert (cancel.kind, cancel.version, cancel.compatibility) == ("command", "2.0.0", "BACKWARD")
    document = Catalog.load(VALID / "v2_message_id.json")["DocumentChanged"]
    assert document.summary == "A document changed"  # the title, when there is no summary


def test_payload_refs_within_the_document_and_to_other_files_validate() -> None:
    order = Catalog.load(VALID / "v3_sqs_send_receive.yaml")["OrderPlaced"]
    assert isinstance(order, JsonSchemaContract)
    bad = order.violations({"orderId": "o-1", "total": {"amount": 1, "currency": "eur"}})
    assert [v.pointer for v in bad] == ["/total/currency"]
    shipment = Catalog.load(VALID / "v3_refs_across_files.yaml")["ShipmentCreated"]
    assert [v.pointer for v in shipment.violations({"shipmentId": "s", "to": {"street": "x"}})] == ["/to/city"]
    assert "definitions" in shipment.schema and "$ref" not in str(shipment.schema["definitions"])


def test_a_recursive_schema_stays_a_reference_and_validates_deep_trees() -> None:
    team = Catalog.load(VALID / "v3_recursive.yaml")["TeamReorganised"]
    assert team.schema["properties"]["teams"]["items"] == {"$ref": "#"}
    deep: dict[str, Any] = {"name": "leaf", "teams": []}
    for level in range(30):
        deep = {"name": f"t{level}", "teams": [deep]}
    assert team.is_valid(deep)
    deep["teams"][0]["teams"][0]["teams"] = [{"name": 3, "teams": []}]
    assert not team.is_valid(deep)


def test_schema_object_extras_are_kept_and_do_not_change_validation() -> None:
    pet = Catalog.load(VALID / "v3_schema_object_extras.yaml")["PetAdopted"]
    assert pet.schema["discriminator"] == "petType" and pet.schema["x-owner"] == "zoo-team"
    assert pet.is_valid({"petType": "dog", "name": "Rex", "legacyId": "old"})
    assert [v.pointer for v in pet.violations({"name": "Rex"})] == ["/petType"]


def test_avro_payloads_validate_their_json_form() -> None:
    stock = Catalog.load(VALID / "v3_avro.yaml")["StockReserved"]
    assert isinstance(stock, AvroContract)
    assert stock.is_valid({"sku": "A", "quantity": 1})
    assert not stock.is_valid({"sku": "A", "quantity": "one"})
    payment = Catalog.load(VALID / "v3_avro_file_ref.yaml")["PaymentTaken"]
    assert payment.is_valid({"paymentId": "p", "amountCents": 5, "note": None})


def test_a_failing_example_in_a_document_fails_contracts_check(tmp_path: Path) -> None:
    text = (VALID / "v3_eventbridge.yaml").read_text().replace("{sku: BOOK-1}", "{sku: 7}")
    (tmp_path / "billing.yaml").write_text(text)
    code, out, _ = cli("contracts", "check", tmp_path / "billing.yaml")
    assert code == 1 and "a valid example is rejected" in out and "/lines/0/sku" in out
    assert "billing.yaml, line 20" in out  # where the example sits in the document


def test_contracts_check_on_a_document_needs_no_eventproof_metadata() -> None:
    code, out, err = cli("contracts", "check", VALID / "v3_sqs_send_receive.yaml")
    assert (code, err) == (0, "")
    assert "OrderPlaced" in out and "2/2 ok" in out


def test_a_folder_recognises_asyncapi_documents_and_the_files_they_refer_to(tmp_path: Path) -> None:
    for name in ("v3_refs_across_files.yaml", "v2_publish_subscribe.yaml"):
        shutil.copy(VALID / name, tmp_path / name)
    shutil.copytree(VALID / "schemas", tmp_path / "schemas")
    (tmp_path / "notes.yaml").write_text("owner: team-a\n")
    catalog = Catalog.load(tmp_path)
    assert catalog.names() == ["CookRequested", "MealReady", "ShipmentCharged", "ShipmentCreated"]
    # common.yaml and shipment.json are referenced; PaymentTaken.avsc and notes.yaml are not
    warned = sorted(Path(w.split(":")[0]).name for w in catalog.warnings)
    assert warned == ["PaymentTaken.avsc", "notes.yaml"]


# document -> (error class, JSON pointer, words of the message)
INVALID_EXPECTED: dict[str, tuple[type[Exception], str | None, str]] = {
    "bad_action.yaml": (SchemaError, "/operations/o/action", "expected one of ['send', 'receive']"),
    "missing_info.yaml": (SchemaError, "", "'info' is required"),
    "v2_unknown_channel_key.yaml": (SchemaError, "/channels/c", "unknown keys must start with x-"),
    "unsupported_version.yaml": (SchemaError, "/asyncapi", "unsupported AsyncAPI version '1.2.0'"),
    "ref_to_nowhere.yaml": (RefError, "/channels/c/messages/M/$ref", "points to nothing"),
    "ref_missing_file.yaml": (RefError, "/channels/c/messages/M/payload/$ref", "no file at"),
    "remote_ref.yaml": (RefError, "/channels/c/messages/M/payload/$ref", "never touches the network"),
    "discriminator_not_required.yaml": (SchemaError, "/channels/c/messages/Pet/payload/discriminator",
                                        "must be a property the schema defines and requires"),
    "avro_not_record.yaml": (SchemaError, "/channels/c/messages/M/payload/schema/type",
                             "must be a record schema"),
    "sqs_binding_missing_fifo.yaml": (SchemaError, "/channels/c/bindings/sqs/queue",
                                      "'fifoQueue' is required"),
    "eventbridge_binding_incomplete.yaml": (SchemaError, "/channels/c/bindings/x-eventbridge",
                                            "expected {source: string, detail-type: string}"),
    "two_queues.yaml": (SchemaError, "/channels/b", "bound to two different sqs channels"),
    "no_payload.yaml": (SchemaError, "/channels/c/messages/M", "has no payload schema"),
    "malformed.yaml": (ContractLoadError, None, "malformed YAML"),
    "unsupported_schema_format.yaml": (SchemaError, "/channels/c/messages/M/payload/schemaFormat",
                                       "unsupported schemaFormat"),
    "invalid_json_schema.yaml": (SchemaError, "/channels/c/messages/M/payload/properties/n/minimum",
                                 "expected number, found 'low'"),
    "x_eventproof_unknown_key.yaml": (SchemaError, "/channels/c/messages/M/x-eventproof",
                                      "holds only kind, version, compatibility"),
    "x_eventproof_bad_kind.yaml": (SchemaError, "/channels/c/messages/M/x-eventproof/kind",
                                   "expected one of command, event"),
}


def test_every_invalid_document_is_listed() -> None:
    assert sorted(p.name for p in INVALID.iterdir()) == sorted(INVALID_EXPECTED)


@pytest.mark.parametrize("document", sorted(INVALID_EXPECTED))
def test_an_invalid_document_is_refused_naming_file_place_and_expectation(document: str) -> None:
    error_class, pointer, words = INVALID_EXPECTED[document]
    with pytest.raises(error_class) as raised:
        Catalog.load(INVALID / document)
    error = raised.value
    assert isinstance(error, ContractLoadError)
    assert error.file is not None and Path(error.file).name == document
    assert error.pointer == pointer
    assert words in error.headline


@pytest.mark.parametrize("document", sorted(INVALID_EXPECTED))
def test_the_cli_exits_2_with_one_readable_block_for_an_invalid_document(document: str) -> None:
    code, out, err = cli("contracts", "check", INVALID / document)
    assert (code, out) == (2, "")
    assert err.startswith("contract error: ") and document in err and "Traceback" not in err
