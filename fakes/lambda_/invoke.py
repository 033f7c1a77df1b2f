"""``Invoke``: RequestResponse (synchronous), Event (queued) and DryRun."""

from __future__ import annotations

import base64
import io
import json
from typing import TYPE_CHECKING, Any

from botocore.response import StreamingBody

from eventproof_fakes.lambda_.errors import lambda_error, too_large
from eventproof_fakes.lambda_.functions import LATEST, Function
from eventproof_fakes.lambda_.log_lines import tail
from eventproof_fakes.lambda_.runtime import (
    InvocationResult,
    Runtime,
    Throttled,
    decode_payload,
    encode_payload,
)
from eventproof_fakes.limits import LAMBDA_MAX_SYNC_PAYLOAD
from eventproof_fakes.operations import operation


def streaming_body(data: bytes) -> StreamingBody:
    return StreamingBody(io.BytesIO(data), len(data))


def throttled_error(reason: str) -> Exception:
    error = lambda_error("TooManyRequestsException", "Rate Exceeded.", 429)
    error.extra["Reason"] = reason
    return error


def parse_request_payload(raw: bytes | str) -> Any:
    try:
        return decode_payload(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise invalid_request_content(error) from None


def request_text(payload: Any) -> str:
    """The request payload as text, within Invoke's 6 MB limit (which counts UTF-8 bytes).

    A Python value is encoded once; ``json.dumps`` escapes every non-ASCII
    character, so its length in characters is its length in bytes.
    """
    if isinstance(payload, bytes | bytearray | str):
        raw = encode_payload(payload)
        if len(raw) > LAMBDA_MAX_SYNC_PAYLOAD:
            raise too_large(LAMBDA_MAX_SYNC_PAYLOAD, "InvokeFunction")
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise invalid_request_content(error) from None
    text = json.dumps(payload)
    if len(text) > LAMBDA_MAX_SYNC_PAYLOAD:
        raise too_large(LAMBDA_MAX_SYNC_PAYLOAD, "InvokeFunction")
    return text


def invalid_request_content(error: Exception) -> Exception:
    return lambda_error(
        "InvalidRequestContentException",
        f"Could not parse request body into json: Could not parse payload into json: {error}",
    )


class InvokeAPI(Runtime):
    """The ``Invoke`` operation and ``invoke_sync``; mixed into ``Lambda``."""

    if TYPE_CHECKING:  # provided by ``AsyncInvokeAPI``

        def invoke_async(self, function: str, payload: Any) -> str: ...

    def invoke_sync(
        self, function: str, payload: Any, *, trigger: str = "sync"
    ) -> InvocationResult:
        """Invoke synchronously, as ``RequestResponse``; throttling raises AWS's error.

        ``trigger`` names the caller when it is a service (``"apigateway"``):
        the event is recorded in ``env.deliveries`` as ``lambda:<trigger>``.
        """
        target = self.function(function)
        text = request_text(payload)
        event = parse_request_payload(text)
        try:
            invocation = self._run(
                target,
                event,
                trigger=trigger,
                invoked_arn=self._invoked_arn(target, function),
                event_text=text if text.strip() else None,
            )
        except Throttled as throttled:
            raise throttled_error(throttled.reason) from None
        if self.env.interrupted is not None:
            self._raise_interrupt_at_top_level()
        return InvocationResult(
            invocation.request_id, invocation.payload, invocation.error, invocation
        )

    @operation
    def invoke(self, params: dict[str, Any]) -> dict[str, Any]:
        reference = params["FunctionName"]
        if params.get("Qualifier"):
            reference = f"{reference}:{params['Qualifier']}"
        self.function(reference)  # unknown function: ResourceNotFound before anything else
        raw = params.get("Payload", b"")
        if hasattr(raw, "read"):
            raw = raw.read()
        raw = encode_payload(raw)
        invocation_type = params.get("InvocationType", "RequestResponse")
        if invocation_type == "DryRun":
            return {"StatusCode": 204, "_http_status": 204, "Payload": streaming_body(b"")}
        if invocation_type == "Event":
            self.invoke_async(reference, raw)
            return {"StatusCode": 202, "_http_status": 202, "Payload": streaming_body(b"")}
        result = self.invoke_sync(reference, raw)
        response: dict[str, Any] = {
            "StatusCode": 200,
            "ExecutedVersion": LATEST,
            "Payload": streaming_body(result.invocation.response_bytes),
        }
        if result.error is not None:
            response["FunctionError"] = "Unhandled"
        if params.get("LogType") == "Tail":
            response["LogResult"] = self._tail_log(result)
        return response

    @staticmethod
    def _tail_log(result: InvocationResult) -> str:
        """The last 4 KB of the invocation's log (START, what it printed, END, REPORT), base64."""
        return base64.b64encode(tail(result.invocation).encode()).decode()

    def _raise_interrupt_at_top_level(self) -> None:
        """A KeyboardInterrupt in a handler the test called directly stops the test now.

        Inside a run, or a handler calling another, ``run_until_idle`` raises
        it once the trigger has dealt with the failure.
        """
        env = self.env
        if env.interrupted is None or env.clock.wall.held:
            return
        if any(function.in_flight for function in self.functions.values()):
            return
        interrupt, env.interrupted = env.interrupted, None
        raise interrupt

    @staticmethod
    def _invoked_arn(function: Function, reference: str) -> str:
        return f"{function.arn}:{LATEST}" if reference.endswith(f":{LATEST}") else function.arn
