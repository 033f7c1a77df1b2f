"""DynamoDB Streams event source mappings, end to end on the DynamoDB fake.

Writes go through boto3 into a streamed table; the mapping's poller reads the
stream and runs the handler. What AWS documents:
https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html (batches, order
per item, retries blocking the shard, bisect, record age, OnFailure),
https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html
(ReportBatchItemFailures) and
https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
(FilterCriteria). Shapes are compared with what AWS delivered in
tests/recordings/snapshots/lambda__event_source_mapping_test_lambda_integration_dynamodbstreams.snapshot.json.
Tests that run a handler are fakes only: moto cannot run Python handlers
without Docker.
"""

from __future__ import annotations

import base64
import contextlib
import json
from typing import Any

import pytest

from tests.behaviour.lambda_functions import create_function
from tests.recordings import SNAPSHOTS

RECORDING = (
    SNAPSHOTS / "lambda__event_source_mapping_test_lambda_integration_dynamodbstreams.snapshot.json"
)
TEST_IDS = "tests/aws/services/lambda_/event_source_mapping/test_lambda_integration_dynamodbstreams.py::TestDynamoDBEventSourceMapping::"


def recorded(test: str) -> dict[str, Any]:
    content: dict[str, Any] = json.loads(RECORDING.read_text())[TEST_IDS + test]["recorded-content"]
    return content


def streamed_table(
    aws: Any, name: str = "orders", view: str = "NEW_AND_OLD_IMAGES"
) -> tuple[Any, str]:
    dynamodb = aws.client("dynamodb")
    created = dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": view},
    )
    return dynamodb, created["TableDescription"]["LatestStreamArn"]


def failure_queue(aws: Any) -> tuple[Any, str, str]:
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName="stream-failures")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    return sqs, url, arn


def put(dynamodb: Any, key: str, **attributes: Any) -> None:
    item: dict[str, Any] = {"pk": {"S": key}}
    for name, value in attributes.items():
        item[name] = (
            {"BOOL": value}
            if isinstance(value, bool)
            else ({"N": str(value)} if isinstance(value, int) else {"S": value})
        )
    dynamodb.put_item(TableName="orders", Item=item)


def keys_of(event: dict[str, Any]) -> list[str]:
    return [r["dynamodb"]["Keys"]["pk"]["S"] for r in event["Records"]]


def delivered(aws: Any, name: str = "consumer") -> list[list[str]]:
    return [keys_of(i.event) for i in aws.env.invocations(name)]


def map_stream(aws: Any, stream_arn: str, **settings: Any) -> dict[str, Any]:
    settings.setdefault("StartingPosition", "TRIM_HORIZON")
    response: dict[str, Any] = aws.client("lambda").create_event_source_mapping(
        EventSourceArn=stream_arn, FunctionName="consumer", **settings
    )
    return response


def dead_letters(sqs: Any, url: str) -> list[dict[str, Any]]:
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


# --- delivery ----------------------------------------------------------------------
@pytest.mark.fakes_only
def test_records_arrive_in_batches_in_write_order_in_aws_shape(aws: Any) -> None:
    dynamodb, stream_arn = streamed_table(aws, view="NEW_IMAGE")
    aws.env.lambda_.register("consumer", lambda event, context: None)
    map_stream(aws, stream_arn, BatchSize=2)
    for key in ("a", "b", "c"):
        put(dynamodb, key)
    dynamodb.update_item(
        TableName="orders",
        Key={"pk": {"S": "a"}},
        UpdateExpression="SET photo = :b",
        ExpressionAttributeValues={":b": {"B": b"foobar"}},
    )
    dynamodb.delete_item(TableName="orders", Key={"pk": {"S": "b"}})
    aws.env.run_until_idle()

    assert delivered(aws) == [["a", "b"], ["c", "a"], ["b"]]
    records = [r for i in aws.env.invocations("consumer") for r in i.event["Records"]]
    assert [r["eventName"] for r in records] == ["INSERT", "INSERT", "INSERT", "MODIFY", "REMOVE"]
    sequence = [int(r["dynamodb"]["SequenceNumber"]) for r in records]
    assert sequence == sorted(sequence)

    [aws_event] = recorded("test_dynamodb_event_source_mapping")["event_logs"]
    [aws_record] = aws_event["Records"]
    modify = records[3]
    assert modify.keys() == aws_record.keys()
    assert modify["dynamodb"].keys() == aws_record["dynamodb"].keys()
    assert modify["eventSourceARN"] == stream_arn
    assert (modify["eventVersion"], modify["eventSource"]) == ("1.1", "aws:dynamodb")
    # Lambda's JSON event carries binaries base64-encoded and the time as epoch seconds.
    assert base64.b64decode(modify["dynamodb"]["NewImage"]["photo"]["B"]) == b"foobar"
    assert isinstance(modify["dynamodb"]["ApproximateCreationDateTime"], float)
    assert "NewImage" not in records[4]["dynamodb"]  # NEW_IMAGE: a removal has no new image


@pytest.mark.fakes_only
def test_trim_horizon_reads_older_records_and_latest_starts_after_them(aws: Any) -> None:
    dynamodb, stream_arn = streamed_table(aws)
    put(dynamodb, "before")
    for name in ("from-start", "from-now"):
        aws.env.lambda_.register(name, lambda event, context: None)
    client = aws.client("lambda")
    client.create_event_source_mapping(
        EventSourceArn=stream_arn, FunctionName="from-start", StartingPosition="TRIM_HORIZON"
    )
    client.create_event_source_mapping(
        EventSourceArn=stream_arn, FunctionName="from-now", StartingPosition="LATEST"
    )
    put(dynamodb, "after")
    aws.env.run_until_idle()
    assert delivered(aws, "from-start") == [["before", "after"]]
    assert delivered(aws, "from-now") == [["after"]]


@pytest.mark.fakes_only
def test_filter_criteria_deliver_only_matching_records_and_skip_the_rest(aws: Any) -> None:
    dynamodb, stream_arn = streamed_table(aws)
    aws.env.lambda_.register("consumer", lambda event, context: None)
    pattern = {
        "eventName": ["INSERT"],
        "dynamodb": {"NewImage": {"status": {"S": [{"prefix": "paid"}]}}},
    }
    map_stream(aws, stream_arn, FilterCriteria={"Filters": [{"Pattern": json.dumps(pattern)}]})
    put(dynamodb, "open", status="open")
    put(dynamodb, "paid", status="paid")
    put(dynamodb, "paid", status="paid-twice")  # a MODIFY: filtered out
    aws.env.run_until_idle()
    assert delivered(aws) == [["paid"]]
    put(dynamodb, "later", status="paid-late")
    aws.env.run_until_idle()
    assert delivered(aws) == [["paid"], ["later"]]


@pytest.mark.fakes_only
def test_numbers_are_strings_in_stream_records_so_numeric_filters_do_not_match_them(
    aws: Any,
) -> None:
    # As recorded (test_dynamodb_event_filter[numeric_filter]): {"N": "42"} is a string to the filter.
    dynamodb, stream_arn = streamed_table(aws)
    aws.env.lambda_.register("consumer", lambda event, context: None)
    pattern = {"dynamodb": {"NewImage": {"total": {"N": [{"numeric": [">", 1]}]}}}}
    map_stream(aws, stream_arn, FilterCriteria={"Filters": [{"Pattern": json.dumps(pattern)}]})
    put(dynamodb, "big", total=500)
    aws.env.run_until_idle()
    assert delivered(aws) == []


# --- failures --------------------------------------------------------------------------
@pytest.mark.fakes_only
def test_a_failing_batch_blocks_the_shard_then_goes_to_on_failure_as_aws_records_it(
    aws: Any,
) -> None:
    dynamodb, stream_arn = streamed_table(aws, view="NEW_IMAGE")
    sqs, url, queue_arn = failure_queue(aws)

    def handler(event: Any, context: Any) -> None:
        if any(r["dynamodb"]["NewImage"].get("poison") for r in event["Records"]):
            raise ValueError("cannot process")

    aws.env.lambda_.register("consumer", handler)
    map_stream(
        aws,
        stream_arn,
        BatchSize=1,
        MaximumRetryAttempts=1,
        DestinationConfig={"OnFailure": {"Destination": queue_arn}},
    )
    put(dynamodb, "bad", poison=True)
    put(dynamodb, "good")
    aws.env.run_until_idle()

    # Two attempts of the failing record (MaximumRetryAttempts=1), then the shard moves on.
    assert delivered(aws) == [["bad"], ["bad"], ["good"]]
    [record] = dead_letters(sqs, url)
    [aws_message] = recorded(
        "test_dynamodb_event_source_mapping_with_on_failure_destination_config"
    )["destination_queue_messages"]["Messages"]
    aws_record = aws_message["Body"]
    assert record.keys() == aws_record.keys()
    assert record["requestContext"].keys() == aws_record["requestContext"].keys()
    assert record["DDBStreamBatchInfo"].keys() == aws_record["DDBStreamBatchInfo"].keys()
    assert record["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert record["requestContext"]["approximateInvokeCount"] == 2
    assert record["responseContext"] == {
        "statusCode": 200,
        "executedVersion": "$LATEST",
        "functionError": "Unhandled",
    }
    info = record["DDBStreamBatchInfo"]
    bad_sequence = aws.env.invocations("consumer")[0].event["Records"][0]["dynamodb"][
        "SequenceNumber"
    ]
    assert (info["startSequenceNumber"], info["endSequenceNumber"], info["batchSize"]) == (
        bad_sequence,
        bad_sequence,
        1,
    )
    assert info["streamArn"] == stream_arn


@pytest.mark.fakes_only
def test_bisect_splits_a_failing_batch_until_the_poison_record_is_alone(aws: Any) -> None:
    dynamodb, stream_arn = streamed_table(aws, view="NEW_IMAGE")
    sqs, url, queue_arn = failure_queue(aws)

    def handler(event: Any, context: Any) -> None:
        if "p" in keys_of(event):
            raise ValueError("poison")

    aws.env.lambda_.register("consumer", handler)
    map_stream(
        aws,
        stream_arn,
        BatchSize=4,
        BisectBatchOnFunctionError=True,
        MaximumRetryAttempts=0,
        DestinationConfig={"OnFailure": {"Destination": queue_arn}},
    )
    for key in ("a", "b", "p", "d"):
        put(dynamodb, key)
    aws.env.run_until_idle()
    # Splitting is not a retry: with no retries the lone poison record still gets one try.
    assert delivered(aws) == [["a", "b", "p", "d"], ["a", "b"], ["p", "d"], ["p"], ["d"]]
    [record] = dead_letters(sqs, url)
    assert record["DDBStreamBatchInfo"]["batchSize"] == 1


@pytest.mark.fakes_only
def test_a_split_does_not_use_up_the_retries_of_its_halves(aws: Any) -> None:
    dynamodb, stream_arn = streamed_table(aws, view="NEW_IMAGE")

    def handler(event: Any, context: Any) -> None:
        if "p" in keys_of(event):
            raise ValueError("poison")

    aws.env.lambda_.register("consumer", handler)
    map_stream(
        aws, stream_arn, BatchSize=2, BisectBatchOnFunctionError=True, MaximumRetryAttempts=1
    )
    for key in ("p", "a"):
        put(dynamodb, key)
    aws.env.run_until_idle()
    assert delivered(aws) == [["p", "a"], ["p"], ["p"], ["a"]]


@pytest.mark.fakes_only
def test_report_batch_item_failures_retries_from_the_failed_record_then_gives_it_up(
    aws: Any,
) -> None:
    dynamodb, stream_arn = streamed_table(aws, view="NEW_IMAGE")
    sqs, url, queue_arn = failure_queue(aws)

    def handler(event: Any, context: Any) -> dict[str, Any]:
        return {
            "batchItemFailures": [
                {"itemIdentifier": r["dynamodb"]["SequenceNumber"]}
                for r in event["Records"]
                if r["dynamodb"]["NewImage"]["should_fail"]["BOOL"]
            ]
        }

    aws.env.lambda_.register("consumer", handler)
    map_stream(
        aws,
        stream_arn,
        BatchSize=3,
        MaximumRetryAttempts=3,
        FunctionResponseTypes=["ReportBatchItemFailures"],
        DestinationConfig={"OnFailure": {"Destination": queue_arn}},
    )
    for number in range(6):
        put(dynamodb, f"testId{number}", should_fail=number == 5)
    aws.env.run_until_idle()
    assert delivered(aws) == [
        ["testId0", "testId1", "testId2"],
        ["testId3", "testId4", "testId5"],
        ["testId5"],
        ["testId5"],
        ["testId5"],
    ]
    [record] = dead_letters(sqs, url)
    aws_record = recorded("test_dynamodb_report_batch_item_failures")["destination_queue_messages"][
        "Messages"
    ][0]["Body"]
    # As recorded: four invocations of the failed record, no function error, a batch of one.
    for path in (
        ("requestContext", "approximateInvokeCount"),
        ("responseContext", "functionError"),
        ("DDBStreamBatchInfo", "batchSize"),
        ("requestContext", "condition"),
    ):
        assert record[path[0]][path[1]] == aws_record[path[0]][path[1]], path


@pytest.mark.fakes_only
def test_records_older_than_the_maximum_age_are_given_up_without_another_try(aws: Any) -> None:
    dynamodb, stream_arn = streamed_table(aws)
    sqs, url, queue_arn = failure_queue(aws)

    def handler(event: Any, context: Any) -> None:
        raise RuntimeError("downstream is down")

    aws.env.lambda_.register("consumer", handler)
    map_stream(
        aws,
        stream_arn,
        MaximumRecordAgeInSeconds=60,
        MaximumRetryAttempts=-1,
        DestinationConfig={"OnFailure": {"Destination": queue_arn}},
    )
    put(dynamodb, "old")
    aws.env.run_until_idle()
    attempts = aws.env.invocations("consumer")
    assert len(attempts) > 1
    assert all(a.started_at - attempts[0].started_at <= 60 for a in attempts)
    [record] = dead_letters(sqs, url)
    assert record["requestContext"]["condition"] != "RetryAttemptsExhausted"
    assert record["DDBStreamBatchInfo"]["batchSize"] == 1
    put(dynamodb, "new")  # the shard moved on: the next record is delivered
    aws.env.run_until_idle()
    assert delivered(aws)[-1] == ["new"]


# --- faults ------------------------------------------------------------------------------
@pytest.mark.fakes_only
def test_an_injected_duplicate_delivers_a_batch_twice_in_order(aws: Any) -> None:
    dynamodb, stream_arn = streamed_table(aws)
    aws.env.lambda_.register("consumer", lambda event, context: None)
    map_stream(aws, stream_arn, BatchSize=2)
    aws.env.faults.duplicate("stream:orders", deliveries=1)
    for key in ("a", "b", "c"):
        put(dynamodb, key)
    aws.env.run_until_idle()
    assert delivered(aws) == [["a", "b"], ["a", "b"], ["c"]]


@pytest.mark.fakes_only
def test_a_handler_that_swallows_an_injected_crash_still_times_out_and_is_retried(aws: Any) -> None:
    dynamodb, stream_arn = streamed_table(aws)
    dynamodb.create_table(
        TableName="audit",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    audit = aws.client("dynamodb")

    def handler(event: Any, context: Any) -> None:
        for key in keys_of(event):
            # The point: a handler that hides every error, the injected crash included.
            with contextlib.suppress(Exception):
                audit.put_item(TableName="audit", Item={"pk": {"S": key}})

    aws.env.lambda_.register("consumer", handler)
    map_stream(aws, stream_arn)
    aws.env.faults.crash("consumer", at_call=1, when="before")
    put(dynamodb, "a")
    aws.env.run_until_idle()
    first, second = aws.env.invocations("consumer")
    assert first.error == "Sandbox.Timedout"
    assert second.error is None
    assert [i["pk"]["S"] for i in aws.env.dynamodb.items("audit")] == ["a"]


# --- configuration: on the fakes and on moto ----------------------------------------------
def test_create_mapping_answers_with_the_stream_settings(aws: Any) -> None:
    _, stream_arn = streamed_table(aws)
    client = create_function(aws)
    created = map_stream(aws, stream_arn, BatchSize=1, MaximumRetryAttempts=1)
    assert created["EventSourceArn"] == stream_arn
    assert (created["BatchSize"], created["StartingPosition"]) == (1, "TRIM_HORIZON")
    fetched = client.get_event_source_mapping(UUID=created["UUID"])
    assert fetched["FunctionArn"].endswith(":function:consumer")


@pytest.mark.fakes_only
def test_create_mapping_response_has_every_key_aws_records(aws: Any) -> None:
    # moto's answer lacks several of these keys (e.g. LastProcessingResult); AWS's is recorded.
    _, stream_arn = streamed_table(aws)
    aws.env.lambda_.register("consumer", lambda event, context: None)
    created = map_stream(
        aws, stream_arn, BatchSize=1, MaximumRetryAttempts=1, MaximumBatchingWindowInSeconds=1
    )
    aws_response = recorded("test_dynamodb_event_source_mapping")[
        "create_event_source_mapping_response"
    ]
    assert set(created) == set(aws_response)
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 202
    for key in (
        "BisectBatchOnFunctionError",
        "MaximumRecordAgeInSeconds",
        "ParallelizationFactor",
        "TumblingWindowInSeconds",
        "State",
        "StateTransitionReason",
        "LastProcessingResult",
        "DestinationConfig",
        "FunctionResponseTypes",
        "MaximumBatchingWindowInSeconds",
    ):
        assert created[key] == aws_response[key], key
