"""Pipes moving records: filter, enrichment, input template, targets, retries, stop/start.

Fakes only: moto stores pipes but never runs them. Each test cites the AWS
documentation of the behaviour it checks.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from eventproof_fakes import FakeAWS

pytestmark = pytest.mark.fakes_only

ROLE = "arn:aws:iam::123456789012:role/pipes"
BOOK_ADDED_FILTER = json.dumps(
    {"eventName": ["INSERT"], "dynamodb": {"NewImage": {"eventType": {"S": ["BookAdded"]}}}}
)
BOOK_TEMPLATE = (
    '{"type": <$.dynamodb.NewImage.eventType.S>, "name": <$.dynamodb.NewImage.name.S>, '
    '"pipe": "<aws.pipes.pipe-name>"}'
)


def env_of(aws: Any) -> FakeAWS:
    return aws.env  # type: ignore[no-any-return]


def recorder(env: FakeAWS, name: str, answer: Callable[[Any], Any] | None = None) -> tuple[str, list[Any]]:
    """A Lambda function that records each event it gets; returns its ARN and the record."""
    received: list[Any] = []

    def handler(event: Any, context: Any) -> Any:
        received.append(event)
        return answer(event) if answer else None

    return env.lambda_.register(name, handler), received


def events_table(aws: Any) -> str:
    aws.client("dynamodb").create_table(
        TableName="EventsTable",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    return env_of(aws).dynamodb.stream_arn("EventsTable")  # type: ignore[no-any-return]


def put_event(aws: Any, item_id: str, event_type: str, name: str) -> None:
    aws.resource("dynamodb").Table("EventsTable").put_item(
        Item={"id": item_id, "eventType": event_type, "name": name}
    )


def queue(aws: Any, name: str, **attributes: str) -> tuple[str, str]:
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def bodies(aws: Any, url: str) -> list[Any]:
    messages = aws.client("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


def stream_pipe(aws: Any, target: str, **extra: Any) -> None:
    source = events_table(aws)
    parameters = extra.pop("SourceParameters", {})
    parameters.setdefault("DynamoDBStreamParameters", {"StartingPosition": "TRIM_HORIZON"})
    aws.client("pipes").create_pipe(
        Name="BookAddedPipe", RoleArn=ROLE, Source=source, Target=target,
        SourceParameters=parameters, **extra,
    )


# https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-event-filtering.html and
# eb-pipes-input-transformation.html: only matching records reach the target, transformed.
def test_a_stream_pipe_with_a_filter_and_template_delivers_exactly_the_matching_transformed_records(aws: Any) -> None:
    function, received = recorder(env_of(aws), "BookAdded")
    stream_pipe(
        aws, function,
        SourceParameters={"FilterCriteria": {"Filters": [{"Pattern": BOOK_ADDED_FILTER}]}},
        TargetParameters={"InputTemplate": BOOK_TEMPLATE},
    )
    put_event(aws, "1", "BookAdded", "Accelerate")
    put_event(aws, "2", "BookRemoved", "Accelerate")
    put_event(aws, "3", "BookAdded", "Team Topologies")
    aws.client("dynamodb").update_item(
        TableName="EventsTable", Key={"id": {"S": "1"}},
        UpdateExpression="SET #n = :n", ExpressionAttributeNames={"#n": "name"},
        ExpressionAttributeValues={":n": {"S": "Accelerate 2nd ed."}},
    )
    env_of(aws).run_until_idle()
    delivered = [event for batch in received for event in batch]
    assert delivered == [
        {"type": "BookAdded", "name": "Accelerate", "pipe": "BookAddedPipe"},
        {"type": "BookAdded", "name": "Team Topologies", "pipe": "BookAddedPipe"},
    ]


# eb-pipes-sqs.html / eb-pipes-event-filtering.html: a JSON body is filtered as JSON; messages
# that do not match are deleted like processed ones.
def test_an_sqs_pipe_with_a_filter_and_template_delivers_exactly_the_matching_transformed_records(aws: Any) -> None:
    env = env_of(aws)
    function, received = recorder(env, "OrderPlaced")
    url, arn = queue(aws, "orders")
    aws.client("pipes").create_pipe(
        Name="orders", RoleArn=ROLE, Source=arn, Target=function,
        SourceParameters={"FilterCriteria": {"Filters": [{"Pattern": json.dumps({"body": {"kind": ["placed"]}})}]}},
        TargetParameters={"InputTemplate": '{"order": <$.body.id>, "note": "order <$.body.id> by <$.body.who>"}'},
    )
    sqs = aws.client("sqs")
    for body in ({"kind": "placed", "id": 1, "who": "ann"}, {"kind": "cancelled", "id": 2, "who": "bo"}):
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps(body))
    sqs.send_message(QueueUrl=url, MessageBody="not json at all")
    env.run_until_idle()
    assert [event for batch in received for event in batch] == [{"order": 1, "note": "order 1 by ann"}]
    assert env.sqs.messages(url) == []


# eb-pipes-targets: a Lambda target receives the batch as one JSON array (eb-pipes-batching-concurrency.html).
def test_a_lambda_target_gets_each_batch_as_one_array_of_at_most_batch_size(aws: Any) -> None:
    env = env_of(aws)
    function, received = recorder(env, "Batches")
    url, arn = queue(aws, "many")
    aws.client("pipes").create_pipe(
        Name="many", RoleArn=ROLE, Source=arn, Target=function,
        SourceParameters={"SqsQueueParameters": {"BatchSize": 3}},
    )
    for n in range(7):
        aws.client("sqs").send_message(QueueUrl=url, MessageBody=str(n))
    env.run_until_idle()
    assert [len(batch) for batch in received] == [3, 3, 1]
    assert sorted(record["body"] for batch in received for record in batch) == [str(n) for n in range(7)]
    assert all(record["eventSource"] == "aws:sqs" for batch in received for record in batch)


# eb-pipes.html: a stopped pipe processes nothing; started again, it continues where it stopped.
def test_a_stopped_pipe_delivers_nothing_and_resumes_from_its_checkpoint(aws: Any) -> None:
    env = env_of(aws)
    function, received = recorder(env, "BookAdded")
    stream_pipe(aws, function, TargetParameters={"InputTemplate": "<$.dynamodb.NewImage.name.S>"})
    put_event(aws, "1", "BookAdded", "first")
    env.run_until_idle()
    aws.client("pipes").stop_pipe(Name="BookAddedPipe")
    put_event(aws, "2", "BookAdded", "second")
    put_event(aws, "3", "BookAdded", "third")
    env.run_until_idle()
    assert received == [["first"]]
    aws.client("pipes").start_pipe(Name="BookAddedPipe")
    env.run_until_idle()
    assert received == [["first"], ["second", "third"]]


# PipeSourceDynamoDBStreamParameters.StartingPosition: LATEST skips what is already in the stream.
def test_starting_at_latest_skips_earlier_records_and_trim_horizon_reads_them(aws: Any) -> None:
    env = env_of(aws)
    source = events_table(aws)
    put_event(aws, "old", "BookAdded", "old")
    latest, latest_got = recorder(env, "Latest")
    horizon, horizon_got = recorder(env, "Horizon")
    pipes = aws.client("pipes")
    for name, target, position in (("latest", latest, "LATEST"), ("horizon", horizon, "TRIM_HORIZON")):
        pipes.create_pipe(
            Name=name, RoleArn=ROLE, Source=source, Target=target,
            SourceParameters={"DynamoDBStreamParameters": {"StartingPosition": position}},
            TargetParameters={"InputTemplate": "<$.dynamodb.Keys.id.S>"},
        )
    put_event(aws, "new", "BookAdded", "new")
    env.run_until_idle()
    assert latest_got == [["new"]]
    assert horizon_got == [["old", "new"]]


# eb-pipes-sqs target: each event becomes one message; the template's text is the body.
def test_an_sqs_target_gets_one_message_per_transformed_event(aws: Any) -> None:
    env = env_of(aws)
    out_url, out_arn = queue(aws, "out")
    stream_pipe(aws, out_arn, TargetParameters={"InputTemplate": '{"book": <$.dynamodb.NewImage.name.S>, "at": <aws.pipes.event.ingestion-time>}'})
    put_event(aws, "1", "BookAdded", "Accelerate")
    put_event(aws, "2", "BookAdded", "Drive")
    env.run_until_idle()
    at = env.clock.iso_now()
    assert sorted(bodies(aws, out_url), key=lambda b: b["book"]) == [
        {"book": "Accelerate", "at": at}, {"book": "Drive", "at": at},
    ]


# Events a pipe puts on a bus have source "Pipe <name>" and detail-type "Event from <source>"
# unless EventBridgeEventBusParameters override them (pipes-targets-specifics-eventbridge).
def test_an_event_bus_target_gets_events_from_the_pipe_with_the_record_as_detail(aws: Any) -> None:
    env = env_of(aws)
    bus = aws.client("events").create_event_bus(Name="books")["EventBusArn"]
    stream_pipe(aws, bus, TargetParameters={"InputTemplate": '{"name": <$.dynamodb.NewImage.name.S>}'})
    put_event(aws, "1", "BookAdded", "Accelerate")
    env.run_until_idle()
    [event] = env.events.events("books")
    assert event["source"] == "Pipe BookAddedPipe"
    assert event["detail-type"] == "Event from aws:dynamodb"
    assert event["detail"] == {"name": "Accelerate"}


# pipes-enrichment.html: the enrichment's answer replaces the batch; an empty answer drops it.
def test_an_enrichment_replaces_the_batch_and_an_empty_answer_drops_it(aws: Any) -> None:
    env = env_of(aws)
    enrich, enrich_got = recorder(
        env, "Enrich",
        lambda batch: [{"upper": e["name"].upper()} for e in batch if e["name"] != "skip"],
    )
    function, received = recorder(env, "Target")
    stream_pipe(
        aws, function, Enrichment=enrich,
        EnrichmentParameters={"InputTemplate": '{"name": <$.dynamodb.NewImage.name.S>}'},
    )
    put_event(aws, "1", "BookAdded", "drive")
    env.run_until_idle()
    put_event(aws, "2", "BookAdded", "skip")
    env.run_until_idle()
    assert enrich_got == [[{"name": "drive"}], [{"name": "skip"}]]
    assert received == [[{"upper": "DRIVE"}]]


# eb-pipes-error-troubleshooting.html: a failing target is retried; after MaximumRetryAttempts the
# batch goes to the DeadLetterConfig and the pipe moves on.
def test_a_stream_batch_that_keeps_failing_is_retried_then_dead_lettered(aws: Any) -> None:
    env = env_of(aws)
    attempts: list[Any] = []

    def failing(event: Any, context: Any) -> None:
        attempts.append(event)
        raise RuntimeError("target down")

    function = env.lambda_.register("Failing", failing)
    dlq_url, dlq_arn = queue(aws, "pipe-dlq")
    stream_pipe(
        aws, function,
        SourceParameters={"DynamoDBStreamParameters": {
            "StartingPosition": "TRIM_HORIZON", "MaximumRetryAttempts": 2, "DeadLetterConfig": {"Arn": dlq_arn},
        }},
    )
    put_event(aws, "1", "BookAdded", "Accelerate")
    env.run_until_idle()
    assert len(attempts) == 3
    [record] = bodies(aws, dlq_url)
    assert record["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert record["DDBStreamBatchInfo"]["batchSize"] == 1
    assert record["DDBStreamBatchInfo"]["streamArn"] == env.dynamodb.stream_arn("EventsTable")


# eb-pipes-sqs.html: a failed batch stays in the queue and is received again after the
# visibility timeout; a Lambda target's batchItemFailures keep exactly those messages.
def test_an_sqs_batch_item_failure_redelivers_exactly_the_failed_message(aws: Any) -> None:
    env = env_of(aws)
    seen: list[str] = []

    def partial(event: Any, context: Any) -> dict[str, Any]:
        failures = []
        for record in event:
            seen.append(record["body"])
            if record["body"] == "bad" and seen.count("bad") == 1:
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}

    function = env.lambda_.register("Partial", partial)
    url, arn = queue(aws, "partial", VisibilityTimeout="30")
    aws.client("pipes").create_pipe(Name="partial", RoleArn=ROLE, Source=arn, Target=function)
    for body in ("ok-1", "bad", "ok-2"):
        aws.client("sqs").send_message(QueueUrl=url, MessageBody=body)
    start = env.clock.now()
    env.run_until_idle()
    assert sorted(seen) == ["bad", "bad", "ok-1", "ok-2"]
    assert env.clock.now() - start >= 30
    assert env.sqs.messages(url) == []


# PipeTargetLambdaFunctionParameters.InvocationType FIRE_AND_FORGET invokes asynchronously.
def test_a_fire_and_forget_lambda_target_is_invoked_asynchronously(aws: Any) -> None:
    env = env_of(aws)
    function, received = recorder(env, "Async")
    stream_pipe(aws, function, TargetParameters={"LambdaFunctionParameters": {"InvocationType": "FIRE_AND_FORGET"}})
    put_event(aws, "1", "BookAdded", "Accelerate")
    env.run_until_idle()
    assert len(received) == 1
    assert [i.trigger for i in env.lambda_.invocations("Async")] == ["async"]


# Fault injection: a pipe delivery duplicated on channel "pipe:<name>" reaches the target twice,
# as at-least-once delivery allows (eb-pipes-error-troubleshooting.html).
def test_an_injected_duplicate_delivers_the_batch_twice(aws: Any) -> None:
    env = env_of(aws)
    function, received = recorder(env, "BookAdded")
    stream_pipe(aws, function, TargetParameters={"InputTemplate": "<$.dynamodb.Keys.id.S>"})
    env.faults.duplicate("pipe:BookAddedPipe", times=2, deliveries=1)
    put_event(aws, "1", "BookAdded", "Accelerate")
    env.run_until_idle()
    assert received == [["1"], ["1"]]
    assert [f.kind for f in env.faults.injected] == ["duplicate"]
