"""Handlers that raise BaseException: a failed invocation (Runtime.ExitError), never an escape.

AWS's Python runtime catches ``Exception`` only; anything else ends the
runtime process, and Lambda reports ``Runtime.ExitError``
(https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-invocation.html).
The trigger then retries as it does for any function error.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eventproof_fakes import FakeAWS
from tests.unit.fakes.lambda_.code_folders import deploy, invoke, write_folder


class UnprintableError(Exception):
    def __str__(self) -> str:
        raise RuntimeError("no text for you")


def failing_once(error: BaseException) -> Any:
    calls: list[Any] = []

    def handler(event: Any, context: Any) -> str:
        calls.append(event)
        if len(calls) == 1:
            raise error
        return "ok"

    handler.calls = calls  # type: ignore[attr-defined]
    return handler


EXITS = [
    (SystemExit(1), "Runtime.ExitError", "Runtime exited with error: exit status 1"),
    (SystemExit(0), "Runtime.ExitError", "Runtime exited without providing a reason"),
    (SystemExit("bye"), "Runtime.ExitError", "Runtime exited with error: exit status 1"),
    (GeneratorExit(), "Runtime.ExitError", "Runtime exited with error: exit status 1"),
    (type("Custom", (BaseException,), {})(), "Runtime.ExitError", "exit status 1"),
    (UnprintableError(), "UnprintableError", "<unprintable UnprintableError object>"),
]


@pytest.fixture
def aws() -> FakeAWS:
    return FakeAWS()


@pytest.mark.parametrize(("error", "error_type", "message"), EXITS)
def test_a_synchronous_invoke_fails_with_the_error_type(
    aws: FakeAWS, error: BaseException, error_type: str, message: str
) -> None:
    aws.lambda_.register("f", failing_once(error))
    response = aws.client("lambda").invoke(FunctionName="f", Payload=b"{}")
    payload = json.loads(response["Payload"].read())
    assert response["FunctionError"] == "Unhandled"
    assert payload["errorType"] == error_type
    assert payload["errorMessage"].endswith(message)
    assert aws.invocations("f")[0].error == error_type


@pytest.mark.parametrize(("error", "error_type", "message"), EXITS)
def test_an_sqs_batch_whose_handler_exits_comes_back_and_is_retried(
    aws: FakeAWS, error: BaseException, error_type: str, message: str
) -> None:
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName="jobs", Attributes={"VisibilityTimeout": "30"})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"]
    handler = failing_once(error)
    aws.lambda_.register("worker", handler)
    aws.client("lambda").create_event_source_mapping(EventSourceArn=arn, FunctionName="worker")
    sqs.send_message(QueueUrl=url, MessageBody="job-1")
    aws.run_until_idle()  # does not raise
    first, second = aws.invocations("worker")
    assert (first.error, second.error) == (error_type, None)
    assert second.started_at - first.started_at == 30  # back after the visibility timeout
    assert sqs.receive_message(QueueUrl=url).get("Messages", []) == []  # deleted on success


@pytest.mark.parametrize(("error", "error_type", "message"), EXITS[:2])
def test_an_async_event_whose_handler_exits_is_retried_after_a_minute(
    aws: FakeAWS, error: BaseException, error_type: str, message: str
) -> None:
    aws.lambda_.register("f", failing_once(error))
    aws.client("lambda").invoke(FunctionName="f", InvocationType="Event", Payload=b'{"n": 1}')
    aws.run_until_idle()
    first, second = aws.invocations("f")
    assert (first.error, second.error, second.attempt) == (error_type, None, 2)
    assert second.started_at - first.started_at == 60


def test_a_stream_batch_whose_handler_exits_blocks_the_shard_and_is_retried(
    aws: FakeAWS,
) -> None:
    dynamodb = aws.client("dynamodb")
    table = dynamodb.create_table(
        TableName="Orders",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )["TableDescription"]
    handler = failing_once(SystemExit(3))
    aws.lambda_.register("projector", handler)
    aws.client("lambda").create_event_source_mapping(
        EventSourceArn=table["LatestStreamArn"], FunctionName="projector",
        StartingPosition="TRIM_HORIZON",
    )
    dynamodb.put_item(TableName="Orders", Item={"id": {"S": "o-1"}})
    aws.run_until_idle()
    first, second = aws.invocations("projector")
    assert first.error == "Runtime.ExitError" and second.error is None
    assert first.error_payload is not None
    assert first.error_payload["errorMessage"].endswith("exit status 3")
    assert first.event == second.event


def test_keyboard_interrupt_stops_the_run_and_leaves_the_message_in_the_queue(
    aws: FakeAWS,
) -> None:
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName="jobs", Attributes={"VisibilityTimeout": "30"})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"]
    aws.lambda_.register("worker", failing_once(KeyboardInterrupt()))
    aws.client("lambda").create_event_source_mapping(EventSourceArn=arn, FunctionName="worker")
    sqs.send_message(QueueUrl=url, MessageBody="job-1")
    with pytest.raises(KeyboardInterrupt):
        aws.run_until_idle()
    [interrupted] = aws.invocations("worker")
    assert interrupted.error == "Runtime.ExitError" and interrupted.exit_type == "KeyboardInterrupt"
    aws.run_until_idle()  # the next run picks the message up again, after its visibility timeout
    assert [i.error for i in aws.invocations("worker")] == ["Runtime.ExitError", None]


def test_sys_exit_ends_the_execution_environment_the_next_call_starts_cold(
    aws: FakeAWS, tmp_path: Path
) -> None:
    folder = write_folder(tmp_path / "code", {"app.py": """
        import sys
        STARTS = []
        STARTS.append(1)

        def lambda_handler(event, context):
            if event.get("exit"):
                sys.exit(2)
            return len(STARTS)
    """})
    client = deploy(aws, "exits", folder)
    assert invoke(client, "exits")[0] == 1
    payload, function_error = invoke(client, "exits", {"exit": True})
    assert (function_error, payload["errorType"]) == ("Unhandled", "Runtime.ExitError")
    assert set(payload) == {"errorType", "errorMessage"}
    assert invoke(client, "exits")[0] == 1  # a fresh module: a new init
    streams = [i.log_stream for i in aws.invocations("exits")]
    assert streams[0] == streams[1] != streams[2]


def test_keyboard_interrupt_in_a_direct_synchronous_invoke_stops_the_test_after_recording_it(
    aws: FakeAWS,
) -> None:
    aws.lambda_.register("f", failing_once(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        aws.lambda_.invoke_sync("f", {})
    [interrupted] = aws.invocations("f")
    assert interrupted.error == "Runtime.ExitError"
    assert aws.interrupted is None  # raised once, not again by the next run
    assert aws.run_until_idle() == 0


def test_a_result_whose_encoding_raises_is_a_marshal_error_not_an_escape(aws: FakeAWS) -> None:
    class Exploding(list):  # type: ignore[type-arg]
        def __iter__(self) -> Any:
            raise RuntimeError("cannot iterate")

    nested: list[Any] = []
    deep = nested
    for _ in range(100_000):
        deep.append([])
        deep = deep[0]
    aws.lambda_.register("exploding", lambda event, context: Exploding([1]))
    aws.lambda_.register("deep", lambda event, context: nested)
    for name in ("exploding", "deep"):
        result = aws.lambda_.invoke_sync(name, {})
        assert result.error == "Runtime.MarshalError"
