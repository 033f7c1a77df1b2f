"""Functions: the registry and its API (Create/Get/List/Delete, reserved concurrency).

A function's code is a Python callable in this process. ``CreateFunction``
ignores ``Code`` and imports ``Handler`` ("module.function", or
"package.module.function") instead: the fakes run handlers in-process,
not in a sandbox. Only ``$LATEST`` exists; versions and aliases are not
modelled.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from fakes.lambda_.errors import function_not_found, invalid_parameter, validation
from fakes.limits import LAMBDA_DEFAULT_TIMEOUT_SECONDS, LAMBDA_MAX_TIMEOUT_SECONDS
from fakes.operations import operation

if TYPE_CHECKING:
    from fakes.environment import FakeAWS

Handler = Callable[[Any, Any], Any]
LATEST = "$LATEST"
_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
_ARN = re.compile(
    r"^(?:arn:aws[a-zA-Z-]*:lambda:(?P<region>[a-z0-9-]+):)?(?:(?P<account>\d{12}):)?"
    r"(?:function:)?(?P<name>[a-zA-Z0-9_-]+)(?::(?P<qualifier>[a-zA-Z0-9$_-]+))?$"
)


@dataclass
class EventInvokeConfig:
    maximum_retry_attempts: int | None = None
    maximum_event_age_seconds: int | None = None
    on_success: str | None = None
    on_failure: str | None = None
    last_modified: datetime | None = None


@dataclass
class Function:
    name: str
    arn: str
    handler: Handler
    handler_name: str
    timeout: int = LAMBDA_DEFAULT_TIMEOUT_SECONDS
    memory: int = 128
    reserved_concurrency: int | None = None
    dead_letter_target: str | None = None
    runtime: str = "python3.12"
    role: str = ""
    environment: dict[str, str] = field(default_factory=dict)
    last_modified: str = ""
    revision_id: str = ""
    invoke_config: EventInvokeConfig | None = None
    in_flight: int = 0

    @property
    def latest_arn(self) -> str:
        return f"{self.arn}:{LATEST}"

    def configuration(self) -> dict[str, Any]:
        config: dict[str, Any] = {
            "FunctionName": self.name,
            "FunctionArn": self.arn,
            "Runtime": self.runtime,
            "Role": self.role,
            "Handler": self.handler_name,
            "CodeSize": 0,
            "Description": "",
            "Timeout": self.timeout,
            "MemorySize": self.memory,
            "LastModified": self.last_modified,
            "CodeSha256": "",
            "Version": LATEST,
            "Environment": {"Variables": dict(self.environment)},
            "TracingConfig": {"Mode": "PassThrough"},
            "RevisionId": self.revision_id,
            "State": "Active",
            "LastUpdateStatus": "Successful",
            "PackageType": "Zip",
            "Architectures": ["x86_64"],
            "EphemeralStorage": {"Size": 512},
            "LoggingConfig": {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{self.name}"},
        }
        if self.dead_letter_target:
            config["DeadLetterConfig"] = {"TargetArn": self.dead_letter_target}
        return config


def import_handler(spec: str) -> Handler:
    """``"package.module.function"`` -> the callable, with an error naming what is missing."""
    module_name, _, attribute = spec.rpartition(".")
    if not module_name or not attribute:
        raise invalid_parameter(
            f"Handler {spec!r} must have the form 'module.function' (eventproof's fake "
            "imports it in this process)"
        )
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise invalid_parameter(
            f"Handler {spec!r}: module {module_name!r} cannot be imported here ({error})"
        ) from None
    handler = getattr(module, attribute, None)
    if not callable(handler):
        raise invalid_parameter(f"Handler {spec!r}: {module_name} has no function {attribute!r}")
    return handler


class FunctionsAPI:
    """The function registry; mixed into ``Lambda``."""

    env: FakeAWS
    functions: dict[str, Function]

    # --- internal API -----------------------------------------------------
    def register(
        self,
        name: str,
        handler: Handler,
        *,
        timeout: int = LAMBDA_DEFAULT_TIMEOUT_SECONDS,
        memory: int = 128,
        reserved_concurrency: int | None = None,
        dead_letter_target: str | None = None,
    ) -> str:
        """Register a Python handler as function ``name``; returns its ARN."""
        handler_name = f"{getattr(handler, '__module__', '?')}.{getattr(handler, '__name__', '?')}"
        function = self._new_function(name, handler, handler_name, timeout, memory)
        function.reserved_concurrency = reserved_concurrency
        function.dead_letter_target = dead_letter_target
        return function.arn

    def function(self, reference: str) -> Function:
        """The function a name, partial or full ARN (``:$LATEST`` allowed) refers to."""
        match = _ARN.match(reference)
        if match is None:
            raise validation(
                reference,
                "functionName",
                "Member must satisfy regular expression pattern: "
                "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?"
                "(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?",
            )
        name = match["name"]
        function = self.functions.get(name)
        qualifier = match["qualifier"]
        if function is None or qualifier not in (None, LATEST):
            suffix = f":{qualifier}" if qualifier else ""
            raise function_not_found(self.env.arn("lambda", f"function:{name}{suffix}"))
        return function

    # --- AWS operations ---------------------------------------------------
    @operation
    def create_function(self, params: dict[str, Any]) -> dict[str, Any]:
        name = params["FunctionName"]
        if name in self.functions:
            from fakes.lambda_.errors import lambda_error

            raise lambda_error(
                "ResourceConflictException",
                f"Function already exist: {name}",
                409,
            )
        spec = params.get("Handler")
        if not spec:
            raise invalid_parameter("Handler is required for a Zip function")
        timeout = params.get("Timeout", LAMBDA_DEFAULT_TIMEOUT_SECONDS)
        if timeout > LAMBDA_MAX_TIMEOUT_SECONDS:
            raise validation(
                timeout,
                "timeout",
                f"Member must have value less than or equal to {LAMBDA_MAX_TIMEOUT_SECONDS}",
            )
        function = self._new_function(
            name, import_handler(spec), spec, timeout, params.get("MemorySize", 128)
        )
        function.runtime = params.get("Runtime", function.runtime)
        function.role = params.get("Role", "")
        function.environment = dict(params.get("Environment", {}).get("Variables", {}))
        function.dead_letter_target = params.get("DeadLetterConfig", {}).get("TargetArn") or None
        response = function.configuration()
        response.update(State="Pending", StateReason="The function is being created.")
        response["StateReasonCode"] = "Creating"
        response["_http_status"] = 201
        return response

    @operation
    def get_function(self, params: dict[str, Any]) -> dict[str, Any]:
        function = self.function(params["FunctionName"])
        response: dict[str, Any] = {
            "Configuration": function.configuration(),
            "Code": {"RepositoryType": "S3", "Location": ""},
        }
        if function.reserved_concurrency is not None:
            response["Concurrency"] = {
                "ReservedConcurrentExecutions": function.reserved_concurrency
            }
        return response

    @operation
    def get_function_configuration(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.function(params["FunctionName"]).configuration()

    @operation
    def update_function_configuration(self, params: dict[str, Any]) -> dict[str, Any]:
        function = self.function(params["FunctionName"])
        if "Handler" in params:
            function.handler = import_handler(params["Handler"])
            function.handler_name = params["Handler"]
        function.timeout = params.get("Timeout", function.timeout)
        function.memory = params.get("MemorySize", function.memory)
        if "DeadLetterConfig" in params:
            function.dead_letter_target = params["DeadLetterConfig"].get("TargetArn") or None
        if "Environment" in params:
            function.environment = dict(params["Environment"].get("Variables", {}))
        function.last_modified = self._timestamp()
        function.revision_id = self.env.ids.uuid()
        return function.configuration()

    @operation
    def list_functions(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"Functions": [f.configuration() for f in self.functions.values()]}

    @operation
    def delete_function(self, params: dict[str, Any]) -> dict[str, Any]:
        function = self.function(params["FunctionName"])
        del self.functions[function.name]
        return {"_http_status": 204}

    @operation
    def put_function_concurrency(self, params: dict[str, Any]) -> dict[str, Any]:
        function = self.function(params["FunctionName"])
        function.reserved_concurrency = params["ReservedConcurrentExecutions"]
        return {"ReservedConcurrentExecutions": function.reserved_concurrency}

    @operation
    def get_function_concurrency(self, params: dict[str, Any]) -> dict[str, Any]:
        function = self.function(params["FunctionName"])
        if function.reserved_concurrency is None:
            return {}
        return {"ReservedConcurrentExecutions": function.reserved_concurrency}

    @operation
    def delete_function_concurrency(self, params: dict[str, Any]) -> dict[str, Any]:
        self.function(params["FunctionName"]).reserved_concurrency = None
        return {"_http_status": 204}

    # --- helpers ------------------------------------------------------------
    def _new_function(
        self, name: str, handler: Handler, handler_name: str, timeout: int, memory: int
    ) -> Function:
        if not _NAME.match(name):
            raise validation(
                name,
                "functionName",
                "Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+",
            )
        function = Function(
            name=name,
            arn=self.env.arn("lambda", f"function:{name}"),
            handler=handler,
            handler_name=handler_name,
            timeout=timeout,
            memory=memory,
            role=self.env.arn("iam", "role/lambda-role").replace(f":{self.env.region}:", "::"),
            last_modified=self._timestamp(),
            revision_id=self.env.ids.uuid(),
        )
        self.functions[name] = function
        return function

    def _timestamp(self) -> str:
        """``2026-01-01T00:00:00.000+0000``: the LastModified form Lambda returns."""
        return self.env.clock.now_datetime().strftime("%Y-%m-%dT%H:%M:%S.000+0000")
