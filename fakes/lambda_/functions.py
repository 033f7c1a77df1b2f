"""Functions: the registry and its API (Create/Get/List/Delete, code, reserved concurrency).

A function's code is the folder of its ``Code.ZipFile`` (``eventproof_fakes.lambda_.code``),
run in-process in an execution environment of its own
(``eventproof_fakes.lambda_.sandbox``): ``Handler`` ("module.function", or
"package/module.function") is imported from that folder on the first
invocation, as Lambda's init does, and an import failure is a failed
invocation with AWS's ``Runtime.*`` error. Modules not in the folder come
from the test process (Lambda's runtime libraries). ``register`` adds a
Python callable directly. Only ``$LATEST`` exists; versions and aliases are
not modelled.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from eventproof_fakes.lambda_.code import FunctionCode
from eventproof_fakes.lambda_.errors import (
    function_not_found,
    invalid_parameter,
    not_found,
    validation,
)
from eventproof_fakes.lambda_.sandbox import RESERVED_VARIABLES
from eventproof_fakes.limits import LAMBDA_DEFAULT_TIMEOUT_SECONDS, LAMBDA_MAX_TIMEOUT_SECONDS
from eventproof_fakes.operations import operation

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS
    from eventproof_fakes.lambda_.sandbox import ExecutionEnvironment

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
    handler: Handler | None  # None: imported from ``code`` (or the process) by handler_name
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
    code: FunctionCode | None = None
    tags: dict[str, str] = field(default_factory=dict)
    # The warm execution environment; None until the next invocation starts one (cold start).
    sandbox: ExecutionEnvironment | None = field(default=None, repr=False)

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
            "CodeSize": self.code.size if self.code else 0,
            "Description": "",
            "Timeout": self.timeout,
            "MemorySize": self.memory,
            "LastModified": self.last_modified,
            "CodeSha256": self.code.sha256 if self.code else "",
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


def check_variables(variables: dict[str, str]) -> dict[str, str]:
    """``Environment.Variables``, or AWS's error naming the reserved keys used."""
    reserved = sorted(set(variables) & RESERVED_VARIABLES)
    if reserved:
        raise invalid_parameter(
            "Lambda was unable to configure your environment variables because the environment "
            "variables you have provided contains reserved keys that are currently not supported "
            f"for modification. Reserved keys used in this request: {','.join(reserved)}"
        )
    return dict(variables)


def function_code(code: dict[str, Any]) -> FunctionCode:
    """``Code`` of CreateFunction/UpdateFunctionCode: a ``ZipFile`` is what the fake runs."""
    for key in code:
        if key != "ZipFile":
            raise invalid_parameter(
                f"eventproof's fake lambda does not model Code.{key}; pass Code.ZipFile "
                "(eventproof_fakes.lambda_.code.package(folder) builds one)"
            )
    if "ZipFile" not in code:
        raise invalid_parameter("Please provide a source for function code.")
    return FunctionCode.from_zip(bytes(code["ZipFile"]))


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
        environment: dict[str, str] | None = None,
    ) -> str:
        """Register a Python callable as function ``name``; returns its ARN.

        It runs in the function's Lambda environment like code from a zip
        (``environment`` is its ``Environment.Variables``).
        """
        variables = check_variables(environment or {})
        handler_name = f"{getattr(handler, '__module__', '?')}.{getattr(handler, '__name__', '?')}"
        function = self._new_function(name, handler, handler_name, timeout, memory)
        function.reserved_concurrency = reserved_concurrency
        function.dead_letter_target = dead_letter_target
        function.environment = variables
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
            from eventproof_fakes.lambda_.errors import lambda_error

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
        if params.get("PackageType", "Zip") != "Zip":
            raise invalid_parameter("eventproof's fake lambda does not model PackageType Image")
        code = function_code(params.get("Code", {}))
        variables = check_variables(params.get("Environment", {}).get("Variables", {}))
        try:
            function = self._new_function(name, None, spec, timeout, params.get("MemorySize", 128))
        except Exception:
            code.release()
            raise
        function.code = code
        function.runtime = params.get("Runtime", function.runtime)
        function.role = params.get("Role", "")
        function.environment = variables
        function.dead_letter_target = params.get("DeadLetterConfig", {}).get("TargetArn") or None
        function.tags = dict(params.get("Tags") or {})  # SAM tags every function (lambda:createdBy)
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
        if function.tags:
            response["Tags"] = dict(function.tags)
        return response

    def _tags_of(self, resource: str) -> dict[str, str]:
        """A function's tags, or an event source mapping's (by its ARN)."""
        if ":event-source-mapping:" in resource:
            poller = getattr(self, "pollers", {}).get(resource.rsplit(":", 1)[-1])
            if poller is None:
                raise not_found(f"The resource you requested does not exist. ({resource})")
            tags: dict[str, str] = poller.mapping.tags
            return tags
        return self.function(resource).tags

    @operation
    def list_tags(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"Tags": dict(self._tags_of(params["Resource"]))}

    @operation
    def tag_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        self._tags_of(params["Resource"]).update(params["Tags"])
        return {"_http_status": 204}

    @operation
    def untag_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        tags = self._tags_of(params["Resource"])
        for key in params["TagKeys"]:
            tags.pop(key, None)
        return {"_http_status": 204}

    @operation
    def get_function_configuration(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.function(params["FunctionName"]).configuration()

    @operation
    def update_function_configuration(self, params: dict[str, Any]) -> dict[str, Any]:
        function = self.function(params["FunctionName"])
        if "Environment" in params:
            function.environment = check_variables(params["Environment"].get("Variables", {}))
        if "Handler" in params:
            function.handler = None
            function.handler_name = params["Handler"]
        function.timeout = params.get("Timeout", function.timeout)
        function.memory = params.get("MemorySize", function.memory)
        if "DeadLetterConfig" in params:
            function.dead_letter_target = params["DeadLetterConfig"].get("TargetArn") or None
        function.sandbox = None  # new configuration, new execution environments
        function.last_modified = self._timestamp()
        function.revision_id = self.env.ids.uuid()
        return function.configuration()

    @operation(refuses=("S3Bucket", "S3Key", "S3ObjectVersion", "ImageUri", "Publish",
                        "Architectures", "SourceKMSKeyArn"))
    def update_function_code(self, params: dict[str, Any]) -> dict[str, Any]:
        function = self.function(params["FunctionName"])
        code = function_code({k: params[k] for k in ("ZipFile",) if k in params})
        if "RevisionId" in params and params["RevisionId"] != function.revision_id:
            from eventproof_fakes.lambda_.errors import lambda_error

            code.release()
            raise lambda_error(
                "PreconditionFailedException",
                "The Revision Id provided does not match the latest Revision Id. "
                "Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
                412,
            )
        if function.code is not None:
            function.code.release()
        function.code = code
        function.handler = None  # the handler now comes from the new code
        function.sandbox = None
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
        function.sandbox = None
        if function.code is not None:
            function.code.release()
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
        self, name: str, handler: Handler | None, handler_name: str, timeout: int, memory: int
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
