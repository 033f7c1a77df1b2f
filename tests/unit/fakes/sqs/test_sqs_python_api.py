"""The SQS fake's Python API, used by the SNS, Lambda and Pipes fakes."""

from __future__ import annotations

import base64

import pytest

from eventproof_fakes import AWSError, FakeAWS
from eventproof_fakes.sqs.md5 import md5_of_body, md5_of_message_attributes


@pytest.fixture
def env() -> FakeAWS:
    env = FakeAWS()
    env.client("sqs").create_queue(QueueName="jobs")
    return env


def test_md5_of_message_attributes_matches_values_recorded_on_aws() -> None:
    assert md5_of_message_attributes(
        {"Foo": {"DataType": "String", "StringValue": "Bar"}}
    ) == "ae7155c6026991b6d54b11589678bf9c"
    assert md5_of_message_attributes(
        {"MyAttribute": {"DataType": "String", "StringValue": "foobar"}}
    ) == "adb59cd4678ea5a855436b949cd07ab6"
    assert md5_of_body("message-1") == "3d6b824fd8c1520e9a047d21fee6fb1f"


def test_send_accepts_name_url_or_arn(env: FakeAWS) -> None:
    env.sqs.send("jobs", "a")
    env.sqs.send(env.sqs.queue_url("jobs"), "b")
    env.sqs.send(env.sqs.queue_arn("jobs"), "c")
    assert [m.body for m in env.sqs.messages("jobs")] == ["a", "b", "c"]


def test_send_to_a_missing_queue_raises_the_aws_error(env: FakeAWS) -> None:
    with pytest.raises(AWSError) as excinfo:
        env.sqs.send("missing", "x")
    assert excinfo.value.code == "AWS.SimpleQueueService.NonExistentQueue"


def test_receive_may_gather_more_than_ten(env: FakeAWS) -> None:
    for index in range(25):
        env.sqs.send("jobs", str(index))
    assert len(env.sqs.receive("jobs", max_messages=25)) == 25


def test_messages_inspects_without_changing_state(env: FakeAWS) -> None:
    env.sqs.send("jobs", "x")
    env.sqs.messages("jobs")
    [received] = env.sqs.receive("jobs", max_messages=1)
    assert received.attributes["ApproximateReceiveCount"] == "1"


def test_next_visible_at_reports_when_an_in_flight_message_returns(env: FakeAWS) -> None:
    env.sqs.send("jobs", "x")
    assert env.sqs.next_visible_at("jobs") is None
    env.sqs.receive("jobs", max_messages=1, visibility_timeout=45)
    assert env.sqs.next_visible_at("jobs") == env.clock.now() + 45


def test_delete_and_change_visibility_by_receipt_handle(env: FakeAWS) -> None:
    env.sqs.send("jobs", "x")
    env.sqs.send("jobs", "y")
    first, second = env.sqs.receive("jobs", max_messages=2)
    env.sqs.delete("jobs", first.receipt_handle)
    env.sqs.change_visibility("jobs", second.receipt_handle, 0)
    assert [m.body for m in env.sqs.receive("jobs", max_messages=10)] == ["y"]


def test_lambda_record_has_the_sqs_event_shape(env: FakeAWS) -> None:
    env.sqs.send(
        "jobs", "body",
        message_attributes={
            "s": {"DataType": "String", "StringValue": "v"},
            "b": {"DataType": "Binary", "BinaryValue": b"\x00\x01"},
        },
    )
    [received] = env.sqs.receive("jobs", max_messages=1)
    record = received.to_lambda_record(env.sqs.queue_arn("jobs"), "us-east-1")
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"] == "arn:aws:sqs:us-east-1:123456789012:jobs"
    assert record["md5OfBody"] == md5_of_body("body")
    assert record["md5OfMessageAttributes"] == received.md5_of_message_attributes
    assert record["messageAttributes"]["s"] == {
        "stringValue": "v", "stringListValues": [], "binaryListValues": [], "dataType": "String"
    }
    assert record["messageAttributes"]["b"]["binaryValue"] == base64.b64encode(b"\x00\x01").decode()
    assert set(record["attributes"]) >= {"ApproximateReceiveCount", "SentTimestamp", "SenderId"}


def test_lambda_record_omits_md5_of_attributes_when_there_are_none(env: FakeAWS) -> None:
    env.sqs.send("jobs", "plain")
    [received] = env.sqs.receive("jobs", max_messages=1)
    assert "md5OfMessageAttributes" not in received.to_lambda_record("arn", "us-east-1")


def test_fault_seam_reorders_standard_queue_candidates(env: FakeAWS, monkeypatch: pytest.MonkeyPatch) -> None:
    for body in ("a", "b", "c"):
        env.sqs.send("jobs", body)
    monkeypatch.setattr(env.faults.hook, "order", lambda channel, items: list(reversed(items)))
    assert [m.body for m in env.sqs.receive("jobs", max_messages=3)] == ["c", "b", "a"]


def test_fault_seam_copies_leave_a_message_visible_for_redelivery(
    env: FakeAWS, monkeypatch: pytest.MonkeyPatch
) -> None:
    env.sqs.send("jobs", "dup")
    monkeypatch.setattr(env.faults.hook, "copies", lambda channel: 2)
    first = env.sqs.receive("jobs", max_messages=1)
    second = env.sqs.receive("jobs", max_messages=1)
    assert [m.message_id for m in first] == [m.message_id for m in second]
