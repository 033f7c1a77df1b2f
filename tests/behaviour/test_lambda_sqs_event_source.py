"""SQS event source mappings: batches, ReportBatchItemFailures, redrive, filters.

Tests that run a handler are fakes only: moto cannot run Python handlers
without Docker. AWS documents the behaviour in
https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html and
https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.behaviour.lambda_functions import create_function


def make_queue(sqs: Any, name: str, **attributes: str) -> tuple[str, str]:
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    return url, arn


def queue_with_dlq(sqs: Any, max_receive_count: int = 2) -> tuple[str, str, str]:
    dlq_url, dlq_arn = make_queue(sqs, "orders-dlq")
    redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receive_count})
    url, arn = make_queue(sqs, "orders", VisibilityTimeout="30", RedrivePolicy=redrive)
    return url, arn, dlq_url


@pytest.mark.fakes_only
def test_report_batch_item_failures_redelivers_exactly_the_failed_items_then_dlq(
    aws: Any,
) -> None:
    sqs = aws.client("sqs")
    url, arn, dlq_url = queue_with_dlq(sqs, max_receive_count=2)
    batches: list[list[str]] = []

    def handler(event: Any, context: Any) -> dict[str, Any]:
        bodies = [r["body"] for r in event["Records"]]
        batches.append(sorted(bodies))
        return {
            "batchItemFailures": [
                {"itemIdentifier": r["messageId"]}
                for r in event["Records"]
                if r["body"].startswith("bad")
            ]
        }

    aws.env.lambda_.register("consumer", handler)
    aws.client("lambda").create_event_source_mapping(
        EventSourceArn=arn,
        FunctionName="consumer",
        BatchSize=10,
        FunctionResponseTypes=["ReportBatchItemFailures"],
    )
    sqs.send_message_batch(
        QueueUrl=url,
        Entries=[
            {"Id": str(i), "MessageBody": body}
            for i, body in enumerate(["good-1", "bad-1", "good-2", "bad-2"])
        ],
    )
    aws.env.run_until_idle()
    assert batches == [["bad-1", "bad-2", "good-1", "good-2"], ["bad-1", "bad-2"]]
    [first, second] = aws.env.invocations("consumer")
    assert second.started_at - first.started_at == 30  # the visibility timeout
    assert sqs.receive_message(QueueUrl=url).get("Messages", []) == []
    dead = sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10)["Messages"]
    assert sorted(m["Body"] for m in dead) == ["bad-1", "bad-2"]


@pytest.mark.fakes_only
def test_a_function_error_returns_the_whole_batch(aws: Any) -> None:
    sqs = aws.client("sqs")
    url, arn, dlq_url = queue_with_dlq(sqs, max_receive_count=3)

    def handler(event: Any, context: Any) -> None:
        raise RuntimeError("down")

    aws.env.lambda_.register("consumer", handler)
    aws.client("lambda").create_event_source_mapping(EventSourceArn=arn, FunctionName="consumer")
    sqs.send_message(QueueUrl=url, MessageBody="m")
    aws.env.run_until_idle()
    assert len(aws.env.invocations("consumer")) == 3
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=dlq_url)["Messages"]] == ["m"]


@pytest.mark.fakes_only
@pytest.mark.parametrize(
    ("response", "redelivered"),
    [
        (None, False),
        ({}, False),
        ({"batchItemFailures": []}, False),
        ({"batchItemFailures": None}, False),
        ({"batchItemFailures": [{"itemIdentifier": ""}]}, True),
        ({"batchItemFailures": [{"itemIdentifier": None}]}, True),
        ({"batchItemFailures": [{"foo": "bar"}]}, True),
        ({"batchItemFailures": [{"itemIdentifier": "not-a-message-id"}]}, True),
        ("not an object", True),
    ],
)
def test_batch_item_failure_responses_are_read_as_aws_documents(
    aws: Any, response: Any, redelivered: bool
) -> None:
    sqs = aws.client("sqs")
    url, arn, dlq_url = queue_with_dlq(sqs, max_receive_count=2)
    aws.env.lambda_.register("consumer", lambda event, context: response)
    aws.client("lambda").create_event_source_mapping(
        EventSourceArn=arn,
        FunctionName="consumer",
        FunctionResponseTypes=["ReportBatchItemFailures"],
    )
    sqs.send_message(QueueUrl=url, MessageBody="m")
    aws.env.run_until_idle()
    assert len(aws.env.invocations("consumer")) == (2 if redelivered else 1)
    dead = sqs.receive_message(QueueUrl=dlq_url).get("Messages", [])
    assert [m["Body"] for m in dead] == (["m"] if redelivered else [])


@pytest.mark.fakes_only
def test_records_have_aws_sqs_event_shape_and_filters_delete_non_matching(aws: Any) -> None:
    sqs = aws.client("sqs")
    url, arn = make_queue(sqs, "orders")
    events: list[Any] = []
    aws.env.lambda_.register("consumer", lambda event, context: events.append(event))
    aws.client("lambda").create_event_source_mapping(
        EventSourceArn=arn,
        FunctionName="consumer",
        FilterCriteria={"Filters": [{"Pattern": json.dumps({"body": {"kind": ["order"]}})}]},
    )
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"kind": "order"}))
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"kind": "refund"}))
    sqs.send_message(QueueUrl=url, MessageBody="plain text")
    aws.env.run_until_idle()
    records = [r for e in events for r in e["Records"]]
    assert [json.loads(r["body"]) for r in records] == [{"kind": "order"}]
    assert set(records[0]) >= {
        "messageId", "receiptHandle", "body", "attributes", "messageAttributes",
        "md5OfBody", "eventSource", "eventSourceARN", "awsRegion",
    }  # fmt: skip
    assert (records[0]["eventSource"], records[0]["eventSourceARN"]) == ("aws:sqs", arn)
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["ApproximateNumberOfMessages"] == "0"
    assert attributes["ApproximateNumberOfMessagesNotVisible"] == "0"


@pytest.mark.fakes_only
def test_a_disabled_mapping_delivers_nothing_until_enabled(aws: Any) -> None:
    sqs = aws.client("sqs")
    url, arn = make_queue(sqs, "orders")
    aws.env.lambda_.register("consumer", lambda event, context: None)
    client = aws.client("lambda")
    uuid = client.create_event_source_mapping(
        EventSourceArn=arn, FunctionName="consumer", Enabled=False
    )["UUID"]
    sqs.send_message(QueueUrl=url, MessageBody="m")
    aws.env.run_until_idle()
    assert aws.env.invocations("consumer") == []
    client.update_event_source_mapping(UUID=uuid, Enabled=True)
    aws.env.run_until_idle()
    assert len(aws.env.invocations("consumer")) == 1


# --- configuration: on the fakes and on moto ------------------------------------
def test_event_source_mapping_crud(aws: Any) -> None:
    client = create_function(aws)
    _, arn = make_queue(aws.client("sqs"), "orders")
    created = client.create_event_source_mapping(EventSourceArn=arn, FunctionName="consumer")
    assert created["BatchSize"] == 10
    uuid = created["UUID"]
    assert client.get_event_source_mapping(UUID=uuid)["EventSourceArn"] == arn
    assert [m["UUID"] for m in client.list_event_source_mappings()["EventSourceMappings"]] == [uuid]
    client.update_event_source_mapping(UUID=uuid, Enabled=False)
    client.delete_event_source_mapping(UUID=uuid)


def test_put_function_event_invoke_config_validates_ranges(aws: Any) -> None:
    client = create_function(aws)
    response = client.put_function_event_invoke_config(
        FunctionName="consumer", MaximumRetryAttempts=1, MaximumEventAgeInSeconds=120
    )
    assert (response["MaximumRetryAttempts"], response["MaximumEventAgeInSeconds"]) == (1, 120)
    got = client.get_function_event_invoke_config(FunctionName="consumer")
    assert got["MaximumRetryAttempts"] == 1
    with pytest.raises(client.exceptions.ClientError):
        client.put_function_event_invoke_config(FunctionName="consumer", MaximumRetryAttempts=5)
    with pytest.raises(client.exceptions.ClientError):
        client.put_function_event_invoke_config(
            FunctionName="consumer", MaximumEventAgeInSeconds=30000
        )
