"""Running one handler call: the context, the JSON round trip, errors, timeouts.

Every handler call of every trigger goes through ``Runtime._run``: it is the
one place the fault injector hooks into (``env.faults.hook``: ``throttled(name)``,
``current_invocation``, ``crash_of(request_id)``: a
crashed handler times out even if it swallowed the crash) and where every
handler event is recorded in ``env.deliveries`` (kind ``lambda:<trigger>``).
The handler runs inside its function's execution environment
(``eventproof_fakes.lambda_.sandbox``: os.environ, modules, captured output, boto3 bound
to the fakes) with the process's wall clock on the virtual clock
(``eventproof_fakes.wall_time``). A handler runs in zero virtual time unless it
advances the clock itself; if it advanced the clock beyond the function's
timeout the call counts as timed out, with AWS's error. Whatever it raises,
``BaseException`` included, is a failed invocation, never an exception out
of the fakes.
"""

from __future__ import annotations

import json
import traceback
from dataclasses import dataclass, field
from typing import Any

from eventproof_fakes.errors import FakesError
from eventproof_fakes.faults import CurrentInvocation
from eventproof_fakes.lambda_.context import LambdaContext
from eventproof_fakes.lambda_.functions import Function, FunctionsAPI
from eventproof_fakes.lambda_.output import CapturedLog, InitOutput
from eventproof_fakes.lambda_.sandbox import ExecutionEnvironment, Fault, safe_str
from eventproof_fakes.limits import LAMBDA_MAX_SYNC_PAYLOAD
from eventproof_fakes.records import Records

Trigger = str  # "sync" | "async" | "pipe" | "apigateway" | an event source kind's ("sqs", "stream", "kinesis")
# Errors the platform reports (no requestId, no stackTrace in the payload).
_PLATFORM_ERRORS = frozenset({"Sandbox.Timedout", "Runtime.ExitError"})


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
    log_stream: str = ""
    log: CapturedLog | None = field(default=None, repr=False)  # what the handler wrote
    init_log: CapturedLog | None = field(default=None, repr=False)  # a cold start's init output
    cold_start: bool = False
    exit_type: str | None = None  # the BaseException that ended the runtime (Runtime.ExitError)
    memory_mb: int = 128
    runtime: str = "python3.12"

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

    _invocations: dict[str, Records[Invocation]]

    def invocations(self, name: str) -> list[Invocation]:
        """Every handler call of function ``name`` so far, oldest first.

        With ``FakeAWS(max_records=N)`` only the newest N are kept
        (``record=False``: none); ``invocations_dropped`` counts the others.
        """
        calls = self._invocations.get(name)
        return list(calls) if calls is not None else []

    def invocations_dropped(self, name: str) -> int:
        """How many handler calls of ``name`` are no longer kept (``FakeAWS(max_records=...)``)."""
        calls = self._invocations.get(name)
        return calls.dropped if calls is not None else 0

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
        calls = self._invocations.get(function.name)
        if calls is None:
            calls = self._invocations[function.name] = Records(env.max_records)
        calls.append(invocation)
        sandbox = function.sandbox
        if sandbox is None:
            sandbox = function.sandbox = ExecutionEnvironment(
                env, function, self._new_log_stream_name()
            )
        invocation.log_stream = sandbox.log_stream
        invocation.memory_mb = function.memory
        invocation.runtime = function.runtime
        context = LambdaContext(
            aws_request_id=request_id,
            function_name=function.name,
            function_arn=function.arn,
            invoked_function_arn=invoked_arn or function.arn,
            memory_limit_in_mb=function.memory,
            timeout_seconds=function.timeout,
            log_stream_name=sandbox.log_stream,
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
        wall_time = env.clock.wall
        saved = sandbox.enter(request_id, invocation)
        wall_time.enter()
        fault: Fault | None = None
        failure: BaseException | None = None
        exited: BaseException | None = None
        result: Any = None
        try:
            if not sandbox.initialised:  # a cold start: Lambda's init phase, in the sandbox
                init = InitOutput()
                sandbox.capture_into(init)
                fault = sandbox.initialise()
                sandbox.capture_into(invocation)
                invocation.cold_start = True
                invocation.init_log = init.log
            if fault is None:
                # The handler runs with the environment's lock released: the threads it
                # starts may call the fakes while it waits for them (eventproof_fakes.locking).
                held = env.handler_runs.hand_over()
                try:
                    result = sandbox.handler(event, context)  # type: ignore[misc]
                finally:
                    env.handler_runs.take_back(held)
        except Exception as error:
            failure = faults.crash_of(request_id) or error
        except BaseException as error:
            exited = error
        finally:
            wall_time.leave()
            sandbox.leave(saved)
            function.in_flight -= 1
            faults.current_invocation = previous
        if (fault is not None or exited is not None) and function.sandbox is sandbox:
            # A failed init is tried again, and an exited runtime replaced, by the next call.
            function.sandbox = None
        if fault is not None:
            self._fail(invocation, *fault)
        elif exited is not None:
            self._runtime_exited(invocation, exited)
        elif failure is not None:
            self._fail_with_exception(invocation, failure)
        else:
            crash = faults.crash_of(request_id)
            if crash is not None:
                # The handler swallowed the injected crash; the sandbox still timed out.
                self._fail_with_exception(invocation, crash)
            else:
                self._succeed(invocation, result)
        invocation.finished_at = env.clock.now()
        if invocation.finished_at - started > function.timeout:
            self._fail(
                invocation,
                "Sandbox.Timedout",
                f"RequestId: {request_id} Error: Task timed out after {function.timeout:.2f} seconds",
            )
        if invocation.error == "Sandbox.Timedout" and function.sandbox is sandbox:
            # "If the Lambda function crashes or times out during the Invoke phase, Lambda
            # resets the execution environment" (lambda-runtime-environment.html).
            function.sandbox = None
        return invocation

    def _succeed(self, invocation: Invocation, result: Any) -> None:
        if result is None:  # most handlers return nothing: json.dumps(None) is always "null"
            invocation.result = None
            invocation.response_bytes = b"null"
            return
        try:
            encoded = json.dumps(result).encode("utf-8")
        except Exception as error:  # the result's own code may raise anything while encoded
            self._fail(
                invocation, "Runtime.MarshalError", f"Unable to marshal response: {safe_str(error)}"
            )
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
        self._fail(invocation, type(error).__name__, safe_str(error), traceback.format_list(frames))

    def _runtime_exited(self, invocation: Invocation, error: BaseException) -> None:
        """``sys.exit``, ``KeyboardInterrupt``, ``GeneratorExit``...: Lambda's runtime process ends.

        The invocation fails with ``Runtime.ExitError`` and the execution
        environment is gone (the next invocation is a cold start). A
        ``KeyboardInterrupt`` also stops ``run_until_idle`` once the trigger
        has dealt with the failure, so every message is where AWS leaves it.
        """
        if isinstance(error, SystemExit):
            code = error.code
            status = 0 if code is None else code if isinstance(code, int) else 1
            reason = (
                f"Runtime exited with error: exit status {status}"
                if status
                else "Runtime exited without providing a reason"
            )
        elif isinstance(error, KeyboardInterrupt):
            reason = "Runtime exited with error: signal: interrupt"
            self.env.interrupted = error
        else:
            reason = "Runtime exited with error: exit status 1"
        invocation.exit_type = type(error).__name__
        self._fail(
            invocation, "Runtime.ExitError", f"RequestId: {invocation.request_id} Error: {reason}"
        )

    @staticmethod
    def _fail(
        invocation: Invocation,
        error_type: str,
        message: str,
        stack: list[str] | None = None,
    ) -> None:
        payload: dict[str, Any] = {"errorMessage": message, "errorType": error_type}
        if error_type not in _PLATFORM_ERRORS:
            payload["requestId"] = invocation.request_id
            payload["stackTrace"] = stack or []
        invocation.result = None
        invocation.error = error_type
        invocation.error_payload = payload
        invocation.response_bytes = json.dumps(payload).encode("utf-8")

    def _new_log_stream_name(self) -> str:
        """A new execution environment's log stream: ``2026/01/01/[$LATEST]<32 hex>``."""
        day = self.env.clock.now_datetime().strftime("%Y/%m/%d")
        return f"{day}/[$LATEST]{self.env.ids.hex(32)}"
