"""Each reference pattern built from its ``template.yaml`` behaves as the one its ``wire()`` builds.

One side: ``infrastructure.provision`` + ``wire(session)`` (the hand-written boto3 the
patterns ship). The other: ``FakeAWS.from_template`` alone, whose functions load the
pattern's ``lambdas.py`` from its folder and read resource names from their environment.
The same scenario runs on both; what it leaves behind (tables, queues, answers) must match,
once the values that differ on every run anyway (times, random ids) are masked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import boto3
import pytest

import reference_impl
from eventproof_fakes import FakeAWS
from reference_impl import async_controller, command_bus, command_dispatch, destinations, outbox
from reference_impl.async_controller import lambdas as async_lambdas
from reference_impl.command_bus import lambdas as bus_lambdas
from reference_impl.destinations import lambdas as destination_lambdas
from reference_impl.outbox import lambdas as outbox_lambdas

PATTERNS = Path(reference_impl.__file__).parent
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?")
_SES_ID = re.compile(r"[0-9a-f]{16}-<uuid>-\d{6}")  # SES MessageId, after the uuid is masked
Scenario = Callable[[FakeAWS], Any]


def masked(value: Any) -> Any:
    """``value`` with times, uuids and epoch numbers replaced: they differ between any two runs."""
    if isinstance(value, dict):
        return {k: masked(v) for k, v in sorted(value.items())}
    if isinstance(value, tuple):  # a scenario's several findings, in their order
        return [masked(v) for v in value]
    if isinstance(value, list):
        return sorted((masked(v) for v in value), key=lambda v: json.dumps(v, default=str))
    if isinstance(value, str):
        return _SES_ID.sub("<ses message id>", _TIME.sub("<time>", _UUID.sub("<uuid>", value)))
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool) and value > 1_000_000_000:
        return "<epoch>"
    return value


def scan(aws: FakeAWS, *tables: str) -> dict[str, Any]:
    dynamodb = aws.resource("dynamodb")
    return {name: dynamodb.Table(name).scan()["Items"] for name in tables}


def drain(aws: FakeAWS, *queues: str) -> dict[str, list[Any]]:
    sqs, found = aws.client("sqs"), {}
    for name in queues:
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        found[name] = [json.loads(m["Body"]) for m in messages]
    return found


@contextmanager
def wired(provision: Callable[[boto3.session.Session], Any], lazy_app: Any, wire: Callable[..., Any]) -> Iterator[FakeAWS]:
    aws = FakeAWS()
    with aws.patch_boto3():
        session = boto3.session.Session()
        provision(session)
        if lazy_app is not None:
            lazy_app.use(wire(session))
        try:
            yield aws
        finally:
            if lazy_app is not None:
                lazy_app.cold_start()


def from_template(pattern: str, **parameters: str) -> FakeAWS:
    return FakeAWS.from_template(PATTERNS / pattern / "template.yaml", parameters=parameters)


def invoke(aws: FakeAWS, function: str, payload: Any, invocation_type: str = "RequestResponse") -> Any:
    answer = aws.client("lambda").invoke(
        FunctionName=function, InvocationType=invocation_type, Payload=json.dumps(payload).encode()
    )
    body = answer["Payload"].read()
    aws.run_until_idle()
    return json.loads(body) if body else answer["StatusCode"]


# --- scenarios ----------------------------------------------------------------------------
LEED = {
    "id": "7c1e2d3f-4a5b-4c6d-8e7f-8091a2b3c4d5", "trade": "caricatures", "seller": "scott.gross",
    "sellerEmail": "scott@theleedz.com", "title": "Wedding reception, 3 hours", "date": "2026-06-20",
    "zip": "90210", "price": {"amount": 450, "currency": "USD"},
}


def post_a_leed(aws: FakeAWS) -> Any:
    subscriptions = aws.resource("dynamodb").Table("Subscriptions")
    subscriptions.put_item(Item={"trade": "caricatures", "email": "ann@example.com", "user": "ann"})
    # SES's sandbox: the sender's domain and the recipient are verified (the template has no
    # SES identity resource; the wired provision verifies the domain itself).
    ses = aws.client("ses")
    ses.verify_domain_identity(Domain="theleedz.com")
    ses.verify_email_identity(EmailAddress="ann@example.com")
    answers = [invoke(aws, "addLeed", LEED), invoke(aws, "addLeed", LEED)]
    return answers, scan(aws, "Bookings", "Leeds", "Emails"), len(aws.invocations("async_email_helper"))


PAYMENT = {
    "paymentId": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "orderId": "0f6f1a9e-5d3b-4c2a-9e8f-7a6b5c4d3e2f",
    "customerId": "3f1c2b9a-8d4e-4f6a-9b7c-1e2d3c4b5a69", "amount": {"amount": 1500, "currency": "EUR"},
    "requestedAt": 1768471200000,
}


def send_payment_commands(aws: FakeAWS) -> Any:
    sqs = aws.client("sqs")
    url = sqs.get_queue_url(QueueName="payment-processing")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps(PAYMENT))
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({**PAYMENT, "paymentId": "not-a-uuid"}))
    aws.run_until_idle()
    queues = ("customer-notifications", "shipping", "large-payment-audit")
    return scan(aws, "Payments"), drain(aws, *queues), [i.result for i in aws.invocations("payment-processor")]


USER = {"userId": "3f1c2b9a-8d4e-4f6a-9b7c-1e2d3c4b5a69", "email": "ann@example.com", "name": "Ann"}


def dispatch_commands(aws: FakeAWS, dispatch: Callable[[Any], Any]) -> Any:
    answers = [dispatch({"commandType": "CREATE_USER", "payload": USER}),
               dispatch({"commandType": "CREATE_USER", "payload": {"userId": 1}}),
               dispatch({"commandType": "NOPE", "payload": {}})]
    return answers, scan(aws, "Users")


ORDER = {
    "orderId": "0f6f1a9e-5d3b-4c2a-9e8f-7a6b5c4d3e2f", "customerId": "3f1c2b9a-8d4e-4f6a-9b7c-1e2d3c4b5a69",
    "items": [{"sku": "BOK-0001", "quantity": 2, "unitPrice": {"amount": 10.0, "currency": "EUR"}}],
    "total": {"amount": 20.0, "currency": "EUR"}, "placedAt": "2026-01-15T10:00:00Z",
}


def place_orders(aws: FakeAWS) -> Any:
    aws.client("dynamodb").put_item(TableName="Inventory", Item={"sku": {"S": "BOK-0001"}, "stock": {"N": "3"}})
    invoke(aws, "order", ORDER, "Event")
    invoke(aws, "order", {**ORDER, "orderId": "1f6f1a9e-5d3b-4c2a-9e8f-7a6b5c4d3e2f"}, "Event")
    tables = scan(aws, "Orders", "Inventory", "InventoryReservations")
    return tables, drain(aws, "order-notifications-inbox")


BOOK = {"name": "Team Topologies", "author": "Matthew Skelton", "isbn": "9781942788812"}


def add_and_remove_a_book(aws: FakeAWS, variant: str) -> Any:
    answers = [invoke(aws, "AddBook", {"httpMethod": "POST", "body": json.dumps(BOOK)}),
               invoke(aws, "AddBook", {"httpMethod": "POST", "body": json.dumps(BOOK)}),
               invoke(aws, "RemoveBook", {"httpMethod": "DELETE", "pathParameters": {"name": BOOK["name"]}})]
    logged = drain(aws, "outbox-event-log") if variant == "cdc" else {}
    consumers = {name: len(aws.invocations(name)) for name in ("BookAdded", "BookRemoved")}
    return answers, scan(aws, "Catalogue", "Presentation", "Books", "Events"), logged, consumers


def _same(by_wiring: Any, by_template: Any) -> None:
    assert masked(by_template) == masked(by_wiring)


# --- the comparisons ---------------------------------------------------------------------
def test_async_controller_from_its_template_behaves_as_wired() -> None:
    with wired(async_controller.provision, async_lambdas.app, async_controller.wire) as aws:
        by_wiring = post_a_leed(aws)
    by_template = post_a_leed(from_template("async_controller"))
    assert by_wiring[2] == 2 and by_wiring[1]["Emails"]
    _same(by_wiring, by_template)


def test_command_bus_from_its_template_behaves_as_wired() -> None:
    with wired(command_bus.provision, bus_lambdas.app, command_bus.wire) as aws:
        by_wiring = send_payment_commands(aws)
    by_template = send_payment_commands(from_template("command_bus"))
    assert by_wiring[0]["Payments"] and by_wiring[1]["large-payment-audit"]
    _same(by_wiring, by_template)


def test_command_dispatch_from_its_template_behaves_as_wired() -> None:
    aws = FakeAWS()
    with aws.patch_boto3():
        session = boto3.session.Session()
        command_dispatch.provision(session)
        handler = command_dispatch.wire(session).dispatch
        by_wiring = dispatch_commands(aws, lambda event: handler(event, None))
    templated = from_template("command_dispatch")
    by_template = dispatch_commands(templated, lambda event: invoke(templated, "command-dispatcher", event))
    assert by_wiring[1]["Users"]
    _same(by_wiring, by_template)


def test_destinations_from_its_template_behaves_as_wired() -> None:
    with wired(destinations.provision, destination_lambdas.app, destinations.wire) as aws:
        by_wiring = place_orders(aws)
    by_template = place_orders(from_template("destinations"))
    orders = {o["orderId"][:1]: o["status"] for o in by_wiring[0]["Orders"]}
    assert orders == {"0": "CONFIRMED", "1": "ROLLED_BACK"}, orders  # stock 3: the second order of 2 fails
    assert by_wiring[1]["order-notifications-inbox"]
    _same(by_wiring, by_template)


@pytest.mark.parametrize("variant", ["cdc", "pipes"])
def test_outbox_from_its_template_behaves_as_wired(variant: str) -> None:
    def provision(session: boto3.session.Session) -> None:
        outbox.provision(session, variant=variant, resource_policies=False)  # type: ignore[arg-type]

    with wired(provision, outbox_lambdas.app, lambda session: outbox.wire(session, variant=variant)) as aws:  # type: ignore[arg-type]
        by_wiring = add_and_remove_a_book(aws, variant)
    by_template = add_and_remove_a_book(from_template("outbox", Variant=variant), variant)
    assert by_wiring[3]["BookAdded"] >= 1
    _same(by_wiring, by_template)
