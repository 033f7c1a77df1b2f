from __future__ import annotations

from typing import Any

from eventproof_fakes import FakeAWS


def test_a_duplicated_message_comes_again_after_its_first_copy_was_deleted() -> None:
    aws = FakeAWS()
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName="orders")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="order-1")
    aws.faults.duplicate("sqs:orders", times=2, deliveries=1)

    (first,) = sqs.receive_message(QueueUrl=url)["Messages"]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=first["ReceiptHandle"])
    (again,) = sqs.receive_message(QueueUrl=url)["Messages"]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=again["ReceiptHandle"])

    assert again["MessageId"] == first["MessageId"]
    assert again["Body"] == "order-1"
    assert "Messages" not in sqs.receive_message(QueueUrl=url)


def test_an_event_source_mapping_hands_a_duplicated_message_to_the_handler_twice() -> None:
    aws = FakeAWS()
    seen: list[str] = []

    def handler(event: dict[str, Any], context: Any) -> None:
        seen.extend(record["messageId"] for record in event["Records"])

    arn = aws.lambda_.register("consumer", handler)
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName="orders")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    aws.client("lambda").create_event_source_mapping(EventSourceArn=queue_arn, FunctionName=arn)
    aws.faults.duplicate("sqs:orders", times=2, deliveries=1)
    sqs.send_message(QueueUrl=url, MessageBody="order-1")

    aws.run_until_idle()

    assert len(seen) == 2 and seen[0] == seen[1]
    assert aws.sqs.messages("orders") == []


def test_fifo_queues_are_never_duplicated() -> None:
    aws = FakeAWS()
    sqs = aws.client("sqs")
    url = sqs.create_queue(
        QueueName="orders.fifo",
        Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"},
    )["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="order-1", MessageGroupId="g")
    aws.faults.duplicate("sqs:*", times=3)
    (message,) = sqs.receive_message(QueueUrl=url)["Messages"]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    assert "Messages" not in sqs.receive_message(QueueUrl=url)


def test_an_unlimited_duplicate_delivers_each_message_exactly_twice_to_a_receive_loop() -> None:
    aws = FakeAWS()
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName="orders")["QueueUrl"]
    aws.faults.duplicate("sqs:orders", times=2)
    for body in ("order-1", "order-2"):
        sqs.send_message(QueueUrl=url, MessageBody=body)

    bodies: list[str] = []
    for _ in range(10):
        response = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
        for message in response.get("Messages", []):
            bodies.append(message["Body"])
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

    assert sorted(bodies) == ["order-1", "order-1", "order-2", "order-2"]


def test_an_unlimited_duplicate_in_front_of_a_mapping_runs_the_handler_twice_and_stops() -> None:
    aws = FakeAWS()
    seen: list[str] = []
    arn = aws.lambda_.register(
        "consumer", lambda event, context: seen.extend(r["body"] for r in event["Records"])
    )
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName="orders")["QueueUrl"]
    queue_arn = aws.sqs.queue_arn(url)
    aws.client("lambda").create_event_source_mapping(EventSourceArn=queue_arn, FunctionName=arn)
    aws.faults.duplicate("sqs:orders", times=3)
    sqs.send_message(QueueUrl=url, MessageBody="order-1")

    aws.run_until_idle(max_steps=200)

    assert seen == ["order-1"] * 3
    assert aws.sqs.messages("orders") == []


def test_a_message_redelivered_after_its_visibility_timeout_is_not_duplicated_again() -> None:
    aws = FakeAWS()
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName="orders", Attributes={"VisibilityTimeout": "5"})["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="order-1")
    aws.faults.duplicate("sqs:orders", times=2)
    sqs.receive_message(QueueUrl=url)  # first receive: one copy made, both left undeleted
    sqs.receive_message(QueueUrl=url)  # the copy
    aws.clock.advance(6)
    again = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert len(again) == 2
    assert len([f for f in aws.faults.injected if f.kind == "duplicate"]) == 1
