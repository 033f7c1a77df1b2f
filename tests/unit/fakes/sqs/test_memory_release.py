"""Deleted and expired SQS messages are released; their handles stay valid to delete again."""

from __future__ import annotations

from eventproof_fakes import FakeAWS


def _queue(aws: FakeAWS, **attributes: str) -> tuple[object, str]:
    client = aws.client("sqs")
    return client, client.create_queue(QueueName="q", Attributes=attributes)["QueueUrl"]


def test_deleted_messages_are_not_kept() -> None:
    aws = FakeAWS()
    client, url = _queue(aws)
    handles = []
    for number in range(500):
        client.send_message(QueueUrl=url, MessageBody=f"m{number}")
        message = client.receive_message(QueueUrl=url)["Messages"][0]
        client.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        handles.append(message["ReceiptHandle"])
    queue = aws.sqs._queues["q"]
    assert queue.messages == []
    assert len(queue.by_handle) < 100  # bounded, not one entry per message ever received
    # AWS: deleting an already deleted message succeeds
    client.delete_message(QueueUrl=url, ReceiptHandle=handles[0])


def test_tombstones_of_released_handles_expire_after_12_hours() -> None:
    aws = FakeAWS()
    client, url = _queue(aws)
    for number in range(200):
        client.send_message(QueueUrl=url, MessageBody=f"m{number}")
        message = client.receive_message(QueueUrl=url)["Messages"][0]
        client.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    queue = aws.sqs._queues["q"]
    assert len(queue.tombstones) > 0
    aws.clock.advance(12 * 60 * 60 + 1)
    client.receive_message(QueueUrl=url)
    assert len(queue.tombstones) == 0


def test_expired_messages_are_released() -> None:
    aws = FakeAWS()
    client, url = _queue(aws, MessageRetentionPeriod="60")
    for number in range(50):
        client.send_message(QueueUrl=url, MessageBody=f"m{number}")
    aws.clock.advance(61)
    assert client.receive_message(QueueUrl=url).get("Messages") is None
    assert aws.sqs._queues["q"].messages == []


def test_expired_fifo_deduplication_entries_are_released() -> None:
    aws = FakeAWS()
    client = aws.client("sqs")
    url = client.create_queue(
        QueueName="q.fifo", Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"}
    )["QueueUrl"]
    for number in range(20):
        client.send_message(QueueUrl=url, MessageBody=f"m{number}", MessageGroupId="g")
    queue = aws.sqs._queues["q.fifo"]
    assert len(queue.deduplication) == 20
    aws.clock.advance(5 * 60 + 1)
    client.receive_message(QueueUrl=url)
    assert queue.deduplication == {}
