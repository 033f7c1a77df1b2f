"""Non-proxy REST integrations (``AWS`` and ``MOCK``): mapping templates in, mapping templates out.

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

from fakes.apigateway.messages import ApiRequest, Headers
from fakes.apigateway.rest_model import Integration, IntegrationResponse
from fakes.apigateway.service_calls import RequestNotUnderstood, ServiceCaller
from fakes.apigateway.uris import parse_service_uri
from fakes.apigateway.vtl import InputVariable, TemplateError, render

if TYPE_CHECKING:
    from fakes.environment import FakeAWS


class IntegrationFailure(Exception):
    """A configuration error AWS reports as a 500 (``Execution failed due to configuration error``)."""


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
    from urllib.parse import parse_qsl

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
) -> tuple[int, str]:
    """Send the mapped request to the integration's backend: (status code, body)."""
    if integration.type == "MOCK":
        try:
            document = json.loads(mapped.body) if mapped.body.strip() else {}
            status = int(document.get("statusCode", 200)) if isinstance(document, dict) else 200
        except (TypeError, ValueError, RecursionError):
            raise IntegrationFailure(
                "a MOCK request template must produce JSON with a statusCode"
            ) from None
        return status, ""
    target = parse_service_uri(integration.uri or "")
    operation = target.rest.split("?")[0].split("&")[0] if target.kind == "action" else None
    extra = dict(mapped.querystring)
    if target.kind == "path" and target.service == "sqs":
        account, _, queue = target.rest.partition("/")
        extra.setdefault("QueueUrl", f"https://sqs.{target.region}.amazonaws.com/{account}/{queue}")
    headers = {k.lower(): v for k, v in mapped.headers.items()}
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
    return answer.status, answer.body


def select_response(integration: Integration, status: int) -> IntegrationResponse:
    default = None
    for response in integration.responses.values():
        if not response.selection_pattern:
            default = default or response
        elif re.fullmatch(response.selection_pattern, str(status)):
            return response
    if default is None:
        raise IntegrationFailure(
            "No match for output mapping and no default output mapping was specified"
        )
    return default


def map_response(
    integration: Integration,
    status: int,
    body: str,
    request: ApiRequest,
    params: dict[str, dict[str, str]],
    context: dict[str, Any],
    stage_variables: dict[str, str],
) -> tuple[int, Headers, bytes]:
    response = select_response(integration, status)
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
