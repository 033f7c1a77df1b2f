"""Kinesis event source mappings, end to end on the Kinesis and Lambda fakes: failures,
parallel lanes and resharding.

Records go in through boto3's put_record(s); the mapping's poller reads each
shard and runs the handler. What AWS documents:
https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html (the event,
batches per shard, batching window, starting positions, parallelization
factor), https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html
(retries, bisect, record age, the OnFailure record with KinesisBatchInfo),
https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html
(ReportBatchItemFailures) and
https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis-filtering.html
(filters see ``data``). Every test runs a handler, so all are fakes only:
moto cannot run Python handlers without Docker.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.behaviour.kinesis_mapping_helpers import (
    STREAM_ARN,
    data_of,
    dead_letters,
    delivered,
    failing_on,
    failure_queue,
    map_stream,
    put,
    stream,
)
from tests.integration.delivery_contracts import nonconformities, report

pytestmark = pytest.mark.fakes_only


# --- failures --------------------------------------------------------------------------
def test_a_failing_batch_blocks_its_shard_then_goes_to_on_failure_with_kinesis_batch_info(
    aws: Any,
) -> None:
    kinesis = stream(aws)
    sqs, url, queue_arn = failure_queue(aws)
    aws.env.lambda_.register("consumer", failing_on("bad"))
    map_stream(
        aws,
        BatchSize=1,
        MaximumRetryAttempts=2,
        DestinationConfig={"OnFailure": {"Destination": queue_arn}},
    )
    bad = put(kinesis, "bad")
    put(kinesis, "good")
    aws.env.run_until_idle()
    assert delivered(aws) == [["bad"], ["bad"], ["bad"], ["good"]]
    [record] = dead_letters(sqs, url)
    assert set(record) == {
        "requestContext", "responseContext", "version", "timestamp", "KinesisBatchInfo"
    }
    assert record["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert record["requestContext"]["approximateInvokeCount"] == 3
    assert record["responseContext"]["functionError"] == "Unhandled"
    info = record["KinesisBatchInfo"]
    assert info == {
        "shardId": "shardId-000000000000",
        "startSequenceNumber": bad,
        "endSequenceNumber": bad,
        "approximateArrivalOfFirstRecord": "2026-01-01T00:00:00.000Z",
        "approximateArrivalOfLastRecord": "2026-01-01T00:00:00.000Z",
        "batchSize": 1,
        "streamArn": STREAM_ARN,
    }
    found = nonconformities(aws.env.deliveries)
    assert not found, report(found)


def test_a_blocked_shard_does_not_hold_up_the_other_shards(aws: Any) -> None:
    kinesis = stream(aws, shards=2)
    aws.env.lambda_.register("consumer", failing_on("bad"))
    map_stream(aws, BatchSize=1, MaximumRetryAttempts=1)
    put(kinesis, "bad", ExplicitHashKey="0")
    put(kinesis, "after-bad", ExplicitHashKey="1")
    put(kinesis, "other", ExplicitHashKey=str(2**127 + 1))
    aws.env.run_until_idle()
    keys = [k for batch in delivered(aws) for k in batch]
    assert keys.index("other") < keys.index("after-bad")
    assert keys.count("bad") == 2


def test_bisect_splits_a_failing_batch_until_the_poison_record_is_alone(aws: Any) -> None:
    kinesis = stream(aws)
    aws.env.lambda_.register("consumer", failing_on("p"))
    map_stream(aws, BatchSize=4, BisectBatchOnFunctionError=True, MaximumRetryAttempts=0)
    for key in ("a", "b", "p", "d"):
        put(kinesis, key)
    aws.env.run_until_idle()
    assert delivered(aws) == [["a", "b", "p", "d"], ["a", "b"], ["p", "d"], ["p"], ["d"]]


def test_report_batch_item_failures_checkpoints_at_the_failed_record(aws: Any) -> None:
    kinesis = stream(aws)
    calls: list[int] = []

    def handler(event: Any, context: Any) -> dict[str, Any]:
        calls.append(len(event["Records"]))
        failures = [
            {"itemIdentifier": r["kinesis"]["sequenceNumber"]}
            for r in event["Records"]
            if r["kinesis"]["partitionKey"] == "c" and len(calls) == 1
        ]
        return {"batchItemFailures": failures}

    aws.env.lambda_.register("consumer", handler)
    map_stream(aws, BatchSize=5, FunctionResponseTypes=["ReportBatchItemFailures"])
    for key in ("a", "b", "c", "d"):
        put(kinesis, key)
    aws.env.run_until_idle()
    # The retry starts at the failed record: a and b are not delivered again.
    assert delivered(aws) == [["a", "b", "c", "d"], ["c", "d"]]


def test_records_older_than_the_maximum_age_are_given_up(aws: Any) -> None:
    kinesis = stream(aws)
    sqs, url, queue_arn = failure_queue(aws)
    aws.env.lambda_.register("consumer", failing_on("old"))
    map_stream(
        aws,
        MaximumRecordAgeInSeconds=60,
        DestinationConfig={"OnFailure": {"Destination": queue_arn}},
    )
    put(kinesis, "old")
    aws.env.run_until_idle()
    attempts = aws.env.invocations("consumer")
    assert len(attempts) > 1
    assert all(a.started_at - attempts[0].started_at <= 60 for a in attempts)
    [record] = dead_letters(sqs, url)
    assert record["requestContext"]["condition"] == "RecordAgeExceeded"
    put(kinesis, "new")
    aws.env.run_until_idle()
    assert delivered(aws)[-1] == ["new"]


def test_with_default_settings_a_poison_record_blocks_until_it_leaves_the_stream(aws: Any) -> None:
    kinesis = stream(aws)
    aws.env.lambda_.register("consumer", failing_on("bad"))
    map_stream(aws)
    put(kinesis, "bad")
    aws.env.run_until_idle(max_steps=50_000)
    attempts = aws.env.invocations("consumer")
    # Retries every minute at most until the 24-hour retention expires the record.
    assert aws.env.clock.now() - attempts[0].started_at >= 24 * 3600 - 60
    put(kinesis, "next")
    aws.env.run_until_idle()
    assert delivered(aws)[-1] == ["next"]


# --- parallelization -------------------------------------------------------------------
def test_parallelization_keeps_order_per_partition_key_and_isolates_a_failing_key(
    aws: Any,
) -> None:
    kinesis = stream(aws)
    aws.env.lambda_.register("consumer", failing_on("stuck"))
    map_stream(aws, BatchSize=1, ParallelizationFactor=10, MaximumRetryAttempts=3)
    keys = ["stuck"] + [f"k{n}" for n in range(6)]
    for round_ in range(3):
        for key in keys:
            put(kinesis, key, {"key": key, "round": round_})
    aws.env.run_until_idle()
    seen: dict[str, list[int]] = {}
    for invocation in aws.env.invocations("consumer"):
        if invocation.error is None:
            for record in invocation.event["Records"]:
                seen.setdefault(record["kinesis"]["partitionKey"], []).append(
                    data_of(record)["round"]
                )
    assert all(seen[key] == [0, 1, 2] for key in keys[1:])
    # With one lane every retry of the stuck key (first on the shard) would come before any
    # other key; in parallel lanes other keys are delivered while it is retried.
    invocations = aws.env.invocations("consumer")
    last_failure = max(i for i, inv in enumerate(invocations) if inv.error is not None)
    assert any(inv.error is None for inv in invocations[:last_failure])
    # Each of its three records: one try and three retries, then given up.
    assert sum(inv.error is not None for inv in invocations) == 3 * 4


def test_an_injected_duplicate_delivers_a_batch_twice_in_order(aws: Any) -> None:
    kinesis = stream(aws)
    aws.env.lambda_.register("consumer", lambda event, context: None)
    map_stream(aws, BatchSize=2)
    aws.env.faults.duplicate("kinesis:orders", deliveries=1)
    for key in ("a", "b", "c"):
        put(kinesis, key)
    aws.env.run_until_idle()
    assert delivered(aws) == [["a", "b"], ["a", "b"], ["c"]]


def test_after_a_split_the_parent_is_read_to_its_end_before_its_children(aws: Any) -> None:
    kinesis = stream(aws)
    aws.env.lambda_.register("consumer", failing_on("stuck"))
    map_stream(aws, BatchSize=1, MaximumRetryAttempts=2)
    put(kinesis, "stuck", {"n": 1})
    put(kinesis, "k", {"n": 2})
    kinesis.split_shard(
        StreamName="orders", ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2**127)
    )
    put(kinesis, "k", {"n": 3})
    aws.env.run_until_idle()
    ordered = [
        (r["kinesis"]["partitionKey"], data_of(r)["n"], r["eventID"].split(":")[0])
        for inv in aws.env.invocations("consumer")
        for r in inv.event["Records"]
    ]
    # The child's record waits behind the parent's blocked batch and its retries.
    assert ordered == [
        ("stuck", 1, "shardId-000000000000"),
        ("stuck", 1, "shardId-000000000000"),
        ("stuck", 1, "shardId-000000000000"),
        ("k", 2, "shardId-000000000000"),
        ("k", 3, ordered[-1][2]),
    ]
    assert ordered[-1][2] in ("shardId-000000000001", "shardId-000000000002")


def test_changing_the_parallelization_factor_keeps_every_key_in_order(aws: Any) -> None:
    kinesis = stream(aws)
    aws.env.lambda_.register("consumer", lambda event, context: None)
    uuid = map_stream(aws, BatchSize=2)["UUID"]
    for n in range(4):
        put(kinesis, f"k{n % 2}", {"n": n})
    aws.env.run_until_idle()
    updated = aws.client("lambda").update_event_source_mapping(UUID=uuid, ParallelizationFactor=3)
    assert updated["ParallelizationFactor"] == 3
    for n in range(4, 10):
        put(kinesis, f"k{n % 3}", {"n": n})
    aws.env.run_until_idle()
    by_key: dict[str, list[int]] = {}
    for invocation in aws.env.invocations("consumer"):
        for record in invocation.event["Records"]:
            by_key.setdefault(record["kinesis"]["partitionKey"], []).append(data_of(record)["n"])
    assert sorted(n for ns in by_key.values() for n in ns) == list(range(10))
    assert all(ns == sorted(ns) for ns in by_key.values())


def test_deleting_the_stream_mid_retry_leaves_nothing_pending(aws: Any) -> None:
    kinesis = stream(aws)
    aws.env.lambda_.register("consumer", failing_on("bad"))
    uuid = map_stream(aws)["UUID"]
    put(kinesis, "bad")
    assert aws.env.lambda_.pollers[uuid].pump()  # a first failure: a retry is scheduled
    kinesis.delete_stream(StreamName="orders")
    assert aws.env.run_until_idle(max_steps=50) < 50  # no spinning on a stream that is gone
    assert len(aws.env.invocations("consumer")) == 1


def test_powertools_batch_processor_reports_partial_failures_the_poller_honours(aws: Any) -> None:
    from aws_lambda_powertools.utilities.batch import (
        BatchProcessor,
        EventType,
        process_partial_response,
    )

    kinesis = stream(aws)
    processor = BatchProcessor(event_type=EventType.KinesisDataStreams)
    handled: list[int] = []

    def record_handler(record: Any) -> None:
        number = json.loads(record.kinesis.data_as_text())["n"]
        if number == 2 and -2 not in handled:
            handled.append(-2)  # fails once
            raise ValueError("transient")
        handled.append(number)

    def handler(event: Any, context: Any) -> Any:
        return process_partial_response(
            event=event, record_handler=record_handler, processor=processor, context=context
        )

    aws.env.lambda_.register("consumer", handler)
    map_stream(aws, BatchSize=4, FunctionResponseTypes=["ReportBatchItemFailures"])
    for n in range(4):
        put(kinesis, "k", {"n": n})
    aws.env.run_until_idle()
    # Powertools names the failed record; the retry starts there (3 follows it again).
    assert handled == [0, 1, -2, 3, 2, 3]
    assert delivered(aws) == [["k"] * 4, ["k"] * 2]


def test_the_batch_info_leads_back_to_the_discarded_records_in_the_stream(aws: Any) -> None:
    # The documented recovery: read the discarded records from the stream by the batch info.
    kinesis = stream(aws, shards=2)
    sqs, url, queue_arn = failure_queue(aws)
    aws.env.lambda_.register("consumer", failing_on("bad"))
    map_stream(
        aws,
        BatchSize=10,
        MaximumRetryAttempts=0,
        DestinationConfig={"OnFailure": {"Destination": queue_arn}},
    )
    for n in range(3):
        put(kinesis, "bad", {"n": n})
    [record] = (aws.env.run_until_idle(), dead_letters(sqs, url))[1]
    info = record["KinesisBatchInfo"]
    iterator = kinesis.get_shard_iterator(
        StreamARN=info["streamArn"],
        ShardId=info["shardId"],
        ShardIteratorType="AT_SEQUENCE_NUMBER",
        StartingSequenceNumber=info["startSequenceNumber"],
    )["ShardIterator"]
    records = kinesis.get_records(ShardIterator=iterator, Limit=info["batchSize"])["Records"]
    assert [json.loads(r["Data"])["n"] for r in records] == [0, 1, 2]
    assert records[-1]["SequenceNumber"] == info["endSequenceNumber"]
