from __future__ import annotations

import base64
import io
import json
import zipfile
from typing import Any

import pytest
from botocore.exceptions import ClientError

from eventproof_fakes import AWSError, FakeAWS
from eventproof_fakes.limits import LAMBDA_MAX_SYNC_PAYLOAD


def echo(event: Any, context: Any) -> dict[str, Any]:
    return {"event": event, "request_id": context.aws_request_id}


def boom(event: Any, context: Any) -> None:
    raise ValueError("intentional failure")


@pytest.fixture
def aws() -> FakeAWS:
    return FakeAWS()


def test_register_returns_the_function_arn_and_get_function_describes_it(aws: FakeAWS) -> None:
    arn = aws.lambda_.register("echo", echo, timeout=10, memory=256)
    assert arn == "arn:aws:lambda:us-east-1:123456789012:function:echo"
    config = aws.client("lambda").get_function(FunctionName="echo")["Configuration"]
    assert (config["FunctionArn"], config["Timeout"], config["MemorySize"]) == (arn, 10, 256)


def test_request_response_returns_the_json_result_as_a_streaming_body(aws: FakeAWS) -> None:
    aws.lambda_.register("echo", echo)
    response = aws.client("lambda").invoke(FunctionName="echo", Payload=b'{"a": 1}')
    payload = json.loads(response["Payload"].read())
    assert response["StatusCode"] == 200
    assert response["ExecutedVersion"] == "$LATEST"
    assert "FunctionError" not in response
    assert payload["event"] == {"a": 1}
    assert payload["request_id"] == aws.invocations("echo")[0].request_id


def test_a_raised_exception_gives_function_error_unhandled_and_aws_error_payload(
    aws: FakeAWS,
) -> None:
    aws.lambda_.register("boom", boom)
    response = aws.client("lambda").invoke(FunctionName="boom", Payload=b"{}")
    payload = json.loads(response["Payload"].read())
    assert response["FunctionError"] == "Unhandled"
    assert response["StatusCode"] == 200
    assert set(payload) == {"errorMessage", "errorType", "requestId", "stackTrace"}
    assert (payload["errorType"], payload["errorMessage"]) == ("ValueError", "intentional failure")
    assert 'raise ValueError("intentional failure")' in payload["stackTrace"][-1]
    assert "test_invoke.py" in payload["stackTrace"][0]


def test_event_returns_202_and_runs_only_when_the_environment_is_driven(aws: FakeAWS) -> None:
    aws.lambda_.register("echo", echo)
    response = aws.client("lambda").invoke(
        FunctionName="echo", InvocationType="Event", Payload=b'{"n": 1}'
    )
    assert response["StatusCode"] == 202
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert aws.invocations("echo") == []
    aws.run_until_idle()
    [invocation] = aws.invocations("echo")
    assert (invocation.trigger, invocation.event, invocation.attempt) == ("async", {"n": 1}, 1)


def test_dry_run_returns_204_and_runs_nothing(aws: FakeAWS) -> None:
    aws.lambda_.register("echo", echo)
    response = aws.client("lambda").invoke(FunctionName="echo", InvocationType="DryRun")
    assert response["StatusCode"] == 204
    aws.run_until_idle()
    assert aws.invocations("echo") == []


def test_an_unknown_function_is_resource_not_found_with_aws_message(aws: FakeAWS) -> None:
    client = aws.client("lambda")
    with pytest.raises(client.exceptions.ResourceNotFoundException) as caught:
        client.invoke(FunctionName="nope", Payload=b"{}")
    assert caught.value.response["Error"]["Message"] == (
        "Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope"
    )


def test_payloads_over_the_sync_limit_are_rejected_as_aws_does(aws: FakeAWS) -> None:
    aws.lambda_.register("echo", echo)
    big = json.dumps({"x": "a" * LAMBDA_MAX_SYNC_PAYLOAD}).encode()
    with pytest.raises(ClientError) as caught:
        aws.client("lambda").invoke(FunctionName="echo", Payload=big)
    assert caught.value.response["Error"]["Code"] == "RequestEntityTooLargeException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413


def test_async_payloads_over_one_mebibyte_are_rejected(aws: FakeAWS) -> None:
    aws.lambda_.register("echo", echo)
    payload = json.dumps({"x": "a" * (1024 * 1024)}).encode()
    with pytest.raises(ClientError) as caught:
        aws.client("lambda").invoke(FunctionName="echo", InvocationType="Event", Payload=payload)
    assert caught.value.response["Error"]["Code"] == "RequestEntityTooLargeException"
    aws.client("lambda").invoke(FunctionName="echo", Payload=payload)  # fine synchronously


def test_a_result_that_is_not_json_is_a_marshal_error(aws: FakeAWS) -> None:
    aws.lambda_.register("sets", lambda event, context: {1, 2})
    result = aws.lambda_.invoke_sync("sets", {})
    assert result.error == "Runtime.MarshalError"
    assert result.function_error == "Unhandled"
    assert result.payload["errorMessage"].startswith("Unable to marshal response:")


def test_the_context_counts_down_on_the_virtual_clock_and_a_late_handler_times_out(
    aws: FakeAWS,
) -> None:
    seen: list[int] = []

    def waits(event: Any, context: Any) -> str:
        seen.append(context.get_remaining_time_in_millis())
        aws.clock.advance(4)
        seen.append(context.get_remaining_time_in_millis())
        return "done"

    aws.lambda_.register("waits", waits, timeout=3)
    result = aws.lambda_.invoke_sync("waits", {})
    assert seen == [3000, 0]
    assert result.error == "Sandbox.Timedout"
    assert result.payload["errorMessage"].endswith("Task timed out after 3.00 seconds")


def test_the_context_carries_aws_fields(aws: FakeAWS) -> None:
    contexts: list[Any] = []
    aws.lambda_.register("ctx", lambda event, context: contexts.append(context), memory=512)
    aws.lambda_.invoke_sync("ctx:$LATEST", {})
    [context] = contexts
    assert context.function_name == "ctx"
    assert context.function_version == "$LATEST"
    assert context.invoked_function_arn.endswith("function:ctx:$LATEST")
    assert context.function_arn.endswith("function:ctx")
    assert context.memory_limit_in_mb == "512"
    assert context.log_group_name == "/aws/lambda/ctx"
    assert context.log_stream_name.startswith("2026/01/01/[$LATEST]")


def a_zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_create_function_runs_a_handler_the_runtime_provides_when_the_zip_lacks_it(
    aws: FakeAWS,
) -> None:
    client = aws.client("lambda")
    response = client.create_function(
        FunctionName="dumps",
        Runtime="python3.12",
        Role="arn:aws:iam::123456789012:role/r",
        Handler="json.dumps",
        Code={"ZipFile": a_zip({"README.txt": "nothing here"})},
    )
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert response["CodeSize"] > 0 and response["CodeSha256"]
    assert [f["FunctionName"] for f in client.list_functions()["Functions"]] == ["dumps"]
    # json.dumps(event, context) was found in the runtime's libraries, and called as a handler.
    payload = json.loads(client.invoke(FunctionName="dumps", Payload=b"[1]")["Payload"].read())
    assert payload["errorType"] == "TypeError"
    assert "positional argument" in payload["errorMessage"]
    client.delete_function(FunctionName="dumps")
    assert client.list_functions()["Functions"] == []


def test_create_function_refuses_bytes_that_are_not_a_zip(aws: FakeAWS) -> None:
    client = aws.client("lambda")
    with pytest.raises(client.exceptions.InvalidParameterValueException) as caught:
        client.create_function(
            FunctionName="f",
            Runtime="python3.12",
            Role="arn:aws:iam::123456789012:role/r",
            Handler="app.handler",
            Code={"ZipFile": b"not a zip"},
        )
    assert "Could not unzip uploaded file" in caught.value.response["Error"]["Message"]


def test_an_unimportable_handler_is_a_failed_invocation_with_runtime_import_module_error(
    aws: FakeAWS,
) -> None:
    client = aws.client("lambda")
    client.create_function(
        FunctionName="f",
        Runtime="python3.12",
        Role="arn:aws:iam::123456789012:role/r",
        Handler="no_such_module_here.handler",
        Code={"ZipFile": a_zip({"README.txt": ""})},
    )
    response = client.invoke(FunctionName="f", Payload=b"{}")
    payload = json.loads(response["Payload"].read())
    assert response["FunctionError"] == "Unhandled"
    assert payload["errorType"] == "Runtime.ImportModuleError"
    assert payload["errorMessage"] == (
        "Unable to import module 'no_such_module_here': No module named 'no_such_module_here'"
    )


def test_reserved_concurrency_zero_throttles_synchronous_calls(aws: FakeAWS) -> None:
    aws.lambda_.register("echo", echo)
    client = aws.client("lambda")
    client.put_function_concurrency(FunctionName="echo", ReservedConcurrentExecutions=0)
    with pytest.raises(client.exceptions.TooManyRequestsException):
        client.invoke(FunctionName="echo", Payload=b"{}")
    client.delete_function_concurrency(FunctionName="echo")
    assert client.invoke(FunctionName="echo", Payload=b"{}")["StatusCode"] == 200


def test_every_handler_call_consults_the_fault_injector_and_names_itself(aws: FakeAWS) -> None:
    seen: list[Any] = []
    aws.lambda_.register("echo", lambda event, context: seen.append(aws.faults.hook.current_invocation))
    aws.faults.throttle("echo", times=1)
    with pytest.raises(AWSError) as caught:
        aws.lambda_.invoke_sync("echo", {})
    assert caught.value.code == "TooManyRequestsException"
    seen.append("first call throttled")
    result = aws.lambda_.invoke_sync("echo", {})
    current = seen[-1]
    assert (current.function_name, current.request_id) == ("echo", result.request_id)
    assert aws.faults.hook.current_invocation is None


def test_a_handler_that_mutates_its_event_cannot_change_what_the_records_show(
    aws: FakeAWS,
) -> None:
    def vandal(event: Any, context: Any) -> None:
        event[0]["name"] = "changed"
        event.append("extra")

    aws.lambda_.register("vandal", vandal)
    sent = [{"name": "original", "price": 1.5, "tags": ["ü"]}]
    aws.lambda_.invoke_sync("vandal", sent)
    (invocation,) = aws.lambda_.invocations("vandal")
    (delivery,) = aws.deliveries.of_kind("lambda:sync")
    assert invocation.event == sent
    assert delivery.payload == sent
    assert sent == [{"name": "original", "price": 1.5, "tags": ["ü"]}]


def test_sync_payload_limit_counts_the_json_bytes_of_a_python_value(aws: FakeAWS) -> None:
    aws.lambda_.register("sink", lambda event, context: None)
    overhead = len(json.dumps({"s": ""}))
    assert aws.lambda_.invoke_sync("sink", {"s": "x" * (LAMBDA_MAX_SYNC_PAYLOAD - overhead)})
    # Non-ASCII text is escaped by the encoder: each "é" is six bytes ("\u00e9").
    fitting = (LAMBDA_MAX_SYNC_PAYLOAD - overhead) // 6
    assert aws.lambda_.invoke_sync("sink", {"s": "é" * fitting}).error is None
    with pytest.raises(AWSError) as raised:
        aws.lambda_.invoke_sync("sink", {"s": "é" * (fitting + 1)})
    assert raised.value.code == "RequestEntityTooLargeException"


def test_log_type_tail_returns_what_the_handler_printed_between_start_and_report(
    aws: FakeAWS,
) -> None:
    def chatty(event: Any, context: Any) -> None:
        print("processing", event["n"])

    aws.lambda_.register("chatty", chatty)
    response = aws.client("lambda").invoke(FunctionName="chatty", Payload=b'{"n": 7}',
                                           LogType="Tail")
    lines = base64.b64decode(response["LogResult"]).decode().splitlines()
    request_id = aws.invocations("chatty")[0].request_id
    assert lines[0] == "INIT_START Runtime Version: python:3.12"
    assert lines[1:4] == [f"START RequestId: {request_id} Version: $LATEST", "processing 7",
                          f"END RequestId: {request_id}"]
    assert lines[4].startswith(f"REPORT RequestId: {request_id}\tDuration: 0.00 ms")


def test_stdout_stderr_and_their_binary_side_all_reach_the_log(aws: FakeAWS) -> None:
    import sys

    def writer(event: Any, context: Any) -> None:
        sys.stdout.write("out\n")
        sys.stderr.write("err\n")
        sys.stdout.buffer.write("bytes ✓\n".encode())

    aws.lambda_.register("writer", writer)
    aws.lambda_.invoke_sync("writer", {})
    assert aws.logs("writer")[2:5] == ["out", "err", "bytes ✓"]


def test_printed_text_is_also_copied_to_the_callers_stdout(
    aws: FakeAWS, capsys: pytest.CaptureFixture[str]
) -> None:
    aws.lambda_.register("chatty", lambda event, context: print("visible to the test"))
    aws.lambda_.invoke_sync("chatty", {})
    assert capsys.readouterr().out == "visible to the test\n"
    assert "visible to the test" in aws.logs("chatty")
