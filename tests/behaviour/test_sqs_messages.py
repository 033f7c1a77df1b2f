"""SQS sending, receiving, visibility, deletion and batches, on the fakes and on moto."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def sqs(aws: Any) -> Any:
    return aws.client("sqs")


@pytest.fixture
def queue(sqs: Any) -> str:
    return str(sqs.create_queue(QueueName="work")["QueueUrl"])


def receive(sqs: Any, url: str, **kwargs: Any) -> list[dict[str, Any]]:
    return list(sqs.receive_message(QueueUrl=url, **kwargs).get("Messages", []))


def test_send_returns_the_md5_of_the_body(sqs: Any, queue: str) -> None:
    response = sqs.send_message(QueueUrl=queue, MessageBody="msg")
    # Recorded on AWS for the body "msg".
    assert response["MD5OfMessageBody"] == "6e2baaf3b97dbeef01c0043275f9a0e7"


def test_send_returns_aws_md5_of_string_message_attributes(sqs: Any, queue: str) -> None:
    response = sqs.send_message(
        QueueUrl=queue,
        MessageBody="msg",
        MessageAttributes={"Foo": {"DataType": "String", "StringValue": "Bar"}},
    )
    assert response["MD5OfMessageAttributes"] == "ae7155c6026991b6d54b11589678bf9c"


def test_binary_message_attributes_round_trip_with_aws_md5(sqs: Any, queue: str) -> None:
    value = b"traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01"
    sqs.send_message(
        QueueUrl=queue,
        MessageBody="test",
        MessageAttributes={"attr1": {"DataType": "Binary", "BinaryValue": value}},
    )
    [message] = receive(sqs, queue, MessageAttributeNames=["All"])
    assert message["MessageAttributes"]["attr1"]["BinaryValue"] == value
    assert message["MD5OfMessageAttributes"] == "8cbe4db156db8a94db8b801b7addb984"


def test_received_message_carries_body_id_and_md5(sqs: Any, queue: str) -> None:
    sent = sqs.send_message(QueueUrl=queue, MessageBody="hello")
    [message] = receive(sqs, queue)
    assert message["Body"] == "hello"
    assert message["MessageId"] == sent["MessageId"]
    assert message["MD5OfBody"] == hashlib.md5(b"hello").hexdigest()


def test_receive_from_an_empty_queue_has_no_messages_key(sqs: Any, queue: str) -> None:
    assert "Messages" not in sqs.receive_message(QueueUrl=queue)


@pytest.mark.fakes_only
def test_max_number_of_messages_above_ten_is_rejected_as_aws_does(sqs: Any, queue: str) -> None:
    # Message recorded on AWS (sqs_test_sqs snapshot); moto writes "must" in lower case.
    with pytest.raises(ClientError) as excinfo:
        sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=11)
    error = excinfo.value.response["Error"]
    assert error["Code"] == "InvalidParameterValue"
    assert error["Message"] == (
        "Value 11 for parameter MaxNumberOfMessages is invalid. "
        "Reason: Must be between 1 and 10, if provided."
    )


def test_receive_returns_at_most_max_number_of_messages(sqs: Any, queue: str) -> None:
    for index in range(5):
        sqs.send_message(QueueUrl=queue, MessageBody=str(index))
    assert len(receive(sqs, queue, MaxNumberOfMessages=3)) == 3


def test_a_received_message_is_invisible_to_the_next_receive(sqs: Any, queue: str) -> None:
    sqs.send_message(QueueUrl=queue, MessageBody="once")
    assert len(receive(sqs, queue)) == 1
    assert receive(sqs, queue) == []


def test_message_reappears_after_its_visibility_timeout(aws: Any, sqs: Any, queue: str) -> None:
    sqs.send_message(QueueUrl=queue, MessageBody="again")
    receive(sqs, queue, VisibilityTimeout=10)
    aws.advance(9)
    assert receive(sqs, queue) == []
    aws.advance(1)
    [message] = receive(sqs, queue, MessageSystemAttributeNames=["ApproximateReceiveCount"])
    assert message["Attributes"]["ApproximateReceiveCount"] == "2"


def test_visibility_timeout_zero_makes_the_message_receivable_again(sqs: Any, queue: str) -> None:
    sqs.send_message(QueueUrl=queue, MessageBody="zero")
    first = receive(sqs, queue)[0]
    sqs.change_message_visibility(
        QueueUrl=queue, ReceiptHandle=first["ReceiptHandle"], VisibilityTimeout=0
    )
    second = receive(sqs, queue)[0]
    assert second["MessageId"] == first["MessageId"]
    assert second["ReceiptHandle"] != first["ReceiptHandle"]


def test_change_message_visibility_extends_the_timeout(aws: Any, sqs: Any, queue: str) -> None:
    sqs.send_message(QueueUrl=queue, MessageBody="slow")
    [message] = receive(sqs, queue, VisibilityTimeout=5)
    sqs.change_message_visibility(
        QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=60
    )
    aws.advance(30)
    assert receive(sqs, queue) == []


def test_deleted_message_is_never_received_again(aws: Any, sqs: Any, queue: str) -> None:
    sqs.send_message(QueueUrl=queue, MessageBody="done")
    [message] = receive(sqs, queue, VisibilityTimeout=1)
    sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
    aws.advance(5)
    assert receive(sqs, queue) == []


def test_deleting_twice_with_the_same_handle_succeeds(sqs: Any, queue: str) -> None:
    sqs.send_message(QueueUrl=queue, MessageBody="twice")
    [message] = receive(sqs, queue)
    sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
    sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])


@pytest.mark.fakes_only
def test_delete_with_a_malformed_receipt_handle_is_receipt_handle_is_invalid(
    sqs: Any, queue: str
) -> None:
    # DeleteMessage API reference: ReceiptHandleIsInvalid "The specified receipt handle
    # isn't valid."; moto accepts any handle on a standard queue.
    with pytest.raises(sqs.exceptions.ReceiptHandleIsInvalid):
        sqs.delete_message(QueueUrl=queue, ReceiptHandle="not-a-handle")


@pytest.mark.fakes_only
def test_delete_with_a_superseded_handle_succeeds_without_deleting(
    aws: Any, sqs: Any, queue: str
) -> None:
    # DeleteMessage API reference: with an older receipt handle "the request succeeds,
    # but the message will not be deleted".
    sqs.send_message(QueueUrl=queue, MessageBody="re-received")
    [first] = receive(sqs, queue, VisibilityTimeout=1)
    aws.advance(1)
    [second] = receive(sqs, queue, VisibilityTimeout=1)
    sqs.delete_message(QueueUrl=queue, ReceiptHandle=first["ReceiptHandle"])
    aws.advance(1)
    assert [m["MessageId"] for m in receive(sqs, queue)] == [second["MessageId"]]


def test_delay_seconds_hides_a_message_until_it_is_due(aws: Any, sqs: Any, queue: str) -> None:
    sqs.send_message(QueueUrl=queue, MessageBody="later", DelaySeconds=30)
    assert receive(sqs, queue) == []
    aws.advance(30)
    assert [m["Body"] for m in receive(sqs, queue)] == ["later"]


def test_queue_delay_applies_to_every_message(aws: Any, sqs: Any) -> None:
    url = sqs.create_queue(QueueName="slow", Attributes={"DelaySeconds": "20"})["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="x")
    assert receive(sqs, url) == []
    aws.advance(20)
    assert len(receive(sqs, url)) == 1


@pytest.mark.fakes_only
def test_long_poll_returns_a_message_that_becomes_visible_within_the_wait(
    aws: Any, sqs: Any, queue: str
) -> None:
    # ReceiveMessage API reference: a long poll returns as soon as a message is available.
    sqs.send_message(QueueUrl=queue, MessageBody="soon", DelaySeconds=5)
    assert [m["Body"] for m in receive(sqs, queue, WaitTimeSeconds=10)] == ["soon"]


@pytest.mark.fakes_only
def test_long_poll_does_not_return_a_message_due_after_the_wait(
    sqs: Any, queue: str
) -> None:
    # The fake cannot wait for producers; a message due after the wait stays hidden.
    sqs.send_message(QueueUrl=queue, MessageBody="too late", DelaySeconds=30)
    assert receive(sqs, queue, WaitTimeSeconds=10) == []


def test_wait_time_seconds_above_twenty_is_rejected(sqs: Any, queue: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=21)
    assert excinfo.value.response["Error"]["Code"] == "InvalidParameterValue"


def test_system_attributes_all_include_sender_and_timestamps(sqs: Any, queue: str) -> None:
    sqs.send_message(QueueUrl=queue, MessageBody="attrs")
    [message] = receive(sqs, queue, MessageSystemAttributeNames=["All"])
    attributes = message["Attributes"]
    assert {"SenderId", "SentTimestamp", "ApproximateReceiveCount",
            "ApproximateFirstReceiveTimestamp"} <= set(attributes)
    assert attributes["ApproximateReceiveCount"] == "1"
    assert attributes["SentTimestamp"].isdigit()


def test_only_the_system_attributes_asked_for_are_returned(sqs: Any, queue: str) -> None:
    sqs.send_message(QueueUrl=queue, MessageBody="one")
    [message] = receive(sqs, queue, AttributeNames=["SenderId"])
    assert set(message["Attributes"]) == {"SenderId"}


def test_message_attributes_are_returned_only_when_asked_for(sqs: Any, queue: str) -> None:
    sqs.send_message(
        QueueUrl=queue,
        MessageBody="m",
        MessageAttributes={"Foo": {"DataType": "String", "StringValue": "Bar"}},
    )
    [message] = receive(sqs, queue)
    assert "MessageAttributes" not in message
    assert "MD5OfMessageAttributes" not in message


def test_message_attribute_names_filter_by_prefix(sqs: Any, queue: str) -> None:
    sqs.send_message(
        QueueUrl=queue,
        MessageBody="m",
        MessageAttributes={
            "trace.id": {"DataType": "String", "StringValue": "1"},
            "trace.span": {"DataType": "String", "StringValue": "2"},
            "other": {"DataType": "Number", "StringValue": "3"},
        },
    )
    [message] = receive(sqs, queue, MessageAttributeNames=["trace.*"])
    assert set(message["MessageAttributes"]) == {"trace.id", "trace.span"}


@pytest.mark.fakes_only
def test_empty_string_attribute_is_rejected_with_aws_message(sqs: Any, queue: str) -> None:
    # Recorded on AWS (sqs_test_sqs snapshot, empty-string-attr); moto accepts the empty value.
    with pytest.raises(ClientError) as excinfo:
        sqs.send_message(
            QueueUrl=queue,
            MessageBody="m",
            MessageAttributes={"ErrorDetails": {"DataType": "String", "StringValue": ""}},
        )
    error = excinfo.value.response["Error"]
    assert error["Code"] == "InvalidParameterValue"
    assert error["Message"] == (
        "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'."
    )


@pytest.mark.fakes_only
def test_empty_message_body_is_a_missing_parameter(sqs: Any, queue: str) -> None:
    # Recorded on AWS (sqs_test_sqs snapshot, send_empty_message); moto accepts an empty body.
    with pytest.raises(ClientError) as excinfo:
        sqs.send_message(QueueUrl=queue, MessageBody="")
    assert excinfo.value.response["Error"]["Code"] == "MissingParameter"


def test_message_over_the_queue_maximum_size_is_rejected(sqs: Any) -> None:
    url = sqs.create_queue(QueueName="small", Attributes={"MaximumMessageSize": "1024"})[
        "QueueUrl"
    ]
    with pytest.raises(ClientError) as excinfo:
        sqs.send_message(QueueUrl=url, MessageBody="x" * 1025)
    assert excinfo.value.response["Error"]["Code"] == "InvalidParameterValue"
    assert "Message must be shorter than 1024 bytes" in excinfo.value.response["Error"]["Message"]


@pytest.mark.fakes_only
def test_a_one_mebibyte_message_is_accepted_and_one_byte_more_is_not(
    sqs: Any, queue: str
) -> None:
    # SQS quotas: messages up to 1 MiB since January 2026 (moto 5.2 stops at 256 KiB).
    sqs.send_message(QueueUrl=queue, MessageBody="x" * 1_048_576)
    with pytest.raises(ClientError) as excinfo:
        sqs.send_message(QueueUrl=queue, MessageBody="x" * 1_048_577)
    assert excinfo.value.response["Error"]["Message"] == (
        "One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes."
    )


@pytest.mark.fakes_only
def test_messages_past_the_retention_period_are_gone(aws: Any, sqs: Any) -> None:
    # SetQueueAttributes API reference: MessageRetentionPeriod, 60 s to 14 days.
    url = sqs.create_queue(QueueName="short", Attributes={"MessageRetentionPeriod": "60"})[
        "QueueUrl"
    ]
    sqs.send_message(QueueUrl=url, MessageBody="old")
    aws.advance(60)
    assert receive(sqs, url) == []
