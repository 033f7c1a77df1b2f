from __future__ import annotations

import json

import boto3
import pytest

from reference_impl.command_bus import decline_reason, parse_process_payment, provision, wire
from reference_impl.command_bus.payments import InvalidProcessPayment

COMMAND = {
    "paymentId": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
    "orderId": "0f6f1a9e-5d3b-4c2a-9e8f-7a6b5c4d3e2f",
    "customerId": "3f1c2b9a-8d4e-4f6a-9b7c-1e2d3c4b5a69",
    "amount": {"amount": 1500, "currency": "EUR"},
    "requestedAt": 1768471200000,
}


@pytest.mark.parametrize(
    ("amount", "reason"),
    [({"amount": 5000, "currency": "EUR"}, None), ({"amount": 5000.01, "currency": "USD"}, "LIMIT_EXCEEDED"),
     ({"amount": 1, "currency": "GBP"}, "CURRENCY_NOT_SUPPORTED")],
)
def test_the_gateway_declines_over_the_limit_and_in_pounds(amount: dict[str, object], reason: str | None) -> None:
    assert decline_reason({**COMMAND, "amount": amount}) == reason


@pytest.mark.parametrize("body", ["not json", "[]", json.dumps({**COMMAND, "paymentId": "p-1"}), json.dumps({**COMMAND, "extra": 1})])
def test_a_message_that_is_not_a_process_payment_is_refused(body: str) -> None:
    with pytest.raises(InvalidProcessPayment):
        parse_process_payment(body)


def receive_all(session: boto3.session.Session, url: str) -> list[dict[str, object]]:
    messages = session.client("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


def test_a_payment_is_announced_once_to_every_matching_subscriber_on_moto(moto_session: boto3.session.Session) -> None:
    provisioned = provision(moto_session, with_functions=False)
    handlers = wire(moto_session, clock=lambda: 1768471201.0)
    record = {"messageId": "m-1", "body": json.dumps(COMMAND)}
    assert handlers.process_payment({"Records": [record]}, None) == {"batchItemFailures": []}
    assert handlers.process_payment({"Records": [record]}, None) == {"batchItemFailures": []}
    names, urls = provisioned.names, provisioned.queue_urls
    for queue in (names.notifications_queue, names.shipping_queue, names.audit_queue):
        received = receive_all(moto_session, urls[queue])
        assert [event["detail-type"] for event in received] == ["PaymentSucceeded"], queue
        assert received[0]["detail"]["succeededAt"] == 1768471201000


def test_a_poison_message_is_reported_as_a_batch_item_failure(moto_session: boto3.session.Session) -> None:
    provision(moto_session, with_functions=False)
    handlers = wire(moto_session)
    event = {"Records": [{"messageId": "bad", "body": "{}"}, {"messageId": "good", "body": json.dumps(COMMAND)}]}
    assert handlers.process_payment(event, None) == {"batchItemFailures": [{"itemIdentifier": "bad"}]}
