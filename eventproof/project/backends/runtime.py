"""Lambda's Python runtime, in this process, for backends that cannot run a function themselves.

moto stores a Python function but needs Docker to run it; an endpoint's
functions run where the endpoint is. So on those backends eventproof runs
the function itself, as Lambda would: ``Function.invoke`` imports the
function's handler from its own code folder (``eventproof_fakes.lambda_.modules``: two
functions' ``app.py`` are two modules), inside an ``os.environ`` holding
exactly Lambda's variables and the function's ``Environment.Variables``,
with a context object, stdout and stderr captured into the invocation's log.
Clients the module makes at import time are made then, so they bind to
whatever the backend binds boto3 to (``moto.mock_aws``, or ``AWS_ENDPOINT_URL``).

``CallWatch`` sees every boto3 call while it is open: observers (the
``emits`` check), the running invocation and the number of its call (what a
crash point counts), and an armed crash that kills the invocation at its
n-th call, before or after the call took effect.

Simplified: the function is cold-started for every run (the bench's runs
must not share module state); a handler's ``Timeout`` is not enforced
(a crash stands for it); ``os.environ`` is swapped process-wide while the
handler runs.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import botocore.client

from eventproof_fakes.lambda_.context import LambdaContext
from eventproof_fakes.lambda_.modules import CodeNamespace
from eventproof_fakes.patching import Patch, patched

__all__ = ["Call", "CallWatch", "Crash", "Function", "FunctionSpec", "Invocation", "failure_of"]


@dataclass(frozen=True)
class FunctionSpec:
    """What Lambda knows of a function: its name, handler, code folder, environment, limits."""

    name: str
    arn: str
    handler: str  # module.attribute, e.g. app.lambda_handler
    folder: Path
    environment: dict[str, str]
    timeout: float = 3
    memory: int = 128
    region: str = "us-east-1"
    async_attempts: int = 3  # an asynchronous invocation's tries: 1 + MaximumRetryAttempts (2)


@dataclass
class Invocation:
    """One invocation: its request id, result or error, and its log."""

    function_name: str
    request_id: str
    payload: Any = None
    error: str | None = None  # Lambda's errorType, None when the handler returned
    log: str = ""
    calls: int = 0
    crashed: bool = False


@dataclass(frozen=True)
class Call:
    """A boto3 call, as ``eventproof_fakes.fault_hook.ObservedCall`` describes one on the fakes."""

    service: str
    operation: str
    params: dict[str, Any]
    invocation: Invocation | None
    number: int


class Crash(Exception):
    """The handler died at one of its AWS calls (a Lambda timeout kills it the same way)."""


@dataclass
class _ArmedCrash:
    function_name: str
    at_call: int
    when: Literal["before", "after"]
    fired: str | None = None


@dataclass
class CallWatch:
    """Every boto3 call while open: observed, counted per invocation, crashed on demand.

    ``internal()`` marks eventproof's own calls (observing, routing): they
    are neither observed nor counted. ``after`` gets every successful call
    outside ``internal()`` with its response (e.g. to route published events).
    """

    observers: list[Callable[[Call], None]] = field(default_factory=list)
    after: Callable[[Call, dict[str, Any]], None] | None = None
    current: Invocation | None = None
    crash: _ArmedCrash | None = None
    _internal: int = 0

    def patch(self) -> Patch[None]:
        return patched("eventproof CallWatch", (botocore.client.BaseClient, "_make_api_call", self._wrap))

    @contextlib.contextmanager
    def internal(self) -> Iterator[None]:
        self._internal += 1
        try:
            yield
        finally:
            self._internal -= 1

    def arm_crash(self, function_name: str, at_call: int, when: Literal["before", "after"]) -> None:
        self.crash = _ArmedCrash(function_name, at_call, when)

    def _wrap(self, original: Callable[..., Any]) -> Callable[..., Any]:
        watch = self

        def make_api_call(client: Any, operation: str, params: dict[str, Any]) -> Any:
            if watch._internal:
                return original(client, operation, params)
            invocation = watch.current
            if invocation is not None and invocation.crashed:
                raise Crash("the sandbox is frozen: the invocation crashed")
            number = 0
            if invocation is not None:
                invocation.calls += 1
                number = invocation.calls
            call = Call(client.meta.service_model.service_name, operation, params, invocation, number)
            for observer in list(watch.observers):
                observer(call)
            watch._maybe_crash(call, "before")
            response = original(client, operation, params)
            watch._maybe_crash(call, "after")
            if watch.after is not None:
                with watch.internal():
                    watch.after(call, response)
            return response

        return make_api_call

    def _maybe_crash(self, call: Call, when: str) -> None:
        armed, invocation = self.crash, call.invocation
        if (armed is None or armed.fired or invocation is None or armed.when != when
                or invocation.function_name != armed.function_name or call.number != armed.at_call):
            return
        effect = "before it took effect" if when == "before" else "after it took effect"
        armed.fired = (f"crash: {invocation.function_name} (request {invocation.request_id}) died at "
                       f"its AWS call #{call.number}, {call.service}.{call.operation}, {effect}")
        invocation.crashed = True
        raise Crash(armed.fired)


class Function:
    """One function's warm sandbox: its module namespace, imported on the first invocation."""

    def __init__(self, spec: FunctionSpec, watch: CallWatch, *,
                 extra_environment: dict[str, str | None] | None = None) -> None:
        self.spec = spec
        self.watch = watch
        self.extra_environment = dict(extra_environment or {})
        self._namespace: CodeNamespace | None = None
        self._handler: Callable[[Any, Any], Any] | None = None

    def variables(self, request_id: str) -> dict[str, str]:
        """``os.environ`` inside the function: Lambda's reserved variables, then its own."""
        spec = self.spec
        variables = {
            "LANG": "en_US.UTF-8", "TZ": ":UTC",
            "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin/:/bin"),
            "LAMBDA_TASK_ROOT": str(spec.folder), "LAMBDA_RUNTIME_DIR": "/var/runtime",
            "_HANDLER": spec.handler, "AWS_REGION": spec.region, "AWS_DEFAULT_REGION": spec.region,
            "AWS_EXECUTION_ENV": "AWS_Lambda_python3.12", "AWS_LAMBDA_FUNCTION_NAME": spec.name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory),
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST", "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{spec.name}",
            "AWS_LAMBDA_LOG_STREAM_NAME": f"eventproof/[$LATEST]{request_id.replace('-', '')}",
            # The execution role's keys; an endpoint backend puts its session's here.
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
        }
        for key, value in self.extra_environment.items():  # None: not set at all
            if value is None:
                variables.pop(key, None)
            else:
                variables[key] = value
        variables.update(spec.environment)
        return variables

    def cold_start(self) -> None:
        """Forget the imported module: the next invocation imports it again (a new sandbox)."""
        self._namespace = None
        self._handler = None

    def invoke(self, event: Any) -> Invocation:
        spec = self.spec
        invocation = Invocation(spec.name, str(uuid.uuid4()))
        log = io.StringIO()
        saved = dict(os.environ)
        previous, self.watch.current = self.watch.current, invocation
        started = time.time()  # the wall clock: the backend may hold it still for a run
        os.environ.clear()
        os.environ.update(self.variables(invocation.request_id))
        namespace = self._namespace or CodeNamespace(spec.folder)
        namespace.enter()
        try:
            with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
                handler = self._load(namespace)
                context = LambdaContext(
                    aws_request_id=invocation.request_id, function_name=spec.name,
                    function_arn=spec.arn, invoked_function_arn=spec.arn,
                    memory_limit_in_mb=spec.memory, timeout_seconds=spec.timeout,
                    log_stream_name=os.environ["AWS_LAMBDA_LOG_STREAM_NAME"], started_at=started,
                    now=time.time)
                invocation.payload = handler(event, context)
        except Exception as error:  # the handler's own failure is the invocation's result
            invocation.error = type(error).__name__
            invocation.payload = {"errorType": invocation.error, "errorMessage": str(error),
                                  "stackTrace": traceback.format_exception(error)[-3:]}
        finally:
            namespace.leave()
            os.environ.clear()
            os.environ.update(saved)
            self.watch.current = previous
        if invocation.crashed:
            # Whatever the handler did with the exception, Lambda ended the invocation.
            invocation.error = "Sandbox.Timedout"
            invocation.payload = {"errorType": invocation.error,
                                  "errorMessage": f"Task timed out after {spec.timeout:.2f} seconds"}
            self.cold_start()
        invocation.log = log.getvalue()
        return invocation

    def _load(self, namespace: CodeNamespace) -> Callable[[Any, Any], Any]:
        if self._handler is None:
            module_name, _, attribute = self.spec.handler.rpartition(".")
            self._namespace = namespace
            module = importlib.import_module(module_name)
            handler = getattr(module, attribute, None)
            if not callable(handler):
                raise AttributeError(f"Handler '{attribute}' missing on module '{module_name}'")
            self._handler = handler
        return self._handler


def failure_of(invocation: Invocation, *, batch_item_failures: bool = False) -> str | None:
    """How an invocation failed (Lambda's errorType, an HTTP error status), or None.

    ``batch_item_failures``: a partial batch response naming items is a
    failure too (where no queue redelivers them to a dead-letter queue).
    """
    if invocation.error is not None:
        return invocation.error
    result = invocation.payload
    if isinstance(result, dict):
        if isinstance(result.get("statusCode"), int) and result["statusCode"] >= 400:
            return f"HTTP {result['statusCode']}"
        if batch_item_failures and result.get("batchItemFailures"):
            return "batchItemFailures"
    return None
