"""SQS FIFO queues, dead-letter redrive and batch operations, on the fakes and on moto."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def sqs(aws: Any) -> Any:
    return aws.client("sqs")


def fifo_queue(sqs: Any, name: str = "orders.fifo", **attributes: str) -> str:
    attributes = {"FifoQueue": "true", **attributes}
    return str(sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"])


def receive(sqs: Any, url: str, **kwargs: Any) -> list[dict[str, Any]]:
    return list(sqs.receive_message(QueueUrl=url, **kwargs).get("Messages", []))


def arn_of(sqs: Any, url: str) -> str:
    return str(
        sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
    )


# --- FIFO -------------------------------------------------------------------
def test_fifo_send_without_message_group_id_is_a_missing_parameter(sqs: Any) -> None:
    url = fifo_queue(sqs, ContentBasedDeduplication="true")
    with pytest.raises(ClientError) as excinfo:
        sqs.send_message(QueueUrl=url, MessageBody="x")
    error = excinfo.value.response["Error"]
    assert error["Code"] == "MissingParameter"
    assert error["Message"] == "The request must contain the parameter MessageGroupId."


def test_fifo_send_without_deduplication_needs_content_based_deduplication(sqs: Any) -> None:
    url = fifo_queue(sqs)
    with pytest.raises(ClientError) as excinfo:
        sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g")
    assert excinfo.value.response["Error"]["Message"] == (
        "The queue should either have ContentBasedDeduplication enabled or "
        "MessageDeduplicationId provided explicitly"
    )


def test_fifo_send_returns_a_sequence_number(sqs: Any) -> None:
    url = fifo_queue(sqs)
    response = sqs.send_message(
        QueueUrl=url, MessageBody="x", MessageGroupId="g", MessageDeduplicationId="d1"
    )
    assert response["SequenceNumber"].isdigit()


@pytest.mark.fakes_only
def test_fifo_sequence_numbers_increase(sqs: Any) -> None:
    # FIFO delivery logic docs: SequenceNumber increases within a message group; moto
    # omits it from SendMessage responses sent with content-based deduplication.
    url = fifo_queue(sqs, ContentBasedDeduplication="true")
    first = sqs.send_message(QueueUrl=url, MessageBody="a", MessageGroupId="g")
    second = sqs.send_message(QueueUrl=url, MessageBody="b", MessageGroupId="g")
    assert int(second["SequenceNumber"]) > int(first["SequenceNumber"])


def test_fifo_duplicate_within_five_minutes_is_delivered_once(sqs: Any) -> None:
    url = fifo_queue(sqs)
    for _ in range(2):
        sqs.send_message(
            QueueUrl=url, MessageBody="x", MessageGroupId="g", MessageDeduplicationId="same"
        )
    assert len(receive(sqs, url, MaxNumberOfMessages=10)) == 1


@pytest.mark.fakes_only
def test_fifo_duplicate_within_five_minutes_returns_the_original_id(sqs: Any) -> None:
    # SQS exactly-once processing docs: a duplicate is accepted but not enqueued; AWS
    # answers with the original MessageId (moto makes a new one).
    url = fifo_queue(sqs)
    first = sqs.send_message(
        QueueUrl=url, MessageBody="x", MessageGroupId="g", MessageDeduplicationId="same"
    )
    again = sqs.send_message(
        QueueUrl=url, MessageBody="x", MessageGroupId="g", MessageDeduplicationId="same"
    )
    assert again["MessageId"] == first["MessageId"]


def test_content_based_deduplication_drops_an_identical_body(sqs: Any) -> None:
    url = fifo_queue(sqs, ContentBasedDeduplication="true")
    sqs.send_message(QueueUrl=url, MessageBody="same body", MessageGroupId="g")
    sqs.send_message(QueueUrl=url, MessageBody="same body", MessageGroupId="g")
    assert len(receive(sqs, url, MaxNumberOfMessages=10)) == 1


def test_deduplication_window_ends_after_five_minutes(aws: Any, sqs: Any) -> None:
    url = fifo_queue(sqs, ContentBasedDeduplication="true")
    first = sqs.send_message(QueueUrl=url, MessageBody="same", MessageGroupId="g")
    aws.advance(301)
    second = sqs.send_message(QueueUrl=url, MessageBody="same", MessageGroupId="g")
    assert second["MessageId"] != first["MessageId"]


def test_fifo_delivers_a_group_in_send_order(sqs: Any) -> None:
    url = fifo_queue(sqs, ContentBasedDeduplication="true")
    for index in range(5):
        sqs.send_message(QueueUrl=url, MessageBody=f"m{index}", MessageGroupId="g")
    bodies = [m["Body"] for m in receive(sqs, url, MaxNumberOfMessages=10)]
    assert bodies == ["m0", "m1", "m2", "m3", "m4"]


def test_fifo_holds_back_a_group_while_one_of_its_messages_is_in_flight(sqs: Any) -> None:
    url = fifo_queue(sqs, ContentBasedDeduplication="true")
    sqs.send_message(QueueUrl=url, MessageBody="a1", MessageGroupId="a")
    sqs.send_message(QueueUrl=url, MessageBody="a2", MessageGroupId="a")
    sqs.send_message(QueueUrl=url, MessageBody="b1", MessageGroupId="b")
    assert [m["Body"] for m in receive(sqs, url)] == ["a1"]
    assert [m["Body"] for m in receive(sqs, url)] == ["b1"]
    assert receive(sqs, url) == []


def test_fifo_releases_the_group_once_the_in_flight_message_is_deleted(sqs: Any) -> None:
    url = fifo_queue(sqs, ContentBasedDeduplication="true")
    sqs.send_message(QueueUrl=url, MessageBody="first", MessageGroupId="g")
    sqs.send_message(QueueUrl=url, MessageBody="second", MessageGroupId="g")
    [first] = receive(sqs, url)
    sqs.delete_message(QueueUrl=url, ReceiptHandle=first["ReceiptHandle"])
    assert [m["Body"] for m in receive(sqs, url)] == ["second"]


def test_fifo_received_messages_carry_group_dedup_and_sequence(sqs: Any) -> None:
    url = fifo_queue(sqs)
    sent = sqs.send_message(
        QueueUrl=url, MessageBody="message-body-1", MessageGroupId="group-1",
        MessageDeduplicationId="dedup-1",
    )
    [message] = receive(sqs, url, MessageSystemAttributeNames=["All"])
    assert message["Attributes"]["MessageGroupId"] == "group-1"
    assert message["Attributes"]["MessageDeduplicationId"] == "dedup-1"
    assert message["Attributes"]["SequenceNumber"] == sent["SequenceNumber"]
    assert message["MD5OfBody"] == "19c9e282d65f9733bc6b35d50062c7ee"  # recorded on AWS


@pytest.mark.fakes_only
def test_fifo_per_message_delay_is_rejected(sqs: Any) -> None:
    # Recorded on AWS (sqs_test_sqs snapshot): FIFO queues only take a queue-level delay.
    url = fifo_queue(sqs, ContentBasedDeduplication="true")
    with pytest.raises(ClientError) as excinfo:
        sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g", DelaySeconds=2)
    assert excinfo.value.response["Error"]["Message"] == (
        "Value 2 for parameter DelaySeconds is invalid. "
        "Reason: The request include parameter that is not valid for this queue type."
    )


@pytest.mark.fakes_only
def test_fifo_delete_after_the_visibility_timeout_has_expired_fails(aws: Any, sqs: Any) -> None:
    # Recorded on AWS (delete_after_timeout_fifo): "The receipt handle has expired."
    url = fifo_queue(sqs, ContentBasedDeduplication="true")
    sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g")
    [message] = receive(sqs, url, VisibilityTimeout=1)
    aws.advance(2)
    with pytest.raises(ClientError) as excinfo:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    assert excinfo.value.response["Error"]["Message"].endswith(
        "Reason: The receipt handle has expired."
    )


# --- redrive ----------------------------------------------------------------
def with_dead_letter_queue(sqs: Any, max_receive_count: int) -> tuple[str, str]:
    dlq = sqs.create_queue(QueueName="dead")["QueueUrl"]
    policy = {"deadLetterTargetArn": arn_of(sqs, dlq), "maxReceiveCount": max_receive_count}
    source = sqs.create_queue(
        QueueName="source",
        Attributes={"RedrivePolicy": json.dumps(policy), "VisibilityTimeout": "0"},
    )["QueueUrl"]
    return source, dlq


def test_message_moves_to_the_dead_letter_queue_after_max_receives(sqs: Any) -> None:
    source, dlq = with_dead_letter_queue(sqs, max_receive_count=2)
    sent = sqs.send_message(QueueUrl=source, MessageBody="poison")
    assert len(receive(sqs, source)) == 1
    assert len(receive(sqs, source)) == 1
    assert receive(sqs, source) == []
    [dead] = receive(sqs, dlq)
    assert dead["MessageId"] == sent["MessageId"]
    assert dead["Body"] == "poison"


def test_message_under_max_receives_stays_in_the_source_queue(sqs: Any) -> None:
    source, dlq = with_dead_letter_queue(sqs, max_receive_count=3)
    sqs.send_message(QueueUrl=source, MessageBody="retry me")
    for _ in range(3):
        assert len(receive(sqs, source)) == 1
    assert receive(sqs, dlq) == []


@pytest.mark.fakes_only
def test_dead_lettered_message_keeps_its_receive_count_and_names_its_source(sqs: Any) -> None:
    # Recorded on AWS (test_dead_letter_queue_message_attributes): the count continues
    # and DeadLetterQueueSourceArn names the source queue.
    source, dlq = with_dead_letter_queue(sqs, max_receive_count=1)
    sqs.send_message(QueueUrl=source, MessageBody="message-1")
    receive(sqs, source)
    receive(sqs, source)
    [dead] = receive(sqs, dlq, MessageSystemAttributeNames=["All"])
    assert dead["Attributes"]["ApproximateReceiveCount"] == "2"
    assert dead["Attributes"]["DeadLetterQueueSourceArn"] == arn_of(sqs, source)


# --- batches ----------------------------------------------------------------
@pytest.fixture
def queue(sqs: Any) -> str:
    return str(sqs.create_queue(QueueName="batched")["QueueUrl"])


def test_send_message_batch_reports_each_entry_by_id(sqs: Any, queue: str) -> None:
    response = sqs.send_message_batch(
        QueueUrl=queue,
        Entries=[{"Id": "one", "MessageBody": "1"}, {"Id": "two", "MessageBody": "2"}],
    )
    assert sorted(entry["Id"] for entry in response["Successful"]) == ["one", "two"]
    assert not response.get("Failed")
    assert len(receive(sqs, queue, MaxNumberOfMessages=10)) == 2


def test_more_than_ten_batch_entries_are_rejected(sqs: Any, queue: str) -> None:
    entries = [{"Id": str(index), "MessageBody": "x"} for index in range(20)]
    with pytest.raises(sqs.exceptions.TooManyEntriesInBatchRequest) as excinfo:
        sqs.send_message_batch(QueueUrl=queue, Entries=entries)
    assert excinfo.value.response["Error"]["Message"] == (
        "Maximum number of entries per request are 10. You have sent 20."
    )


def test_repeated_batch_entry_ids_are_rejected(sqs: Any, queue: str) -> None:
    with pytest.raises(sqs.exceptions.BatchEntryIdsNotDistinct):
        sqs.send_message_batch(
            QueueUrl=queue,
            Entries=[{"Id": "a", "MessageBody": "1"}, {"Id": "a", "MessageBody": "2"}],
        )


def test_an_empty_batch_is_rejected(sqs: Any, queue: str) -> None:
    with pytest.raises(sqs.exceptions.EmptyBatchRequest):
        sqs.send_message_batch(QueueUrl=queue, Entries=[])


def test_batch_entry_ids_with_invalid_characters_are_rejected(sqs: Any, queue: str) -> None:
    with pytest.raises(sqs.exceptions.InvalidBatchEntryId):
        sqs.send_message_batch(QueueUrl=queue, Entries=[{"Id": "invalid:id", "MessageBody": "1"}])


@pytest.mark.fakes_only
def test_an_oversized_entry_fails_alone_in_its_batch(sqs: Any) -> None:
    # Recorded on AWS (test_send_batch_message_size): per-entry failure, SenderFault true.
    url = sqs.create_queue(QueueName="tiny", Attributes={"MaximumMessageSize": "1024"})[
        "QueueUrl"
    ]
    response = sqs.send_message_batch(
        QueueUrl=url,
        Entries=[{"Id": "ok", "MessageBody": "x"}, {"Id": "big", "MessageBody": "x" * 2000}],
    )
    assert [entry["Id"] for entry in response["Successful"]] == ["ok"]
    [failure] = response["Failed"]
    assert failure["Id"] == "big" and failure["SenderFault"] is True
    assert failure["Message"] == (
        "One or more parameters cannot be validated. Reason: Message must be shorter than "
        "1024 bytes."
    )


def test_delete_message_batch_deletes_every_entry(sqs: Any, queue: str) -> None:
    for index in range(3):
        sqs.send_message(QueueUrl=queue, MessageBody=str(index))
    messages = receive(sqs, queue, MaxNumberOfMessages=10)
    response = sqs.delete_message_batch(
        QueueUrl=queue,
        Entries=[{"Id": f"e{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)],
    )
    assert len(response["Successful"]) == len(messages) == 3
    counts = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    assert counts["ApproximateNumberOfMessagesNotVisible"] == "0"


def test_change_message_visibility_batch_makes_messages_visible_again(sqs: Any, queue: str) -> None:
    sqs.send_message(QueueUrl=queue, MessageBody="back")
    [message] = receive(sqs, queue)
    response = sqs.change_message_visibility_batch(
        QueueUrl=queue,
        Entries=[{"Id": "m", "ReceiptHandle": message["ReceiptHandle"], "VisibilityTimeout": 0}],
    )
    assert [entry["Id"] for entry in response["Successful"]] == ["m"]
    assert [m["Body"] for m in receive(sqs, queue)] == ["back"]


@pytest.mark.fakes_only
def test_delete_message_batch_over_ten_entries_is_rejected(sqs: Any, queue: str) -> None:
    # Recorded on AWS (test_delete_message_batch_with_too_large_batch); moto checks the
    # receipt handles first.
    entries = [{"Id": str(index), "ReceiptHandle": f"h{index}"} for index in range(20)]
    with pytest.raises(sqs.exceptions.TooManyEntriesInBatchRequest):
        sqs.delete_message_batch(QueueUrl=queue, Entries=entries)
