"""Serving one request of an HTTP API: route, run the integration, answer.

First-class integrations (``IntegrationSubtype``) map request data to the
service's parameters with ``RequestParameters`` whose values are static
text, a selection expression (``$request.body.order``, ``$request.header.x``,
``$request.querystring.q``, ``$request.path.id``, ``$context.requestId``,
``$stageVariables.name``) or text with ``${...}`` parts:
https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-aws-services-reference.html
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from eventproof_fakes.apigateway import cors, lambda_proxy
from eventproof_fakes.apigateway.http_model import (
    DEFAULT_ROUTE,
    HttpApi,
    HttpIntegration,
    Route,
    parse_route_key,
)
from eventproof_fakes.apigateway.messages import ApiRequest, ApiResponse, Headers
from eventproof_fakes.apigateway.proxy_events import (
    http_body_is_binary,
    proxy_event_v1,
    proxy_event_v2,
    request_time,
)
from eventproof_fakes.apigateway.proxy_responses import (
    MalformedProxyResponse,
    response_v1,
    response_v2,
)
from eventproof_fakes.apigateway.rest_requests import Outcome, gateway_error
from eventproof_fakes.apigateway.routing import best_match

if TYPE_CHECKING:
    from eventproof_fakes.apigateway.service_calls import ServiceCaller
    from eventproof_fakes.environment import FakeAWS

NOT_FOUND = (404, "Not Found")
INTERNAL = (500, "Internal Server Error")
UNAVAILABLE = (503, "Service Unavailable")
_INTERPOLATION = re.compile(r"\$\{([^}]+)\}")

# IntegrationSubtype -> (service, operation, {RequestParameters key: how it becomes a parameter}).
_SQS_SEND = {
    "QueueUrl": "QueueUrl",
    "MessageBody": "MessageBody",
    "DelaySeconds": "DelaySeconds",
    "MessageAttributes": "MessageAttributes",
    "MessageDeduplicationId": "MessageDeduplicationId",
    "MessageGroupId": "MessageGroupId",
}
_EVENTS_PUT = {
    "Detail": "Detail",
    "DetailType": "DetailType",
    "Source": "Source",
    "Time": "Time",
    "EventBusName": "EventBusName",
    "Resources": "Resources",
    "TraceHeader": "TraceHeader",
}


def route_request(
    routes: dict[str, Route], request: ApiRequest
) -> tuple[Route, dict[str, str]] | None:
    candidates = []
    default = None
    for route in routes.values():
        parsed = parse_route_key(route.key)
        if parsed is None:
            default = route
        else:
            candidates.append((parsed[1], parsed[0], route))
    found = best_match(candidates, request.method, request.path)
    if found is not None:
        return found
    return (default, {}) if default is not None else None


def serve_http(
    env: FakeAWS, caller: ServiceCaller, api: HttpApi, request: ApiRequest, request_id: str
) -> Outcome:
    if api.cors is not None:
        answer = cors.preflight(api.cors, request)
        if answer is not None:
            return Outcome(answer)
        outcome = _serve(env, caller, api, request, request_id)
        cors.decorate(api.cors, request, outcome.response)
        return outcome
    return _serve(env, caller, api, request, request_id)


def _serve(
    env: FakeAWS, caller: ServiceCaller, api: HttpApi, request: ApiRequest, request_id: str
) -> Outcome:
    stage = api.stages.get(request.stage)
    if stage is None or stage.deployment_id is None:
        return gateway_error(NOT_FOUND, request_id, f"no deployed stage {request.stage!r}")
    deployment = api.deployments[stage.deployment_id]
    found = route_request(deployment.routes, request)
    if found is None:
        return gateway_error(NOT_FOUND, request_id, f"no route for {request.method} {request.path}")
    route, path_parameters = found
    integration_id = (route.target or "").removeprefix("integrations/")
    integration = deployment.integrations.get(integration_id)
    if integration is None:
        return gateway_error(NOT_FOUND, request_id, f"route {route.key} has no integration")
    now = env.clock.now()
    if integration.subtype is not None:
        return _service_integration(
            caller, integration, request, path_parameters, stage.variables, request_id, now
        )
    if integration.payload_format_version == "2.0":
        event = proxy_event_v2(
            request,
            route_key=route.key,
            path_parameters=path_parameters,
            stage_variables=stage.variables,
            request_id=request_id,
            account_id=env.account_id,
            now=now,
        )
    else:
        template = route.key if route.key == DEFAULT_ROUTE else route.key.partition(" ")[2]
        event = proxy_event_v1(
            request,
            resource_path=template,
            resource_id=route.id,
            path_parameters=path_parameters,
            stage_variables=stage.variables,
            request_id=request_id,
            extended_request_id=request_id,
            account_id=env.account_id,
            now=now,
            base64_body=http_body_is_binary(request),
            http_api=True,
            route_key=route.key,
        )
    outcome = lambda_proxy.call_function(
        env, integration.uri or "", event, integration.timeout_in_millis, stage.variables
    )
    if outcome.status == lambda_proxy.TIMED_OUT:
        return gateway_error(UNAVAILABLE, request_id, outcome.problem)
    if outcome.status != lambda_proxy.OK:
        return gateway_error(INTERNAL, request_id, outcome.problem)
    convert = response_v2 if integration.payload_format_version == "2.0" else response_v1
    try:
        status, headers, body = convert(outcome.result)
    except MalformedProxyResponse as error:
        return gateway_error(INTERNAL, request_id, f"Malformed Lambda proxy response: {error}")
    return Outcome(ApiResponse(status, headers, body))


def _select(
    expression: str,
    request: ApiRequest,
    path_parameters: dict[str, str],
    stage_variables: dict[str, str],
    context: dict[str, Any],
) -> Any:
    """The value of one selection expression (without its ``$``), or None when absent."""
    if expression == "request.body":
        return (request.body or b"").decode("utf-8", errors="replace")
    if expression.startswith("request.body."):
        try:
            value: Any = json.loads(request.body or b"null")
        except (json.JSONDecodeError, RecursionError):
            return None  # what a selection expression finds in a body that is not JSON
        for part in expression.removeprefix("request.body.").split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return value
    if expression.startswith("request.header."):
        return request.headers.get(expression.removeprefix("request.header."))
    if expression.startswith("request.querystring."):
        return dict(parse_qsl(request.raw_query)).get(
            expression.removeprefix("request.querystring.")
        )
    if expression.startswith("request.path."):
        return path_parameters.get(expression.removeprefix("request.path."))
    if expression.startswith("stageVariables."):
        return stage_variables.get(expression.removeprefix("stageVariables."))
    if expression.startswith("context."):
        return context.get(expression.removeprefix("context."))
    raise ValueError(f"unsupported selection expression ${expression}")


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _parameter(template: str, select: Any) -> Any:
    if template.startswith("$") and not template.startswith("${") and " " not in template:
        return select(template[1:])
    return _INTERPOLATION.sub(lambda m: _as_text(select(m.group(1)) or ""), template)


def _service_integration(
    caller: ServiceCaller,
    integration: HttpIntegration,
    request: ApiRequest,
    path_parameters: dict[str, str],
    stage_variables: dict[str, str],
    request_id: str,
    now: float,
) -> Outcome:
    context = {
        "requestId": request_id,
        "stage": request.stage,
        "apiId": request.api_id,
        "requestTime": request_time(now),
    }

    def select(expression: str) -> Any:
        return _select(expression, request, path_parameters, stage_variables, context)

    try:
        values = {
            key: _parameter(template, select)
            for key, template in integration.request_parameters.items()
        }
    except ValueError as error:
        return gateway_error(INTERNAL, request_id, str(error))
    if integration.subtype == "SQS-SendMessage":
        names, service, operation = _SQS_SEND, "sqs", "SendMessage"
    else:
        names, service, operation = _EVENTS_PUT, "events", "PutEvents"
    unknown = sorted(set(values) - set(names) - {"Region"})
    if unknown:
        return gateway_error(
            INTERNAL,
            request_id,
            f"unsupported RequestParameters {unknown} for {integration.subtype}",
        )
    params: dict[str, Any] = {}
    for key, value in values.items():
        if value is None or key == "Region":
            continue
        try:
            if key == "DelaySeconds":
                params[key] = int(value)
            elif key in ("MessageAttributes", "Resources"):
                params[key] = json.loads(value) if isinstance(value, str) else value
            else:
                params[names[key]] = _as_text(value)
        except (ValueError, TypeError, RecursionError) as error:
            problem = f"RequestParameters {key}: cannot use {str(value)[:100]!r}: {error}"
            return gateway_error(INTERNAL, request_id, problem)
    if service == "events":
        params = {"Entries": [params]}
    answer = caller.invoke(service, operation, params, query_style=service == "sqs")
    headers = Headers([("Content-Type", "application/json")])
    return Outcome(ApiResponse(answer.status, headers, answer.body.encode("utf-8")))
