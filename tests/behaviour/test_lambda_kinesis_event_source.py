"""Kinesis event source mappings, end to end on the Kinesis and Lambda fakes.

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

import base64
import json
from typing import Any

import pytest
from aws_lambda_powertools.utilities.parser.models import KinesisDataStreamModel
from botocore.exceptions import ClientError

from tests.integration.delivery_contracts import nonconformities, report

pytestmark = pytest.mark.fakes_only

STREAM_ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/orders"


def stream(aws: Any, shards: int = 1) -> Any:
    kinesis = aws.client("kinesis")
    kinesis.create_stream(StreamName="orders", ShardCount=shards)
    return kinesis


def put(kinesis: Any, key: str, data: Any = None, **extra: Any) -> str:
    body = json.dumps(data if data is not None else {"key": key}).encode()
    return str(
        kinesis.put_record(StreamName="orders", Data=body, PartitionKey=key, **extra)[
            "SequenceNumber"
        ]
    )


def map_stream(aws: Any, **settings: Any) -> dict[str, Any]:
    settings.setdefault("StartingPosition", "TRIM_HORIZON")
    response: dict[str, Any] = aws.client("lambda").create_event_source_mapping(
        EventSourceArn=STREAM_ARN, FunctionName="consumer", **settings
    )
    return response


def data_of(record: dict[str, Any]) -> Any:
    return json.loads(base64.b64decode(record["kinesis"]["data"]))


def keys_of(event: dict[str, Any]) -> list[str]:
    return [r["kinesis"]["partitionKey"] for r in event["Records"]]


def delivered(aws: Any) -> list[list[str]]:
    return [keys_of(i.event) for i in aws.env.invocations("consumer")]


def failure_queue(aws: Any) -> tuple[Any, str, str]:
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName="kinesis-failures")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    return sqs, url, arn


def dead_letters(sqs: Any, url: str) -> list[dict[str, Any]]:
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


def failing_on(*poison: str) -> Any:
    def handler(event: Any, context: Any) -> None:
        if set(keys_of(event)) & set(poison):
            raise ValueError("poison")

    return handler


# --- delivery ------------------------------------------------------------------------
def test_records_arrive_in_aws_shape_parse_with_powertools_and_meet_the_contract(aws: Any) -> None:
    kinesis = stream(aws, shards=2)
    aws.env.lambda_.register("consumer", lambda event, context: None)
    map_stream(aws)
    sequences = {put(kinesis, key): key for key in ("a", "b", "c", "d")}
    aws.env.run_until_idle()

    records = [r for i in aws.env.invocations("consumer") for r in i.event["Records"]]
    assert sorted(r["kinesis"]["partitionKey"] for r in records) == ["a", "b", "c", "d"]
    record = records[0]
    assert set(record) == {
        "kinesis", "eventSource", "eventVersion", "eventID", "eventName",
        "invokeIdentityArn", "awsRegion", "eventSourceARN",
    }
    assert set(record["kinesis"]) == {
        "kinesisSchemaVersion", "partitionKey", "sequenceNumber", "data",
        "approximateArrivalTimestamp",
    }
    assert (record["eventSource"], record["eventName"]) == ("aws:kinesis", "aws:kinesis:record")
    assert record["eventSourceARN"] == STREAM_ARN and record["awsRegion"] == "us-east-1"
    for r in records:
        shard, _, sequence = r["eventID"].partition(":")
        assert sequence == r["kinesis"]["sequenceNumber"]
        assert sequences[sequence] == r["kinesis"]["partitionKey"]
        assert shard.startswith("shardId-")
        assert data_of(r) == {"key": r["kinesis"]["partitionKey"]}
    for invocation in aws.env.invocations("consumer"):
        parsed = KinesisDataStreamModel.model_validate(invocation.event)
        assert all(isinstance(r.kinesis.data, bytes) for r in parsed.Records)
    found = nonconformities(aws.env.deliveries)
    assert not found, report(found)


def test_each_batch_holds_one_shard_in_sequence_order(aws: Any) -> None:
    kinesis = stream(aws, shards=3)
    aws.env.lambda_.register("consumer", lambda event, context: None)
    map_stream(aws, BatchSize=2)
    for number in range(12):
        put(kinesis, f"k{number}")
    aws.env.run_until_idle()
    for invocation in aws.env.invocations("consumer"):
        shards = {r["eventID"].split(":")[0] for r in invocation.event["Records"]}
        sequence = [int(r["kinesis"]["sequenceNumber"]) for r in invocation.event["Records"]]
        assert len(shards) == 1 and sequence == sorted(sequence)
        assert len(invocation.event["Records"]) <= 2
    assert sum(len(keys) for keys in delivered(aws)) == 12


def test_binary_data_reaches_the_handler_base64_encoded(aws: Any) -> None:
    kinesis = stream(aws)
    aws.env.lambda_.register("consumer", lambda event, context: None)
    map_stream(aws)
    kinesis.put_record(StreamName="orders", Data=b"\x00\x01\xfe\xff", PartitionKey="bin")
    aws.env.run_until_idle()
    [invocation] = aws.env.invocations("consumer")
    assert base64.b64decode(invocation.event["Records"][0]["kinesis"]["data"]) == b"\x00\x01\xfe\xff"


def test_latest_skips_older_records_and_trim_horizon_reads_them(aws: Any) -> None:
    kinesis = stream(aws)
    put(kinesis, "before")
    for name in ("from-start", "from-now"):
        aws.env.lambda_.register(name, lambda event, context: None)
    client = aws.client("lambda")
    client.create_event_source_mapping(
        EventSourceArn=STREAM_ARN, FunctionName="from-start", StartingPosition="TRIM_HORIZON"
    )
    client.create_event_source_mapping(
        EventSourceArn=STREAM_ARN, FunctionName="from-now", StartingPosition="LATEST"
    )
    put(kinesis, "after")
    aws.env.run_until_idle()
    assert [keys_of(i.event) for i in aws.env.invocations("from-start")] == [["before", "after"]]
    assert [keys_of(i.event) for i in aws.env.invocations("from-now")] == [["after"]]


def test_at_timestamp_starts_with_the_records_that_arrived_from_then_on(aws: Any) -> None:
    kinesis = stream(aws)
    aws.env.lambda_.register("consumer", lambda event, context: None)
    put(kinesis, "early")
    aws.env.clock.advance(60)
    moment = aws.env.clock.now_datetime()
    put(kinesis, "on-time")
    mapping = map_stream(aws, StartingPosition="AT_TIMESTAMP", StartingPositionTimestamp=moment)
    aws.env.run_until_idle()
    assert delivered(aws) == [["on-time"]]
    assert mapping["StartingPositionTimestamp"] == moment


def test_a_batching_window_waits_for_a_full_batch_or_the_window(aws: Any) -> None:
    kinesis = stream(aws)
    aws.env.lambda_.register("consumer", lambda event, context: None)
    map_stream(aws, BatchSize=3, MaximumBatchingWindowInSeconds=10)
    put(kinesis, "a")
    aws.env.run_until_idle()  # the clock jumps to the end of the window
    [first] = aws.env.invocations("consumer")
    assert keys_of(first.event) == ["a"] and first.started_at == pytest.approx(
        aws.env.clock.now()
    )
    start = aws.env.clock.now()
    for key in ("b", "c", "d"):
        put(kinesis, key)
    aws.env.run_until_idle()
    assert delivered(aws) == [["a"], ["b", "c", "d"]]
    assert aws.env.invocations("consumer")[1].started_at == start  # full: no wait


def test_filters_see_data_as_json_and_drop_what_does_not_match(aws: Any) -> None:
    kinesis = stream(aws)
    aws.env.lambda_.register("consumer", lambda event, context: None)
    pattern = {"data": {"order": {"type": ["buy"]}}}
    map_stream(aws, FilterCriteria={"Filters": [{"Pattern": json.dumps(pattern)}]})
    put(kinesis, "buy", {"order": {"type": "buy"}})
    put(kinesis, "sell", {"order": {"type": "sell"}})
    kinesis.put_record(StreamName="orders", Data=b"not json", PartitionKey="raw")
    put(kinesis, "buy-2", {"order": {"type": "buy", "stock": "ANYCO"}})
    aws.env.run_until_idle()
    assert delivered(aws) == [["buy", "buy-2"]]


def test_filters_on_record_metadata_match_nothing_as_kinesis_filters_only_data(aws: Any) -> None:
    kinesis = stream(aws)
    aws.env.lambda_.register("consumer", lambda event, context: None)
    pattern = {"partitionKey": ["a"]}
    map_stream(aws, FilterCriteria={"Filters": [{"Pattern": json.dumps(pattern)}]})
    put(kinesis, "a")
    aws.env.run_until_idle()
    assert delivered(aws) == []


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


# --- the mapping API -------------------------------------------------------------------
def test_get_event_source_mapping_describes_the_kinesis_settings(aws: Any) -> None:
    stream(aws)
    aws.env.lambda_.register("consumer", lambda event, context: None)
    _, _, queue_arn = failure_queue(aws)
    uuid = map_stream(
        aws,
        BatchSize=50,
        ParallelizationFactor=4,
        BisectBatchOnFunctionError=True,
        MaximumRetryAttempts=5,
        MaximumRecordAgeInSeconds=3600,
        DestinationConfig={"OnFailure": {"Destination": queue_arn}},
    )["UUID"]
    mapping = aws.client("lambda").get_event_source_mapping(UUID=uuid)
    assert mapping["EventSourceArn"] == STREAM_ARN
    assert (mapping["BatchSize"], mapping["ParallelizationFactor"]) == (50, 4)
    assert (mapping["MaximumRetryAttempts"], mapping["MaximumRecordAgeInSeconds"]) == (5, 3600)
    assert mapping["StartingPosition"] == "TRIM_HORIZON"
    assert mapping["DestinationConfig"] == {"OnFailure": {"Destination": queue_arn}}


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"StartingPosition": None}, "Member must not be null"),
        ({"StartingPosition": "AT_TIMESTAMP"}, "StartingPositionTimestamp"),
        ({"ParallelizationFactor": 11}, "ParallelizationFactor must be between 1 and 10."),
        ({"BatchSize": 10_001}, "BatchSize must be between 1 and 10000."),
        ({"MaximumBatchingWindowInSeconds": 301}, "between 0 and 300"),
        ({"TumblingWindowInSeconds": 60}, "does not model TumblingWindowInSeconds"),
    ],
)
def test_invalid_kinesis_settings_are_refused(
    aws: Any, settings: dict[str, Any], message: str
) -> None:
    stream(aws)
    aws.env.lambda_.register("consumer", lambda event, context: None)
    params = {"StartingPosition": "TRIM_HORIZON", **settings}
    params = {k: v for k, v in params.items() if v is not None}
    with pytest.raises(ClientError) as caught:
        aws.client("lambda").create_event_source_mapping(
            EventSourceArn=STREAM_ARN, FunctionName="consumer", **params
        )
    assert caught.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert message in caught.value.response["Error"]["Message"]


def test_a_mapping_to_a_missing_stream_or_a_second_one_is_refused(aws: Any) -> None:
    aws.env.lambda_.register("consumer", lambda event, context: None)
    with pytest.raises(ClientError, match="Stream not found"):
        map_stream(aws)
    stream(aws)
    map_stream(aws)
    with pytest.raises(ClientError) as caught:
        map_stream(aws)
    assert caught.value.response["Error"]["Code"] == "ResourceConflictException"


def test_a_deleted_mapping_delivers_nothing_more(aws: Any) -> None:
    kinesis = stream(aws)
    aws.env.lambda_.register("consumer", lambda event, context: None)
    uuid = map_stream(aws)["UUID"]
    put(kinesis, "a")
    aws.env.run_until_idle()
    aws.client("lambda").delete_event_source_mapping(UUID=uuid)
    put(kinesis, "b")
    aws.env.run_until_idle()
    assert delivered(aws) == [["a"]]


def test_reordering_a_kinesis_channel_is_refused_as_shards_keep_their_order(aws: Any) -> None:
    with pytest.raises(ValueError, match="guarantees order"):
        aws.env.faults.reorder("kinesis:orders")


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
