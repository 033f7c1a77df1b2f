"""Which messages an AWS call sends, for the emits check."""

from __future__ import annotations

from typing import Any

from eventproof.project.conformance import sent_messages
from eventproof_fakes.fault_hook import ObservedCall


def call(service: str, operation: str, params: dict[str, Any]) -> ObservedCall:
    return ObservedCall(service, operation, params, None, 0)


def test_each_sending_operation_yields_its_messages() -> None:
    assert sent_messages(call("events", "PutEvents", {"Entries": [
        {"EventBusName": "payments", "DetailType": "PaymentSettled", "Detail": "{}"},
        {"DetailType": "Other", "Detail": "[]"}]})) == [
        ("event on bus payments", "PaymentSettled", "{}"), ("event on bus default", "Other", "[]")]
    assert sent_messages(call("sqs", "SendMessage", {"QueueUrl": "q", "MessageBody": "1"})) == [
        ("message to q", None, "1")]
    assert sent_messages(call("sqs", "SendMessageBatch", {"QueueUrl": "q", "Entries": [
        {"Id": "a", "MessageBody": "1"}, {"Id": "b", "MessageBody": "2"}]})) == [
        ("message to q", None, "1"), ("message to q", None, "2")]
    assert sent_messages(call("sns", "Publish", {"TopicArn": "t", "Message": "m"})) == [
        ("message to t", None, "m")]
    assert sent_messages(call("dynamodb", "PutItem", {"TableName": "t"})) == []
