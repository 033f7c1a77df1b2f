"""Running one handler call: the context, the JSON round trip, errors, timeouts.

Every handler call of every trigger goes through ``Runtime._run``: it is the
one place the fault injector hooks into (``env.faults.hook``: ``throttled(name)``,
``current_invocation``, ``crash_of(request_id)``: a
crashed handler times out even if it swallowed the crash) and where every
handler event is recorded in ``env.deliveries`` (kind ``lambda:<trigger>``). A handler runs in zero virtual time
unless it advances the clock itself; if it advanced the clock beyond the
function's timeout the call counts as timed out, with AWS's error.
"""

from __future__ import annotations

import json
import traceback
from dataclasses import dataclass, field
from typing import Any

from fakes.errors import FakesError
from fakes.faults import CurrentInvocation
from fakes.lambda_.context import LambdaContext
from fakes.lambda_.functions import Function, FunctionsAPI
from fakes.limits import LAMBDA_MAX_SYNC_PAYLOAD

Trigger = str  # "sync" | "async" | "sqs" | "stream" | "pipe"


@dataclass
class Invocation:
    """One handler call, as ``aws.invocations(name)`` lists it.

    ``event`` is what the handler was given. When the caller had it as JSON
    text (a synchronous invoke), only the text is kept and parsed on first
    read: the handler cannot change it, and the record holds no object tree.
    """

    function_name: str
    request_id: str
    _event: Any = field(repr=False)
    trigger: Trigger
    attempt: int
    started_at: float
    finished_at: float = 0.0
    result: Any = None
    error: str | None = None  # AWS's errorType, e.g. "ValueError", "Sandbox.Timedout"
    error_payload: dict[str, Any] | None = None
    response_bytes: bytes = b"null"
    _event_text: str | None = field(default=None, repr=False)

    @property
    def event(self) -> Any:
        if self._event_text is not None:
            self._event = json.loads(self._event_text)
            self._event_text = None
        return self._event

    @property
    def payload(self) -> Any:
        """What the caller sees: the result, or AWS's error payload."""
        return self.error_payload if self.error is not None else self.result


@dataclass
class InvocationResult:
    """The answer of ``Lambda.invoke_sync``."""

    request_id: str
    payload: Any
    error: str | None
    invocation: Invocation

    @property
    def function_error(self) -> str | None:
        """``"Unhandled"`` when the function failed, as Invoke's ``FunctionError``."""
        return "Unhandled" if self.error is not None else None


class Throttled(FakesError):
    """The call was throttled (reserved concurrency exhausted or injected); nothing ran."""

    def __init__(self, function_name: str, reason: str) -> None:
        super().__init__(f"{function_name} throttled: {reason}")
        self.reason = reason


def decode_payload(payload: Any) -> Any:
    """bytes/str -> JSON value (empty -> ``{}``, as AWS's runtime passes); dicts as they are."""
    if isinstance(payload, bytes | bytearray):
        payload = payload.decode("utf-8")
    if isinstance(payload, str):
        return json.loads(payload) if payload.strip() else {}
    return payload


def encode_payload(payload: Any) -> bytes:
    if isinstance(payload, bytes | bytearray):
        return bytes(payload)
    if isinstance(payload, str):
        return payload.encode("utf-8")
    return json.dumps(payload).encode("utf-8")


class Runtime(FunctionsAPI):
    """Runs handlers; mixed into ``Lambda``."""

    _invocations: dict[str, list[Invocation]]
    # function name -> (the Function it was made for, its warm sandbox's log stream)
    _log_streams: dict[str, tuple[Function, str]]

    def invocations(self, name: str) -> list[Invocation]:
        """Every handler call of function ``name`` so far, oldest first."""
        return list(self._invocations.get(name, []))

    def _run(
        self,
        function: Function,
        event: Any,
        *,
        trigger: Trigger,
        attempt: int = 1,
        request_id: str | None = None,
        invoked_arn: str | None = None,
        event_text: str | None = None,
    ) -> Invocation:
        """Call the handler once; raises ``Throttled`` instead of running it.

        ``event_text``, when given, is ``event`` as JSON text: the handler gets
        ``event``, the records keep the text.
        """
        env = self.env
        faults = env.faults.hook
        if faults.throttled(function.name):
            raise Throttled(function.name, "injected")
        limit = function.reserved_concurrency
        if limit is not None and function.in_flight >= limit:
            raise Throttled(function.name, "ReservedFunctionConcurrentInvocationLimitExceeded")
        request_id = request_id or env.ids.uuid()
        started = env.clock.now()
        if event_text is None:
            invocation = Invocation(function.name, request_id, event, trigger, attempt, started)
        else:
            invocation = Invocation(
                function.name, request_id, None, trigger, attempt, started, _event_text=event_text
            )
        self._invocations.setdefault(function.name, []).append(invocation)
        context = LambdaContext(
            aws_request_id=request_id,
            function_name=function.name,
            function_arn=function.arn,
            invoked_function_arn=invoked_arn or function.arn,
            memory_limit_in_mb=function.memory,
            timeout_seconds=function.timeout,
            log_stream_name=self._log_stream_name(function),
            started_at=started,
            now=env.clock.now,
        )
        if event_text is None:
            env.deliveries.record("lambda:" + trigger, function.arn, event, started)
        else:
            env.deliveries.record_json("lambda:" + trigger, function.arn, event_text, started)
        previous = faults.current_invocation
        faults.current_invocation = CurrentInvocation(function.name, request_id, function.timeout)
        function.in_flight += 1
        try:
            result = function.handler(event, context)
        except Exception as error:
            self._fail_with_exception(invocation, faults.crash_of(request_id) or error)
        else:
            crash = faults.crash_of(request_id)
            if crash is not None:
                # The handler swallowed the injected crash; the sandbox still timed out.
                self._fail_with_exception(invocation, crash)
            else:
                self._succeed(invocation, result)
        finally:
            function.in_flight -= 1
            faults.current_invocation = previous
        invocation.finished_at = env.clock.now()
        if invocation.finished_at - started > function.timeout:
            self._fail(
                invocation,
                "Sandbox.Timedout",
                f"RequestId: {request_id} Error: Task timed out after {function.timeout:.2f} seconds",
            )
        return invocation

    def _succeed(self, invocation: Invocation, result: Any) -> None:
        if result is None:  # most handlers return nothing: json.dumps(None) is always "null"
            invocation.result = None
            invocation.response_bytes = b"null"
            return
        try:
            encoded = json.dumps(result).encode("utf-8")
        except (TypeError, ValueError) as error:
            self._fail(invocation, "Runtime.MarshalError", f"Unable to marshal response: {error}")
            return
        if len(encoded) > LAMBDA_MAX_SYNC_PAYLOAD:
            self._fail(
                invocation,
                "Function.ResponseSizeTooLarge",
                "Response payload size exceeded maximum allowed payload size "
                f"({LAMBDA_MAX_SYNC_PAYLOAD} bytes).",
            )
            return
        invocation.result = result
        invocation.response_bytes = encoded

    def _fail_with_exception(self, invocation: Invocation, error: BaseException) -> None:
        if getattr(error, "lambda_timeout", False):
            # The fault injector's crash looks like a timeout, as a real crash mid-call would.
            function = self.functions.get(invocation.function_name)
            seconds = function.timeout if function else 0
            self._fail(
                invocation,
                "Sandbox.Timedout",
                f"RequestId: {invocation.request_id} Error: Task timed out after "
                f"{seconds:.2f} seconds",
            )
            return
        # Drop our own frame: AWS's stack trace starts in the handler's module.
        frames = traceback.extract_tb(error.__traceback__)[1:]
        self._fail(invocation, type(error).__name__, str(error), traceback.format_list(frames))

    @staticmethod
    def _fail(
        invocation: Invocation,
        error_type: str,
        message: str,
        stack: list[str] | None = None,
    ) -> None:
        payload: dict[str, Any] = {"errorMessage": message, "errorType": error_type}
        if error_type != "Sandbox.Timedout":
            payload["requestId"] = invocation.request_id
            payload["stackTrace"] = stack or []
        invocation.result = None
        invocation.error = error_type
        invocation.error_payload = payload
        invocation.response_bytes = json.dumps(payload).encode("utf-8")

    def _log_stream_name(self, function: Function) -> str:
        """One log stream per function: AWS reuses a warm sandbox, and its stream, across calls.

        Simplified: one sandbox per function, named on its first call; a
        re-created function (a new ``Function``) gets a new one.
        """
        streams = self.__dict__.setdefault("_log_streams", {})
        known = streams.get(function.name)
        if known is not None and known[0] is function:
            return known[1]
        day = self.env.clock.now_datetime().strftime("%Y/%m/%d")
        name = f"{day}/[$LATEST]{self.env.ids.hex(32)}"
        streams[function.name] = (function, name)
        return name
