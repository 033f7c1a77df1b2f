"""Integration URIs and execute-api URLs, parsed and built."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from eventproof_fakes.apigateway.errors import bad_request

# arn:aws:apigateway:{region}:{service}:{path|action}/{rest}
_INTEGRATION_ARN = re.compile(
    r"^arn:aws[a-z-]*:apigateway:(?P<region>[a-z0-9-]+):(?P<service>[a-z0-9.-]+):"
    r"(?P<kind>path|action)/(?P<rest>.+)$"
)
_LAMBDA_PATH = re.compile(r"^2015-03-31/functions/(?P<function>.+)/invocations$")
_FUNCTION_ARN = re.compile(
    r"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[$A-Za-z0-9_-]+)?$"
)
_EXECUTE_API_HOST = re.compile(
    r"^(?P<api>[a-z0-9]+)\.execute-api\.(?P<region>[a-z0-9-]+)\.amazonaws\.com$"
)


@dataclass(frozen=True)
class ServiceTarget:
    """Where a ``type: AWS`` integration sends its request: a service, and a path or action."""

    region: str
    service: str
    kind: str  # "path" or "action"
    rest: str  # what follows "path/" or "action/"


def parse_service_uri(uri: str) -> ServiceTarget:
    match = _INTEGRATION_ARN.match(uri)
    if match is None:
        raise bad_request(f"Invalid ARN specified in the request: {uri}")
    return ServiceTarget(match["region"], match["service"], match["kind"], match["rest"])


def lambda_function_of(uri: str) -> str:
    """The function ARN in a Lambda proxy URI (``...:lambda:path/2015-03-31/functions/ARN/invocations``).

    HTTP APIs also take the bare function ARN.
    """
    if _FUNCTION_ARN.match(uri):
        return uri
    target = parse_service_uri(uri)
    match = _LAMBDA_PATH.match(target.rest) if target.service == "lambda" else None
    if match is None or not _FUNCTION_ARN.match(match["function"]):
        raise bad_request(
            f"AWS ARN for integration must contain path or action: {uri} (expected "
            "arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations)"
        )
    return match["function"]


_STAGE_VARIABLE = re.compile(r"\$\{stageVariables\.([A-Za-z0-9_]+)\}")


def with_stage_variables(uri: str, variables: dict[str, str] | None) -> str:
    """``${stageVariables.name}`` in an integration URI replaced by the stage's value.

    ``None`` (checking a URI before any stage exists) puts a placeholder in.
    """
    return _STAGE_VARIABLE.sub(
        lambda match: "stagevariable" if variables is None else variables.get(match[1], ""), uri
    )


def execute_api_host(api_id: str, region: str) -> str:
    return f"{api_id}.execute-api.{region}.amazonaws.com"


def execute_api_url(api_id: str, region: str, stage: str | None = None) -> str:
    """``https://{api}.execute-api.{region}.amazonaws.com/{stage}`` (no stage part for ``$default``)."""
    base = f"https://{execute_api_host(api_id, region)}"
    return base if stage in (None, "$default") else f"{base}/{stage}"


@dataclass(frozen=True)
class ExecuteApiAddress:
    api_id: str
    region: str
    path: str  # from the first "/" on, stage segment included
    query: str


def parse_execute_api_url(url: str) -> ExecuteApiAddress | None:
    """The parts of an ``https://{api}.execute-api.{region}.amazonaws.com/...`` URL; None otherwise."""
    parts = urlsplit(url)
    match = _EXECUTE_API_HOST.match(parts.hostname or "")
    if parts.scheme not in ("http", "https") or match is None:
        return None
    return ExecuteApiAddress(match["api"], match["region"], parts.path or "/", parts.query)
