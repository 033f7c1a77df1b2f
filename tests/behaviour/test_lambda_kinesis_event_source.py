"""Kinesis event source mappings, end to end on the Kinesis and Lambda fakes: delivery
and the mapping API (failures: test_lambda_kinesis_event_source_failures.py).

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

from eventproof_fakes.errors import FaultError
from tests.behaviour.kinesis_mapping_helpers import (
    STREAM_ARN,
    data_of,
    delivered,
    failure_queue,
    keys_of,
    map_stream,
    put,
    stream,
)
from tests.integration.delivery_contracts import nonconformities, report

pytestmark = pytest.mark.fakes_only


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
        ({"TumblingWindowInSeconds": 901}, "TumblingWindowInSeconds must be between 0 and 900."),
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
    with pytest.raises(FaultError, match="kinesis: does not take reorder"):
        aws.env.faults.reorder("kinesis:orders")
    aws.env.faults.duplicate("kinesis:orders")  # the one fault a Kinesis mapping applies
