from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from reference_impl.command_dispatch import (
    CommandContext,
    CommandRegistry,
    make_dispatcher,
    provision,
    wire,
)
from reference_impl.shared import load_validator

ORDER = {
    "orderId": "0f6f1a9e-5d3b-4c2a-9e8f-7a6b5c4d3e2f",
    "userId": "3f1c2b9a-8d4e-4f6a-9b7c-1e2d3c4b5a69",
    "amount": {"amount": 39.9, "currency": "EUR"},
    "items": [{"sku": "BOK-0001", "quantity": 1, "unitPrice": {"amount": 39.9, "currency": "EUR"}}],
}


class RecordingCommand:
    command_type = "RECORD"

    def __init__(self, fail_with: Exception | None = None) -> None:
        self.executed: list[dict[str, Any]] = []
        self.fail_with = fail_with

    def validate(self, payload: dict[str, Any]) -> list[str]:
        return [] if "ok" in payload else ["/ok: is required"]

    def execute(self, context: CommandContext) -> dict[str, Any]:
        if self.fail_with:
            raise self.fail_with
        self.executed.append(context.payload)
        return {"status": "CREATED"}


def test_a_registered_command_runs_and_answers_200() -> None:
    command = RecordingCommand()
    answer = make_dispatcher(CommandRegistry([command]))({"commandType": "RECORD", "payload": {"ok": 1}}, None)
    assert answer == {"statusCode": 200, "body": {"commandType": "RECORD", "status": "CREATED"}}
    assert command.executed == [{"ok": 1}]


def test_an_unknown_type_answers_400_with_the_known_types() -> None:
    answer = make_dispatcher(CommandRegistry([RecordingCommand()]))({"commandType": "NOPE", "payload": {}}, None)
    assert answer["statusCode"] == 400
    assert answer["body"]["knownCommandTypes"] == ["RECORD"]
    assert load_validator("command_dispatch/DispatchRejected.schema.json").violations(answer) == []


def test_an_invalid_payload_answers_400_and_never_executes() -> None:
    command = RecordingCommand()
    answer = make_dispatcher(CommandRegistry([command]))({"commandType": "RECORD", "payload": {}}, None)
    assert answer["statusCode"] == 400 and answer["body"]["violations"] == ["/ok: is required"]
    assert command.executed == []


def test_an_unexpected_error_answers_500_without_leaking_it(caplog: pytest.LogCaptureFixture) -> None:
    dispatch = make_dispatcher(CommandRegistry([RecordingCommand(fail_with=KeyError("secret-table"))]))
    answer = dispatch({"commandType": "RECORD", "payload": {"ok": 1}}, None)
    assert answer["statusCode"] == 500
    assert "secret-table" not in json.dumps(answer)
    assert "secret-table" in caplog.text
    assert load_validator("command_dispatch/DispatchFailed.schema.json").violations(answer) == []


@pytest.mark.parametrize("event", [None, [], {"commandType": 1, "payload": {}}, {"commandType": "X"}])
def test_a_malformed_envelope_answers_400(event: Any) -> None:
    assert make_dispatcher(CommandRegistry())(event, None)["body"]["error"] == "InvalidEnvelope"


def test_a_command_type_cannot_be_registered_twice() -> None:
    with pytest.raises(ValueError, match="RECORD"):
        CommandRegistry([RecordingCommand(), RecordingCommand()])


def test_process_order_then_refund_on_moto(moto_session: boto3.session.Session) -> None:
    provision(moto_session)
    handlers = wire(moto_session, clock=lambda: 1768471200.0)
    first = handlers.dispatch({"commandType": "PROCESS_ORDER", "payload": ORDER}, None)
    again = handlers.dispatch({"commandType": "PROCESS_ORDER", "payload": ORDER}, None)
    assert first["body"]["status"] == "PROCESSING" and again["body"]["status"] == "ALREADY_DONE"
    sqs = moto_session.client("sqs")
    url = sqs.get_queue_url(QueueName="payment-processing")["QueueUrl"]
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert len(messages) == 1
    assert json.loads(messages[0]["Body"])["requestedAt"] == 1768471200000
    refund = {"orderId": ORDER["orderId"], "refundAmount": {"amount": 10.5, "currency": "EUR"}, "reason": None}
    answer = handlers.dispatch({"commandType": "REFUND_ORDER", "payload": refund}, None)
    assert answer == {"statusCode": 200, "body": {"commandType": "REFUND_ORDER", "status": "REFUNDED", "orderId": ORDER["orderId"]}}
    item = moto_session.resource("dynamodb").Table("Orders").get_item(Key={"orderId": ORDER["orderId"]})["Item"]
    assert item["status"] == "REFUNDED" and float(item["refundAmount"]["amount"]) == 10.5
    again = handlers.dispatch({"commandType": "REFUND_ORDER", "payload": refund}, None)
    assert again["body"]["status"] == "ALREADY_DONE"


def test_refunding_an_unknown_order_is_refused_with_400(moto_session: boto3.session.Session) -> None:
    provision(moto_session)
    handlers = wire(moto_session)
    refund = {"orderId": ORDER["orderId"], "refundAmount": {"amount": 1, "currency": "EUR"}, "reason": None}
    answer = handlers.dispatch({"commandType": "REFUND_ORDER", "payload": refund}, None)
    assert answer["statusCode"] == 400 and answer["body"]["error"] == "CommandRefused"
