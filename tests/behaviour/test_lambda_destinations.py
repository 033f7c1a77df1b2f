"""Asynchronous invocation and Destinations, the flow of seeds/003 (Lambda Destinations).

Fakes only: moto cannot run Python handlers without Docker and never executes
destinations. AWS documents the behaviour checked here in
https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html and
https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.fakes_only


def succeed(event: Any, context: Any) -> dict[str, Any]:
    return {"ok": True, "echo": event}


def always_fail(event: Any, context: Any) -> None:
    raise Exception("intentional failure")


def setup(aws: Any, handler: Any, **invoke_config: Any) -> tuple[Any, Any, str]:
    sqs = aws.client("sqs")
    queue_url = sqs.create_queue(QueueName="destination")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    aws.env.lambda_.register("orders", handler)
    client = aws.client("lambda")
    client.put_function_event_invoke_config(
        FunctionName="orders",
        DestinationConfig={
            "OnSuccess": {"Destination": queue_arn},
            "OnFailure": {"Destination": queue_arn},
        },
        **invoke_config,
    )
    return client, sqs, queue_url


def received_bodies(sqs: Any, queue_url: str) -> list[dict[str, Any]]:
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


def test_a_success_lands_an_exact_success_record_at_the_on_success_destination(aws: Any) -> None:
    client, sqs, queue_url = setup(aws, succeed)
    client.invoke(FunctionName="orders", InvocationType="Event", Payload=b'{"orderId": "o-1"}')
    aws.env.run_until_idle()
    [record] = received_bodies(sqs, queue_url)
    [invocation] = aws.env.invocations("orders")
    assert record == {
        "version": "1.0",
        "timestamp": "2026-01-01T00:00:00.000Z",
        "requestContext": {
            "requestId": invocation.request_id,
            "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:orders:$LATEST",
            "condition": "Success",
            "approximateInvokeCount": 1,
        },
        "requestPayload": {"orderId": "o-1"},
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST"},
        "responsePayload": {"ok": True, "echo": {"orderId": "o-1"}},
    }


def test_an_always_failing_handler_is_tried_at_0_60_and_180_seconds_then_retries_exhausted(
    aws: Any,
) -> None:
    client, sqs, queue_url = setup(aws, always_fail)
    start = aws.env.clock.now()
    client.invoke(FunctionName="orders", InvocationType="Event", Payload=b'{"orderId": "o-2"}')
    aws.env.run_until_idle()
    invocations = aws.env.invocations("orders")
    assert [i.started_at - start for i in invocations] == [0, 60, 180]
    assert [i.attempt for i in invocations] == [1, 2, 3]
    assert len({i.request_id for i in invocations}) == 1  # AWS keeps the request id
    [record] = received_bodies(sqs, queue_url)
    assert record["timestamp"] == "2026-01-01T00:03:00.000Z"
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert record["requestContext"]["approximateInvokeCount"] == 3
    assert record["responseContext"] == {
        "statusCode": 200,
        "executedVersion": "$LATEST",
        "functionError": "Unhandled",
    }
    payload = record["responsePayload"]
    assert (payload["errorType"], payload["errorMessage"]) == ("Exception", "intentional failure")
    assert payload["requestId"] == invocations[0].request_id
    assert 'raise Exception("intentional failure")' in payload["stackTrace"][-1]


def test_maximum_retry_attempts_zero_fails_after_one_attempt(aws: Any) -> None:
    client, sqs, queue_url = setup(aws, always_fail, MaximumRetryAttempts=0)
    client.invoke(FunctionName="orders", InvocationType="Event", Payload=b"{}")
    aws.env.run_until_idle()
    assert len(aws.env.invocations("orders")) == 1
    [record] = received_bodies(sqs, queue_url)
    assert record["requestContext"]["condition"] == "RetriesExhausted"


def test_an_event_older_than_maximum_event_age_is_event_age_exceeded(aws: Any) -> None:
    client, sqs, queue_url = setup(aws, always_fail, MaximumEventAgeInSeconds=60)
    client.invoke(FunctionName="orders", InvocationType="Event", Payload=b"{}")
    aws.env.run_until_idle()
    [record] = received_bodies(sqs, queue_url)
    assert record["requestContext"]["condition"] == "EventAgeExceeded"
    assert record["requestContext"]["approximateInvokeCount"] == 1


def test_throttled_events_are_retried_with_backoff_until_they_run(aws: Any) -> None:
    client, sqs, queue_url = setup(aws, succeed)
    client.put_function_concurrency(FunctionName="orders", ReservedConcurrentExecutions=0)
    client.invoke(FunctionName="orders", InvocationType="Event", Payload=b"{}")
    aws.env.clock.advance(10)  # throttled at 0, 1, 3, 7 s
    assert aws.env.invocations("orders") == []
    client.delete_function_concurrency(FunctionName="orders")
    aws.env.run_until_idle()
    [invocation] = aws.env.invocations("orders")
    assert invocation.started_at - 1767225600 == 15  # the next backoff step: 7 + 8
    [record] = received_bodies(sqs, queue_url)
    assert record["requestContext"]["condition"] == "Success"


def test_the_dead_letter_queue_gets_the_payload_with_aws_message_attributes(aws: Any) -> None:
    sqs = aws.client("sqs")
    dlq_url = sqs.create_queue(QueueName="dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    aws.env.lambda_.register("orders", always_fail, dead_letter_target=dlq_arn)
    aws.client("lambda").invoke(
        FunctionName="orders", InvocationType="Event", Payload=b'{"raise_error": 1}'
    )
    aws.env.run_until_idle()
    [message] = sqs.receive_message(QueueUrl=dlq_url, MessageAttributeNames=["All"])["Messages"]
    assert json.loads(message["Body"]) == {"raise_error": 1}
    attributes = message["MessageAttributes"]
    assert attributes["ErrorCode"] == {"DataType": "Number", "StringValue": "200"}
    assert attributes["ErrorMessage"]["StringValue"] == "intentional failure"
    assert attributes["RequestID"]["StringValue"] == aws.env.invocations("orders")[0].request_id


def test_a_lambda_destination_receives_the_record_as_its_payload(aws: Any) -> None:
    aws.env.lambda_.register("orders", succeed)
    aws.env.lambda_.register("audit", lambda event, context: None)
    client = aws.client("lambda")
    client.put_function_event_invoke_config(
        FunctionName="orders",
        DestinationConfig={"OnSuccess": {"Destination": aws.env.arn("lambda", "function:audit")}},
    )
    client.invoke(FunctionName="orders", InvocationType="Event", Payload=b'{"n": 1}')
    aws.env.run_until_idle()
    [audit] = aws.env.invocations("audit")
    assert audit.event["requestContext"]["condition"] == "Success"
    assert audit.event["responsePayload"] == {"ok": True, "echo": {"n": 1}}
