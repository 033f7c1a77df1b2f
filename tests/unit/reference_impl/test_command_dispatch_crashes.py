"""The dispatcher's order commands survive a crash between their write and their message.

On the fakes: the dispatcher runs as an asynchronously invoked function, a
crash (a Lambda timeout) is injected at each of its AWS calls, and Lambda's
own retry finishes the job.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from eventproof_fakes import FakeAWS
from reference_impl.command_dispatch import provision, wire

ORDER = {
    "orderId": "0f6f1a9e-5d3b-4c2a-9e8f-7a6b5c4d3e2f",
    "userId": "3f1c2b9a-8d4e-4f6a-9b7c-1e2d3c4b5a69",
    "amount": {"amount": 39.9, "currency": "EUR"},
    "items": [{"sku": "BOK-0001", "quantity": 1, "unitPrice": {"amount": 39.9, "currency": "EUR"}}],
}
REFUND = {"orderId": ORDER["orderId"], "refundAmount": {"amount": 10.5, "currency": "EUR"}, "reason": None}


def run_with_crash(commands: list[dict[str, Any]], at_call: int, when: Any) -> FakeAWS:
    aws = FakeAWS()
    with aws.patch_boto3():
        session = boto3.session.Session()
        provision(session)
        aws.lambda_.register("command-dispatcher", wire(session, clock=aws.clock.now).dispatch)
        for number, command in enumerate(commands, start=1):
            if number == len(commands):
                aws.faults.crash("command-dispatcher", at_call=at_call, when=when)
            aws.lambda_.invoke_async("command-dispatcher", command)
            aws.run_until_idle()
    return aws


def bodies(aws: FakeAWS, queue: str) -> list[dict[str, Any]]:
    return [json.loads(message.body) for message in aws.sqs.messages(queue)]


@pytest.mark.parametrize(
    ("at_call", "when", "sent"),
    [
        (1, "before", 1),  # PutItem never happened: the retry starts afresh
        (1, "after", 1),  # the order is written, its payment not yet asked for
        (2, "before", 1),
        (2, "after", 2),  # asked for, not yet marked: asked again, same paymentId
        (3, "before", 2),
        (3, "after", 1),  # marked: the retry sends nothing
    ],
)
def test_process_order_asks_for_its_payment_whatever_call_it_crashes_at(
    at_call: int, when: str, sent: int
) -> None:
    aws = run_with_crash([{"commandType": "PROCESS_ORDER", "payload": ORDER}], at_call, when)

    payments = bodies(aws, "payment-processing")
    assert len(payments) == sent
    assert {payment["paymentId"] for payment in payments} == {payments[0]["paymentId"]}
    (order,) = aws.dynamodb.items("Orders")
    assert order["paymentRequested"] == {"BOOL": True}


@pytest.mark.parametrize(("at_call", "when"), [(1, "after"), (2, "before")])
def test_refund_order_notifies_even_when_it_crashes_after_marking_the_refund(
    at_call: int, when: str
) -> None:
    process = {"commandType": "PROCESS_ORDER", "payload": ORDER}
    refund = {"commandType": "REFUND_ORDER", "payload": REFUND}
    aws = run_with_crash([process, refund], at_call, when)

    (order,) = aws.dynamodb.items("Orders")
    assert order["status"] == {"S": "REFUNDED"}
    assert order["refundNotified"] == {"BOOL": True}
    (topic,) = aws.client("sns").list_topics()["Topics"]
    (notification,) = aws.sns.published(topic["TopicArn"])
    assert json.loads(notification.message)["orderId"] == ORDER["orderId"]
