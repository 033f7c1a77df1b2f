from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from eventproof_fakes import FakeAWS
from reference_impl.destinations import InvalidOrder, OutOfStock, order_id_of, provision, wire

ORDER_ID = "0f6f1a9e-5d3b-4c2a-9e8f-7a6b5c4d3e2f"
PLACED = {
    "orderId": ORDER_ID, "customerId": "3f1c2b9a-8d4e-4f6a-9b7c-1e2d3c4b5a69",
    "items": [{"sku": "BOK-0001", "quantity": 2, "unitPrice": {"amount": 19.95, "currency": "EUR"}}],
    "total": {"amount": 39.90, "currency": "EUR"}, "placedAt": "2026-01-15T10:00:00Z",
}


def success_record(response: dict[str, Any]) -> dict[str, Any]:
    return {
        "version": "1.0", "timestamp": "2026-01-15T10:00:01.000Z",
        "requestContext": {"requestId": "r-1", "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:order:$LATEST",
                           "condition": "Success", "approximateInvokeCount": 1},
        "requestPayload": PLACED, "responseContext": {"statusCode": 200, "executedVersion": "$LATEST"},
        "responsePayload": response,
    }


def test_the_order_id_is_found_in_either_kind_of_request_payload() -> None:
    assert order_id_of(PLACED) == ORDER_ID
    assert order_id_of(success_record({"orderId": ORDER_ID})) == ORDER_ID


def test_an_order_whose_lines_do_not_add_up_is_invalid(moto_session: boto3.session.Session) -> None:
    provision(moto_session, with_functions=False)
    with pytest.raises(InvalidOrder, match="add up"):
        wire(moto_session).order({**PLACED, "total": {"amount": 40, "currency": "EUR"}}, None)


def test_inventory_is_taken_once_per_order(moto_session: boto3.session.Session) -> None:
    provision(moto_session, with_functions=False, stock={"BOK-0001": 5})
    handlers = wire(moto_session, clock=lambda: 1768471202.0)
    record = success_record(handlers.order(PLACED, None))
    first = handlers.update_inventory(record, None)
    assert first == {"orderId": ORDER_ID, "lines": [{"sku": "BOK-0001", "taken": 2, "remaining": 3}], "updatedAt": 1768471202000}
    assert handlers.update_inventory(record, None)["lines"][0]["remaining"] == 3


def test_too_little_stock_fails_without_taking_any(moto_session: boto3.session.Session) -> None:
    provision(moto_session, with_functions=False, stock={"BOK-0001": 1})
    handlers = wire(moto_session)
    with pytest.raises(OutOfStock):
        handlers.update_inventory(success_record(handlers.order(PLACED, None)), None)
    stock = moto_session.resource("dynamodb").Table("Inventory").get_item(Key={"sku": "BOK-0001"})["Item"]["stock"]
    assert stock == 1


def test_rollback_marks_the_order_and_announces_it_once(moto_session: boto3.session.Session) -> None:
    provisioned = provision(moto_session, with_functions=False)
    handlers = wire(moto_session, clock=lambda: 1768471300.0)
    failure = {
        **success_record({"errorMessage": "not enough stock", "errorType": "OutOfStock"}),
        "requestContext": {"requestId": "r-2", "condition": "RetriesExhausted", "approximateInvokeCount": 2,
                           "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:update-inventory:$LATEST"},
        "requestPayload": success_record({"orderId": ORDER_ID}),
    }
    expected = {"orderId": ORDER_ID, "failedFunction": "update_inventory", "condition": "RetriesExhausted",
                "error": "OutOfStock", "rolledBackAt": 1768471300000}
    assert handlers.rollback(failure, None) == expected
    handlers.rollback(failure, None)
    sqs = moto_session.client("sqs")
    messages = sqs.receive_message(QueueUrl=provisioned.notifications_queue_url, MaxNumberOfMessages=10)["Messages"]
    assert [json.loads(m["Body"]) for m in messages] == [expected]


@pytest.mark.parametrize(("at_call", "when"), [(1, "after"), (2, "before")])
def test_rollback_announces_even_when_it_died_between_marking_and_announcing(at_call: int, when: str) -> None:
    aws = FakeAWS()
    with aws.patch_boto3():
        session = boto3.session.Session()
        provisioned = provision(session, with_functions=False)
        aws.lambda_.register("rollback", wire(session).rollback)
        failure = {
            **success_record({"errorMessage": "not enough stock", "errorType": "OutOfStock"}),
            "requestContext": {"requestId": "r-2", "condition": "RetriesExhausted", "approximateInvokeCount": 2,
                               "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:update-inventory:$LATEST"},
            "requestPayload": success_record({"orderId": ORDER_ID}),
        }
        aws.faults.crash("rollback", at_call=at_call, when=when)
        aws.lambda_.invoke_async("rollback", failure)  # Lambda retries the timed-out attempt
        aws.run_until_idle()
        messages = boto3.client("sqs").receive_message(
            QueueUrl=provisioned.notifications_queue_url, MaxNumberOfMessages=10
        )["Messages"]
    assert [json.loads(m["Body"])["orderId"] for m in messages] == [ORDER_ID]
