"""Tumbling windows on a Kinesis event source mapping, on the Kinesis and Lambda fakes.

What AWS documents: https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-windows.html
(each invocation carries the window and the state the previous one returned;
the response must hold ``state``; at the end of the window a final
invocation gets the last state, and the shard waits until it succeeds).
Fakes only: moto cannot run Python handlers without Docker.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.behaviour.kinesis_mapping_helpers import STREAM_ARN, data_of, map_stream, put, stream
from tests.integration.delivery_contracts import nonconformities, report

pytestmark = pytest.mark.fakes_only


def summing(calls: list[dict[str, Any]]) -> Any:
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        calls.append(event)
        total = event["state"].get("total", 0) + sum(data_of(r)["n"] for r in event["Records"])
        return {"state": {"total": total}}

    return handler


def test_state_is_carried_through_a_window_and_handed_to_its_final_invocation(aws: Any) -> None:
    kinesis = stream(aws)
    calls: list[dict[str, Any]] = []
    aws.env.lambda_.register("consumer", summing(calls))
    map_stream(aws, TumblingWindowInSeconds=60)
    put(kinesis, "a", {"n": 1})
    aws.env.run_until_idle()  # runs through the window's end: the final invocation follows
    assert [len(c["Records"]) for c in calls] == [1, 0]
    first, final = calls
    assert first["window"] == {"start": "2026-01-01T00:00:00Z", "end": "2026-01-01T00:01:00Z"}
    assert (first["state"], first["isFinalInvokeForWindow"]) == ({}, False)
    assert (first["shardId"], first["eventSourceARN"]) == ("shardId-000000000000", STREAM_ARN)
    assert (final["state"], final["isFinalInvokeForWindow"]) == ({"total": 1}, True)
    assert final["isWindowTerminatedEarly"] is False
    found = nonconformities(aws.env.deliveries)
    assert not found, report(found)


def test_batches_in_one_window_share_its_state_and_the_next_window_starts_fresh(aws: Any) -> None:
    kinesis = stream(aws)
    calls: list[dict[str, Any]] = []
    aws.env.lambda_.register("consumer", summing(calls))
    map_stream(aws, TumblingWindowInSeconds=60, BatchSize=1)
    put(kinesis, "a", {"n": 1})
    aws.env.clock.advance(10)
    put(kinesis, "b", {"n": 2})
    aws.env.clock.advance(60)
    put(kinesis, "c", {"n": 5})  # arrives in the second window
    aws.env.run_until_idle()
    summary = [
        (c["window"]["start"][-9:], [data_of(r)["n"] for r in c["Records"]], c["state"],
         c["isFinalInvokeForWindow"])
        for c in calls
    ]
    assert summary == [
        ("00:00:00Z", [1], {}, False),
        ("00:00:00Z", [2], {"total": 1}, False),
        ("00:00:00Z", [], {"total": 3}, True),
        ("00:01:00Z", [5], {}, False),
        ("00:01:00Z", [], {"total": 5}, True),
    ]


def test_a_response_without_state_is_a_failed_invocation_and_is_retried(aws: Any) -> None:
    kinesis = stream(aws)
    answers = iter([None, {"state": {"seen": 1}}, {"state": {"seen": 1}}])
    calls: list[dict[str, Any]] = []

    def handler(event: dict[str, Any], context: Any) -> Any:
        calls.append(event)
        return next(answers)

    aws.env.lambda_.register("consumer", handler)
    map_stream(aws, TumblingWindowInSeconds=30)
    put(kinesis, "a", {"n": 1})
    aws.env.run_until_idle()
    assert [(len(c["Records"]), c["isFinalInvokeForWindow"]) for c in calls] == [
        (1, False),
        (1, False),
        (0, True),
    ]
    assert calls[2]["state"] == {"seen": 1}


def test_the_shard_waits_until_the_final_invocation_succeeds(aws: Any) -> None:
    kinesis = stream(aws)
    finals: list[float] = []

    def handler(event: dict[str, Any], context: Any) -> Any:
        if event["isFinalInvokeForWindow"]:
            finals.append(aws.env.clock.now())
            if len(finals) < 3:
                raise RuntimeError("downstream is down")
        return {"state": {}}

    aws.env.lambda_.register("consumer", handler)
    map_stream(aws, TumblingWindowInSeconds=30)
    put(kinesis, "a", {"n": 1})
    aws.env.clock.advance(40)
    put(kinesis, "b", {"n": 2})  # next window: delivered only after the final invocation
    aws.env.run_until_idle()
    kinds = [
        "final" if i.event["isFinalInvokeForWindow"] else [data_of(r)["n"] for r in i.event["Records"]]
        for i in aws.env.invocations("consumer")
    ]
    # Two failed final invocations, the third succeeds; only then the next window's record.
    assert kinds == [[1], "final", "final", "final", [2], "final"]
    assert finals[1] > finals[0]  # retried later, not at once


def test_dynamodb_stream_mappings_share_the_tumbling_windows(aws: Any) -> None:
    # https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-windows.html: the same contract.
    dynamodb = aws.client("dynamodb")
    stream_arn = dynamodb.create_table(
        TableName="orders",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"},
    )["TableDescription"]["LatestStreamArn"]
    calls: list[dict[str, Any]] = []

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        calls.append(event)
        return {"state": {"count": event["state"].get("count", 0) + len(event["Records"])}}

    aws.env.lambda_.register("consumer", handler)
    aws.client("lambda").create_event_source_mapping(
        EventSourceArn=stream_arn,
        FunctionName="consumer",
        StartingPosition="TRIM_HORIZON",
        TumblingWindowInSeconds=120,
    )
    for key in ("a", "b"):
        dynamodb.put_item(TableName="orders", Item={"pk": {"S": key}})
    aws.env.run_until_idle()
    assert [(len(c["Records"]), c["isFinalInvokeForWindow"], c["state"]) for c in calls] == [
        (2, False, {}),
        (0, True, {"count": 2}),
    ]
