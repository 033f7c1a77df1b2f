"""One warm execution environment of a function: its os.environ, modules, output and boto3.

While a function runs (its init, then each invocation) the process looks,
to the function's code, like its Lambda execution environment:

- ``os.environ`` holds exactly the variables Lambda sets (the reserved
  ones of https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
  plus ``LANG``, ``TZ``, ``PATH``) and the function's own
  ``Environment.Variables``; the caller's environment is back afterwards.
  What the code writes into ``os.environ`` stays in its environment, as in
  a warm sandbox;
- the function's code folder provides its modules (``CodeNamespace``);
- ``sys.stdout``, ``sys.stderr`` and the root logger write into the
  invocation's log (``eventproof_fakes.lambda_.output``);
- every boto3/botocore client created (at import or in the handler) is
  bound to the fakes, and ``boto3``'s default session is the environment's
  own, kept across invocations.

The handler module is imported once per execution environment, on its
first invocation (Lambda's init phase), inside all of the above. A new
environment (a cold start) follows a change of code or configuration, a
runtime exit (``sys.exit`` and other ``BaseException``) or a timeout, as
Lambda resets an environment whose invocation crashed or timed out.

Simplified: ``os.environ`` is swapped as a whole (CPython's ``_data``
mapping), which is process-wide, like ``sys.stdout`` and the modules:
threads the handler starts see its environment (as in Lambda), but so do
the process's other threads while it runs, and two handlers run at the
same time from two threads would see each other's (the fakes run one
handler at a time per thread, nested calls included). Whatever the order
two threads' handlers end in, the process's own state comes back: a
handler that ends while one entered after it still runs leaves its view in
place, and both are undone, last in first out, when that one ends
(``_Frame``). C code calling
``getenv`` (and subprocesses) see the process's environment, plus what
the code itself set. ``PATH`` is the process's, so subprocesses start.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import boto3
import botocore.session

from eventproof_fakes.lambda_.modules import CodeNamespace
from eventproof_fakes.lambda_.output import LOG_HANDLER, STDERR, STDOUT, Capture
from eventproof_fakes.patching import unpatched

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS
    from eventproof_fakes.lambda_.functions import Function

__all__ = ["RESERVED_VARIABLES", "ExecutionEnvironment", "Fault"]

# (errorType, errorMessage, stackTrace): an init failure, as Lambda's runtime reports it.
Fault = tuple[str, str, list[str]]

# Keys Lambda refuses in Environment.Variables (configuration-envvars.html, "Reserved").
RESERVED_VARIABLES = frozenset({
    "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
})
_Session = botocore.session.Session
# botocore's own create_client, even when this module is first imported inside a patch
# (patch_boto3, reused_clients): eventproof_fakes.patching marks what each replacement replaced.
_CREATE_CLIENT = unpatched(_Session.create_client)
_SESSION_ATTRIBUTES = _Session.__dict__  # a live view of the class's attributes
_environ: Any = os.environ
_environb: Any = getattr(os, "environb", None)
logging_root = logging.getLogger()


def lambda_variables(env: FakeAWS, function: Function, log_stream: str, task_root: str) -> dict[str, str]:
    """What ``os.environ`` shows inside the function."""
    from eventproof_fakes.environment import DUMMY_CREDENTIALS

    variables = {
        "LANG": "en_US.UTF-8",
        "TZ": ":UTC",
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin/:/bin"),
        "LAMBDA_TASK_ROOT": task_root,
        "LAMBDA_RUNTIME_DIR": "/var/runtime",
        "_HANDLER": function.handler_name,
        "AWS_REGION": env.region,
        "AWS_DEFAULT_REGION": env.region,
        "AWS_EXECUTION_ENV": f"AWS_Lambda_{function.runtime}",
        "AWS_LAMBDA_FUNCTION_NAME": function.name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory),
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{function.name}",
        "AWS_LAMBDA_LOG_STREAM_NAME": log_stream,
        "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:9001",
        "AWS_ACCESS_KEY_ID": DUMMY_CREDENTIALS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": DUMMY_CREDENTIALS["aws_secret_access_key"],
        "AWS_SESSION_TOKEN": DUMMY_CREDENTIALS["aws_session_token"],
    }
    variables.update(function.environment)
    return variables


def bound_create_client(env: FakeAWS) -> Callable[..., Any]:
    """botocore's ``Session.create_client``, binding each new client to ``env``."""
    from eventproof_fakes.environment import DUMMY_CREDENTIALS

    def create_client(session: Any, service_name: str, *args: Any, **kwargs: Any) -> Any:
        if not args and kwargs.get("region_name") is None and not session.get_config_variable(
            "region"
        ):
            kwargs["region_name"] = env.region
        if kwargs.get("aws_access_key_id") is None and session._credentials is None:
            for key, value in DUMMY_CREDENTIALS.items():
                kwargs.setdefault(key, value)
        client = _CREATE_CLIENT(session, service_name, *args, **kwargs)
        env.bind(client)
        return client

    return create_client


class ExecutionEnvironment:
    """A function's warm sandbox: entered around its init and each of its invocations."""

    def __init__(self, env: FakeAWS, function: Function, log_stream: str) -> None:
        from eventproof_fakes.environment import shared_session

        self.function = function
        self.log_stream = log_stream
        code = function.code
        self.namespace = CodeNamespace(code.folder) if code is not None else None
        task_root = str(code.folder) if code is not None else "/var/task"
        variables = lambda_variables(env, function, log_stream, task_root)
        encode_key, encode_value = os.environ.encodekey, os.environ.encodevalue
        self._environ = {encode_key(k): encode_value(v) for k, v in variables.items()}
        self.handler: Callable[[Any, Any], Any] | None = function.handler
        self.initialised = False
        self._boto3_session: Any = shared_session()
        self._create_client = bound_create_client(env)
        self._now = lambda: env.clock.now()  # env.clock is replaced by env.reset()

    # --- entering and leaving -------------------------------------------------
    def enter(self, request_id: str, output: Any) -> _Frame:
        """Become the process's view for this function; returns what ``leave`` restores.

        ``output`` (the invocation) gets what is printed or logged in its ``log``.
        """
        with _frames_lock:
            frame: _Frame = [self, self._enter(request_id, output), False]
            _frames.append(frame)
        return frame

    def leave(self, frame: _Frame) -> None:
        """Undo ``enter``; deferred while a sandbox entered after this one (another thread) runs."""
        with _frames_lock:
            frame[2] = True  # left
            while _frames and _frames[-1][2]:
                sandbox, saved, _ = _frames.pop()
                sandbox._leave(saved)

    def _enter(self, request_id: str, output: Any) -> tuple[Any, ...]:
        out, err = sys.stdout, sys.stderr
        saved = (
            _environ._data,
            out,
            err,
            boto3.DEFAULT_SESSION,
            _SESSION_ATTRIBUTES["create_client"],
            Capture.target,
            Capture.request_id,
            Capture.now,
            Capture.echo_out,
            Capture.echo_err,
        )
        if out is not STDOUT:  # nested calls keep the outermost caller's streams
            Capture.echo_out = out
        if err is not STDERR:
            Capture.echo_err = err
        _environ._data = self._environ
        if _environb is not None:
            _environb._data = self._environ
        sys.stdout = STDOUT
        sys.stderr = STDERR
        boto3.DEFAULT_SESSION = self._boto3_session
        _Session.create_client = self._create_client
        Capture.target = output
        Capture.request_id = request_id
        Capture.now = self._now
        # Logger.addHandler takes the logging lock; a list append is the same, for a tenth.
        logging_root.handlers.append(LOG_HANDLER)
        if self.namespace is not None:
            self.namespace.enter()
        return saved

    def _leave(self, saved: tuple[Any, ...]) -> None:
        if self.namespace is not None:
            self.namespace.leave()
        try:  # noqa: SIM105 - contextlib.suppress costs an object per call on this hot path
            logging_root.handlers.remove(LOG_HANDLER)
        except ValueError:  # the code removed it itself (logging.basicConfig(force=True))
            pass
        self._boto3_session = boto3.DEFAULT_SESSION
        (data, sys.stdout, sys.stderr, boto3.DEFAULT_SESSION, create_client, Capture.target,
         Capture.request_id, Capture.now, Capture.echo_out, Capture.echo_err) = saved
        _Session.create_client = create_client
        _environ._data = data
        if _environb is not None:
            _environb._data = data

    # --- init -------------------------------------------------------------------
    @staticmethod
    def capture_into(output: Any) -> None:
        """Send what is printed or logged from now on to ``output.log``."""
        Capture.target = output

    def initialise(self) -> Fault | None:
        """Lambda's init phase: import the handler's module; AWS's fault if that fails.

        Runs inside ``enter``. The messages are those of AWS's Python runtime
        (awslambdaric's ``_get_handler``).
        """
        self.initialised = True
        if self.handler is not None:
            return None
        spec = self.function.handler_name
        module_name, dot, attribute = spec.rpartition(".")
        if not dot or not module_name:
            return ("Runtime.MalformedHandlerName",
                    f"Bad handler '{spec}': not enough values to unpack (expected 2, got 1)", [])
        if module_name.split(".")[0] in sys.builtin_module_names:
            return ("Runtime.BuiltInModuleConflict",
                    f"Cannot use built-in module {module_name} as a handler module", [])
        try:
            module = importlib.import_module(module_name.replace("/", "."))
        except ImportError as error:
            return ("Runtime.ImportModuleError",
                    f"Unable to import module '{module_name}': {safe_str(error)}", [])
        except SyntaxError as error:
            trace = [f'  File "{error.filename}" Line {error.lineno}\n    {error.text}']
            return ("Runtime.UserCodeSyntaxError",
                    f"Syntax error in module '{module_name}': {safe_str(error)}", trace)
        except Exception as error:
            frames = traceback.extract_tb(error.__traceback__)
            code_frames = [f for f in frames if not f.filename.startswith("<frozen importlib")]
            return (type(error).__name__, safe_str(error),
                    traceback.format_list(code_frames[1:]))
        handler = getattr(module, attribute, None)
        if handler is None:
            return ("Runtime.HandlerNotFound",
                    f"Handler '{attribute}' missing on module '{module_name}'", [])
        self.handler = handler
        return None


# One entry into a sandbox until its leave is applied: [sandbox, what it saved, left yet].
_Frame = list[Any]


# Entries into sandboxes, oldest first: the process's state is undone in this order's
# reverse, even when two threads' handlers end in another order.
_frames: list[_Frame] = []
_frames_lock = threading.Lock()


def safe_str(error: BaseException) -> str:
    """``str(error)``, even when the error's own ``__str__`` raises."""
    try:
        return str(error)
    except BaseException:
        return f"<unprintable {type(error).__name__} object>"

