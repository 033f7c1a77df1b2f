"""``ReceiveRequestAttemptId`` on FIFO queues: a retried receive gets the same answer.

moto accepts the parameter and ignores it (a retry receives nothing while the
messages are in flight), so these cases run on the fakes only, against AWS's
documentation of the parameter:
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

pytestmark = pytest.mark.fakes_only


@pytest.fixture
def sqs(aws: Any) -> Any:
    return aws.client("sqs")


@pytest.fixture
def fifo(sqs: Any) -> str:
    url: str = sqs.create_queue(
        QueueName="orders.fifo",
        Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true", "VisibilityTimeout": "30"},
    )["QueueUrl"]
    for number in range(3):
        sqs.send_message(QueueUrl=url, MessageBody=f"order {number}", MessageGroupId=f"g{number}")
    return url


def receive(sqs: Any, url: str, attempt: str | None = None, **kwargs: Any) -> list[dict[str, Any]]:
    if attempt is not None:
        kwargs["ReceiveRequestAttemptId"] = attempt
    messages: list[dict[str, Any]] = sqs.receive_message(QueueUrl=url, **kwargs).get("Messages", [])
    return messages


def test_a_retry_with_the_same_attempt_id_returns_the_same_messages_and_handles(sqs: Any, fifo: str) -> None:
    first = receive(sqs, fifo, "attempt-1", MaxNumberOfMessages=2)
    assert [m["Body"] for m in first] == ["order 0", "order 1"]
    retried = receive(sqs, fifo, "attempt-1", MaxNumberOfMessages=2)
    assert [(m["MessageId"], m["ReceiptHandle"]) for m in retried] == [
        (m["MessageId"], m["ReceiptHandle"]) for m in first
    ]
    for message in retried:  # the handles work: the messages are really the ones in flight
        sqs.delete_message(QueueUrl=fifo, ReceiptHandle=message["ReceiptHandle"])
    assert [m["Body"] for m in receive(sqs, fifo, MaxNumberOfMessages=10)] == ["order 2"]


def test_another_attempt_id_receives_other_messages(sqs: Any, fifo: str) -> None:
    first = receive(sqs, fifo, "attempt-1")
    other = receive(sqs, fifo, "attempt-2")
    assert [m["Body"] for m in first] == ["order 0"]
    assert [m["Body"] for m in other] == ["order 1"]


def test_a_retry_resets_the_visibility_timeout(aws: Any, sqs: Any, fifo: str) -> None:
    receive(sqs, fifo, "attempt-1", MaxNumberOfMessages=3)
    aws.advance(20)
    receive(sqs, fifo, "attempt-1", MaxNumberOfMessages=3)
    aws.advance(20)  # 40 s after the receive, 20 s after the retry: still in flight
    assert receive(sqs, fifo, MaxNumberOfMessages=10) == []
    aws.advance(11)
    assert len(receive(sqs, fifo, MaxNumberOfMessages=10)) == 3


def test_the_attempt_id_is_good_for_five_minutes(aws: Any, sqs: Any) -> None:
    url = sqs.create_queue(
        QueueName="long.fifo",
        Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true", "VisibilityTimeout": "600"},
    )["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="a", MessageGroupId="g")
    first = receive(sqs, url, "attempt-1")
    aws.advance(299)
    assert receive(sqs, url, "attempt-1")[0]["ReceiptHandle"] == first[0]["ReceiptHandle"]
    aws.advance(2)  # 301 s after the receive: a new receive, and the message is still in flight
    assert receive(sqs, url, "attempt-1") == []


def test_a_retry_after_a_message_was_deleted_is_refused(sqs: Any, fifo: str) -> None:
    first = receive(sqs, fifo, "attempt-1", MaxNumberOfMessages=2)
    sqs.delete_message(QueueUrl=fifo, ReceiptHandle=first[0]["ReceiptHandle"])
    with pytest.raises(ClientError) as raised:
        receive(sqs, fifo, "attempt-1", MaxNumberOfMessages=2)
    assert raised.value.response["Error"]["Code"] == "InvalidParameterValue"
    assert "ReceiveRequestAttemptId" in raised.value.response["Error"]["Message"]


def test_a_retry_after_a_visibility_change_is_refused(sqs: Any, fifo: str) -> None:
    first = receive(sqs, fifo, "attempt-1")
    sqs.change_message_visibility(QueueUrl=fifo, ReceiptHandle=first[0]["ReceiptHandle"], VisibilityTimeout=60)
    with pytest.raises(ClientError) as raised:
        receive(sqs, fifo, "attempt-1")
    assert raised.value.response["Error"]["Code"] == "InvalidParameterValue"


def test_an_empty_receive_is_not_remembered(sqs: Any) -> None:
    url = sqs.create_queue(QueueName="empty.fifo", Attributes={"FifoQueue": "true",
                                                               "ContentBasedDeduplication": "true"})["QueueUrl"]
    assert receive(sqs, url, "attempt-1") == []
    sqs.send_message(QueueUrl=url, MessageBody="late", MessageGroupId="g")
    assert [m["Body"] for m in receive(sqs, url, "attempt-1")] == ["late"]


@pytest.mark.parametrize("attempt", ["x" * 129, "has space", "é"])
def test_an_invalid_attempt_id_is_refused(sqs: Any, fifo: str, attempt: str) -> None:
    with pytest.raises(ClientError) as raised:
        receive(sqs, fifo, attempt)
    assert raised.value.response["Error"]["Code"] == "InvalidParameterValue"


def test_a_standard_queue_ignores_the_attempt_id(sqs: Any) -> None:
    url = sqs.create_queue(QueueName="plain")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="a")
    sqs.send_message(QueueUrl=url, MessageBody="b")
    first = receive(sqs, url, "attempt-1")
    second = receive(sqs, url, "attempt-1")
    assert first and second and first[0]["MessageId"] != second[0]["MessageId"]
