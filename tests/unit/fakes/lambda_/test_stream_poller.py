"""The DynamoDB Streams poller, against a small stand-in stream.

The stand-in replaces the DynamoDB fake only because it is not in the tree
yet; it implements the ``read_stream`` API the poller consumes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from eventproof_fakes import FakeAWS

STREAM = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2026-01-01T00:00:00.000"


@dataclass
class Record:
    sequence_number: str
    created_at: float
    key: str

    def to_lambda_event(self) -> dict[str, Any]:
        return {
            "eventID": self.sequence_number,
            "eventName": "INSERT",
            "eventSource": "aws:dynamodb",
            "dynamodb": {"Keys": {"pk": {"S": self.key}}, "SequenceNumber": self.sequence_number},
            "eventSourceARN": STREAM,
        }


class StandInStream:
    def __init__(self, env: FakeAWS) -> None:
        self.env = env
        self.records: list[Record] = []

    def put(self, key: str) -> None:
        self.records.append(Record(str(10**20 + len(self.records)), self.env.clock.now(), key))

    def read_stream(self, stream_arn: str, after: str | None, limit: int) -> list[Record]:
        start = 0 if after is None else int(after) - 10**20 + 1
        return self.records[start : start + limit]


@pytest.fixture
def aws() -> FakeAWS:
    env = FakeAWS()
    env._backends["dynamodb"] = StandInStream(env)
    return env


def keys(event: dict[str, Any]) -> list[str]:
    return [r["dynamodb"]["Keys"]["pk"]["S"] for r in event["Records"]]


def failure_queue(aws: FakeAWS) -> tuple[Any, str, str]:
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName="failures")["QueueUrl"]
    return sqs, url, aws.sqs.queue_arn(url)


def create_mapping(aws: FakeAWS, **settings: Any) -> str:
    settings.setdefault("StartingPosition", "TRIM_HORIZON")
    return aws.client("lambda").create_event_source_mapping(  # type: ignore[no-any-return]
        EventSourceArn=STREAM, FunctionName="consumer", **settings
    )["UUID"]


def test_records_arrive_in_order_in_batches(aws: FakeAWS) -> None:
    seen: list[list[str]] = []
    aws.lambda_.register("consumer", lambda event, context: seen.append(keys(event)))
    for key in "abcde":
        aws.dynamodb.put(key)
    create_mapping(aws, BatchSize=2)
    aws.run_until_idle()
    assert seen == [["a", "b"], ["c", "d"], ["e"]]
    assert {i.trigger for i in aws.invocations("consumer")} == {"stream"}


def test_latest_skips_what_is_already_in_the_stream(aws: FakeAWS) -> None:
    seen: list[list[str]] = []
    aws.lambda_.register("consumer", lambda event, context: seen.append(keys(event)))
    aws.dynamodb.put("old")
    create_mapping(aws, StartingPosition="LATEST")
    aws.dynamodb.put("new")
    aws.run_until_idle()
    assert seen == [["new"]]


def test_a_failing_batch_blocks_the_shard_then_goes_to_on_failure_with_batch_info(
    aws: FakeAWS,
) -> None:
    sqs, url, queue_arn = failure_queue(aws)
    seen: list[list[str]] = []

    def handler(event: Any, context: Any) -> None:
        seen.append(keys(event))
        if "bad" in keys(event):
            raise RuntimeError("cannot")

    aws.lambda_.register("consumer", handler)
    aws.dynamodb.put("bad")
    aws.dynamodb.put("next")
    create_mapping(
        aws,
        BatchSize=1,
        MaximumRetryAttempts=1,
        DestinationConfig={"OnFailure": {"Destination": queue_arn}},
    )
    aws.run_until_idle()
    assert seen == [["bad"], ["bad"], ["next"]]
    [message] = sqs.receive_message(QueueUrl=url)["Messages"]
    record = json.loads(message["Body"])
    assert record["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert record["requestContext"]["approximateInvokeCount"] == 2
    assert record["requestContext"]["functionArn"].endswith("function:consumer")
    assert record["responseContext"] == {
        "statusCode": 200,
        "executedVersion": "$LATEST",
        "functionError": "Unhandled",
    }
    assert record["DDBStreamBatchInfo"]["batchSize"] == 1
    assert record["DDBStreamBatchInfo"]["startSequenceNumber"] == str(10**20)
    assert record["DDBStreamBatchInfo"]["streamArn"] == STREAM
    assert set(record) == {
        "requestContext",
        "responseContext",
        "version",
        "timestamp",
        "DDBStreamBatchInfo",
    }


def test_report_batch_item_failures_retries_from_the_lowest_failed_record(aws: FakeAWS) -> None:
    seen: list[list[str]] = []

    def handler(event: Any, context: Any) -> dict[str, Any]:
        seen.append(keys(event))
        failed = [r for r in event["Records"] if r["dynamodb"]["Keys"]["pk"]["S"] == "b"]
        if len(seen) > 1:
            return {"batchItemFailures": []}
        return {"batchItemFailures": [{"itemIdentifier": r["eventID"]} for r in failed]}

    aws.lambda_.register("consumer", handler)
    for key in "abc":
        aws.dynamodb.put(key)
    create_mapping(aws, BatchSize=3, FunctionResponseTypes=["ReportBatchItemFailures"])
    aws.run_until_idle()
    assert seen == [["a", "b", "c"], ["b", "c"]]


def test_bisect_isolates_the_bad_record(aws: FakeAWS) -> None:
    sqs, url, queue_arn = failure_queue(aws)
    seen: list[list[str]] = []

    def handler(event: Any, context: Any) -> None:
        seen.append(keys(event))
        if "bad" in keys(event):
            raise RuntimeError("cannot")

    aws.lambda_.register("consumer", handler)
    for key in ["a", "bad", "c", "d"]:
        aws.dynamodb.put(key)
    create_mapping(
        aws,
        BatchSize=4,
        BisectBatchOnFunctionError=True,
        MaximumRetryAttempts=0,
        DestinationConfig={"OnFailure": {"Destination": queue_arn}},
    )
    aws.run_until_idle()
    assert seen[:3] == [["a", "bad", "c", "d"], ["a", "bad"], ["a"]]
    assert ["c", "d"] in seen
    [message] = sqs.receive_message(QueueUrl=url)["Messages"]
    assert json.loads(message["Body"])["DDBStreamBatchInfo"]["batchSize"] == 1


def test_filters_drop_records_that_do_not_match(aws: FakeAWS) -> None:
    seen: list[list[str]] = []
    aws.lambda_.register("consumer", lambda event, context: seen.append(keys(event)))
    for key in ["keep", "drop"]:
        aws.dynamodb.put(key)
    pattern = {"dynamodb": {"Keys": {"pk": {"S": ["keep"]}}}}
    create_mapping(aws, FilterCriteria={"Filters": [{"Pattern": json.dumps(pattern)}]})
    aws.run_until_idle()
    assert seen == [["keep"]]


def test_an_invalid_filter_is_rejected_as_aws_does(aws: FakeAWS) -> None:
    aws.lambda_.register("consumer", lambda event, context: None)
    client = aws.client("lambda")
    with pytest.raises(client.exceptions.InvalidParameterValueException) as caught:
        create_mapping(aws, FilterCriteria={"Filters": [{"Pattern": "simple string"}]})
    assert caught.value.response["Error"]["Message"] == "Invalid filter pattern definition."
