"""Non-proxy REST integrations (``AWS``, Lambda custom, ``MOCK``): mapping templates in and out.

The integration request: ``requestParameters`` fill the integration's
headers and query string; the request template chosen by the request's
Content-Type (``passthroughBehavior`` decides what happens when there is
none) makes the body. The integration response: the first
``selectionPattern`` that matches the backend's status code (for MOCK, the
``statusCode`` the request template returned), else the default response
(no pattern); its template makes the body the client gets.
https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-data-transformations.html
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from eventproof_fakes.apigateway.messages import ApiRequest, Headers
from eventproof_fakes.apigateway.rest_model import Integration, IntegrationResponse
from eventproof_fakes.apigateway.service_calls import RequestNotUnderstood, ServiceCaller
from eventproof_fakes.apigateway.uris import lambda_function_of, parse_service_uri
from eventproof_fakes.apigateway.vtl import InputVariable, TemplateError, render
from eventproof_fakes.errors import AWSError

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS


class IntegrationFailure(Exception):
    """A configuration error AWS reports as a 500 (``Execution failed due to configuration error``)."""


class IntegrationTimeout(Exception):
    """The backend took longer than the integration's timeout: 504."""


@dataclass
class BackendAnswer:
    status: int
    body: str
    lambda_error: str | None = None  # a Lambda function error's errorMessage (what patterns match)


class UnsupportedMediaType(Exception):
    """No request template for the Content-Type and passthrough forbids it: 415."""


@dataclass
class MappedRequest:
    body: str
    headers: dict[str, str]
    querystring: dict[str, str]


def method_params(
    request: ApiRequest, path_parameters: dict[str, str]
) -> dict[str, dict[str, str]]:
    """``$input.params()``: the method request's path, query string and header parameters."""
    return {
        "path": dict(path_parameters),
        "querystring": dict(parse_qsl(request.raw_query, keep_blank_values=True)),
        "header": {name: request.headers[name] for name in request.headers},
    }


def _parameter_value(
    expression: str,
    request: ApiRequest,
    params: dict[str, dict[str, str]],
    context: dict[str, Any],
    stage_variables: dict[str, str],
) -> str:
    """One ``requestParameters`` source: ``'static'``, ``method.request.*``, ``stageVariables.*``, ``context.*``."""
    if len(expression) >= 2 and expression.startswith("'") and expression.endswith("'"):
        return expression[1:-1]
    if expression == "method.request.body":
        return (request.body or b"").decode("utf-8", errors="replace")
    for location in ("path", "querystring", "header"):
        prefix = f"method.request.{location}."
        if expression.startswith(prefix):
            name = expression[len(prefix) :]
            values = params[location]
            if location == "header":
                return next((v for k, v in values.items() if k.lower() == name.lower()), "")
            return values.get(name, "")
    if expression.startswith("stageVariables."):
        return stage_variables.get(expression.removeprefix("stageVariables."), "")
    if expression.startswith("context."):
        value: Any = context
        for part in expression.removeprefix("context.").split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return "" if value is None else str(value)
    raise IntegrationFailure(f"unsupported mapping expression {expression!r}")


def map_request(
    integration: Integration,
    request: ApiRequest,
    params: dict[str, dict[str, str]],
    context: dict[str, Any],
    stage_variables: dict[str, str],
) -> MappedRequest:
    headers: dict[str, str] = {}
    querystring: dict[str, str] = {}
    for target, source in integration.request_parameters.items():
        value = _parameter_value(source, request, params, context, stage_variables)
        if target.startswith("integration.request.header."):
            headers[target.removeprefix("integration.request.header.")] = value
        elif target.startswith("integration.request.querystring."):
            querystring[target.removeprefix("integration.request.querystring.")] = value
        else:
            raise IntegrationFailure(f"unsupported integration request parameter {target!r}")
    content_type = (request.headers.get("content-type") or "application/json").split(";")[0].strip()
    templates = integration.request_templates
    template = templates.get(content_type)
    raw_body = (request.body or b"").decode("utf-8", errors="replace")
    if template is None:
        behavior = integration.passthrough_behavior
        if behavior == "NEVER" or (behavior == "WHEN_NO_TEMPLATES" and templates):
            raise UnsupportedMediaType(content_type)
        return MappedRequest(raw_body, headers, querystring)
    try:
        body = render(
            template,
            input_variable=InputVariable(raw_body, params),
            context=context,
            stage_variables=stage_variables,
        )
    except TemplateError as error:
        raise IntegrationFailure(f"request template for {content_type}: {error}") from None
    return MappedRequest(body, headers, querystring)


def call_backend(
    env: FakeAWS, caller: ServiceCaller, integration: Integration, mapped: MappedRequest
) -> BackendAnswer:
    """Send the mapped request to the integration's backend."""
    if integration.type == "MOCK":
        try:
            document = json.loads(mapped.body) if mapped.body.strip() else {}
            status = int(document.get("statusCode", 200)) if isinstance(document, dict) else 200
        except (TypeError, ValueError, RecursionError):
            raise IntegrationFailure(
                "a MOCK request template must produce JSON with a statusCode"
            ) from None
        return BackendAnswer(status, "")
    target = parse_service_uri(integration.uri or "")
    headers = {k.lower(): v for k, v in mapped.headers.items()}
    if target.service == "lambda":
        return _call_lambda(env, integration, mapped, headers)
    operation = target.rest.split("?")[0].split("&")[0] if target.kind == "action" else None
    extra = dict(mapped.querystring)
    if target.kind == "path" and target.service == "sqs":
        account, _, queue = target.rest.partition("/")
        extra.setdefault("QueueUrl", f"https://sqs.{target.region}.amazonaws.com/{account}/{queue}")
    try:
        answer = caller.call(
            target.service,
            operation,
            mapped.body,
            content_type=headers.get("content-type", ""),
            target_header=headers.get("x-amz-target"),
            extra_fields=extra,
        )
    except RequestNotUnderstood as error:
        raise IntegrationFailure(str(error)) from None
    return BackendAnswer(answer.status, answer.body)


def _call_lambda(
    env: FakeAWS, integration: Integration, mapped: MappedRequest, headers: dict[str, str]
) -> BackendAnswer:
    """A Lambda custom (non-proxy) integration: the mapped body is the payload.

    ``X-Amz-Invocation-Type: 'Event'`` (an integration request header) queues
    the call and answers at once; otherwise the function's result is the
    body, and a function error's ``errorMessage`` is what selection patterns
    match. https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-custom-integrations.html
    """
    function = lambda_function_of(integration.uri or "")
    payload = mapped.body if mapped.body.strip() else "{}"
    try:
        if headers.get("x-amz-invocation-type", "RequestResponse") == "Event":
            env.lambda_.invoke_async(function, payload)
            return BackendAnswer(202, "")
        result = env.lambda_.invoke_sync(function, payload)
    except AWSError as error:
        return BackendAnswer(error.status_code, json.dumps({"message": error.message}))
    invocation = result.invocation
    if invocation.finished_at - invocation.started_at > integration.timeout_in_millis / 1000:
        raise IntegrationTimeout()
    body = invocation.response_bytes.decode("utf-8", errors="replace")
    if result.error is not None:
        message = (result.payload or {}).get("errorMessage", "")
        return BackendAnswer(200, body, lambda_error=str(message))
    return BackendAnswer(200, body)


def select_response(integration: Integration, answer: BackendAnswer) -> IntegrationResponse:
    """The response whose pattern matches the status (a Lambda error: its message), else the default."""
    subject = answer.lambda_error if answer.lambda_error is not None else str(answer.status)
    default = None
    for response in integration.responses.values():
        pattern = response.selection_pattern
        if not pattern:
            default = default or response
            continue
        try:
            matched = re.fullmatch(pattern, subject, flags=re.DOTALL)
        except re.error as error:
            raise IntegrationFailure(f"invalid selectionPattern {pattern!r}: {error}") from None
        if matched:
            return response
    if default is None:
        raise IntegrationFailure(
            "No match for output mapping and no default output mapping was specified"
        )
    return default


def map_response(
    integration: Integration,
    answer: BackendAnswer,
    request: ApiRequest,
    params: dict[str, dict[str, str]],
    context: dict[str, Any],
    stage_variables: dict[str, str],
) -> tuple[int, Headers, bytes]:
    response = select_response(integration, answer)
    body = answer.body
    accept = (request.headers.get("accept") or "").split(",")[0].split(";")[0].strip()
    templates = response.response_templates
    content_type = accept if accept in templates else "application/json"
    template = templates.get(content_type)
    if template is None and templates and content_type not in templates:
        content_type, template = next(iter(templates.items()))
    headers = Headers([("Content-Type", content_type)])
    for target, source in response.response_parameters.items():
        name = target.removeprefix("method.response.header.")
        if name == target or not (source.startswith("'") and source.endswith("'")):
            raise IntegrationFailure(f"unsupported response mapping {target!r}: {source!r}")
        headers.remove(name)
        headers.add(name, source[1:-1])
    if template is None or template == "":
        out = body if template is None else ""
    else:
        try:
            out = render(
                template,
                input_variable=InputVariable(body, params),
                context=context,
                stage_variables=stage_variables,
            )
        except TemplateError as error:
            raise IntegrationFailure(f"response template for {content_type}: {error}") from None
    return int(response.status_code), headers, out.encode("utf-8")
