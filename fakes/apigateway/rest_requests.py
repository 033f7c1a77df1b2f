"""Serving one request of a REST API: route to a method, run its integration, answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventproof_fakes.apigateway import lambda_proxy
from eventproof_fakes.apigateway.messages import ApiRequest, ApiResponse, Headers, json_response
from eventproof_fakes.apigateway.proxy_events import (
    proxy_event_v1,
    request_time,
    rest_body_is_binary,
)
from eventproof_fakes.apigateway.proxy_responses import MalformedProxyResponse, response_v1
from eventproof_fakes.apigateway.rest_integrations import (
    IntegrationFailure,
    IntegrationTimeout,
    UnsupportedMediaType,
    call_backend,
    map_request,
    map_response,
    method_params,
)
from eventproof_fakes.apigateway.rest_model import Method, Resource, RestApi
from eventproof_fakes.apigateway.routing import best_match

if TYPE_CHECKING:
    from eventproof_fakes.apigateway.service_calls import ServiceCaller
    from eventproof_fakes.environment import FakeAWS

# AWS's gateway responses for REST APIs (their default bodies).
MISSING_TOKEN = (403, "Missing Authentication Token")
FORBIDDEN = (403, "Forbidden")
INTERNAL = (500, "Internal server error")
BAD_GATEWAY = (502, "Internal server error")
TIMEOUT = (504, "Endpoint request timed out")
UNSUPPORTED_MEDIA = (415, "Unsupported Media Type")


class Outcome:
    """What the gateway answered, and why when it was an error (for the request log)."""

    def __init__(self, response: ApiResponse, problem: str | None = None) -> None:
        self.response = response
        self.problem = problem


def gateway_error(answer: tuple[int, str], request_id: str, problem: str | None) -> Outcome:
    return Outcome(json_response(answer[0], {"message": answer[1]}, request_id), problem)


def rest_context(
    env: FakeAWS,
    request: ApiRequest,
    resource: Resource,
    request_id: str,
    extended_id: str,
    now: float,
) -> dict[str, Any]:
    """``$context`` of a mapping template."""
    return {
        "accountId": env.account_id,
        "apiId": request.api_id,
        "domainName": request.domain_name,
        "domainPrefix": request.api_id,
        "extendedRequestId": extended_id,
        "httpMethod": request.method,
        "identity": {"sourceIp": request.source_ip, "userAgent": request.headers.get("user-agent")},
        "path": f"/{request.stage}{request.path}",
        "protocol": request.protocol,
        "requestId": request_id,
        "requestTime": request_time(now),
        "requestTimeEpoch": int(now * 1000),
        "resourceId": resource.id,
        "resourcePath": resource.path,
        "stage": request.stage,
    }


def serve_rest(
    env: FakeAWS,
    caller: ServiceCaller,
    api: RestApi,
    request: ApiRequest,
    request_id: str,
    extended_id: str,
) -> Outcome:
    stage = api.stages.get(request.stage)
    if stage is None:
        return gateway_error(FORBIDDEN, request_id, f"no stage {request.stage!r}")
    resources = api.deployments[stage.deployment_id].resources
    candidates = [
        (resource.path, name, (resource, method))
        for resource in resources.values()
        for name, method in resource.methods.items()
    ]
    found = best_match(candidates, request.method, request.path)
    if found is None:
        return gateway_error(
            MISSING_TOKEN, request_id, f"no method for {request.method} {request.path}"
        )
    (resource, method), path_parameters = found
    integration = method.integration
    if integration is None:
        return gateway_error(INTERNAL, request_id, "No integration defined for method")
    now = env.clock.now()
    if integration.type == "AWS_PROXY":
        return _lambda_proxy(
            env,
            api,
            request,
            resource,
            method,
            path_parameters,
            stage.variables,
            request_id,
            extended_id,
            now,
        )
    params = method_params(request, path_parameters)
    context = rest_context(env, request, resource, request_id, extended_id, now)
    try:
        mapped = map_request(integration, request, params, context, stage.variables)
        answer = call_backend(env, caller, integration, mapped)
        status, headers, out = map_response(
            integration, answer, request, params, context, stage.variables
        )
    except IntegrationTimeout:
        return gateway_error(TIMEOUT, request_id, "Execution failed due to a timeout error")
    except UnsupportedMediaType as error:
        return gateway_error(UNSUPPORTED_MEDIA, request_id, f"no request template for {error}")
    except IntegrationFailure as error:
        return gateway_error(
            INTERNAL, request_id, f"Execution failed due to configuration error: {error}"
        )
    return Outcome(ApiResponse(status, headers, out))


def _lambda_proxy(
    env: FakeAWS,
    api: RestApi,
    request: ApiRequest,
    resource: Resource,
    method: Method,
    path_parameters: dict[str, str],
    stage_variables: dict[str, str],
    request_id: str,
    extended_id: str,
    now: float,
) -> Outcome:
    assert method.integration is not None
    event = proxy_event_v1(
        request,
        resource_path=resource.path,
        resource_id=resource.id,
        path_parameters=path_parameters,
        stage_variables=stage_variables,
        request_id=request_id,
        extended_request_id=extended_id,
        account_id=env.account_id,
        now=now,
        base64_body=rest_body_is_binary(request, api.binary_media_types),
    )
    outcome = lambda_proxy.call_function(
        env,
        method.integration.uri or "",
        event,
        method.integration.timeout_in_millis,
        stage_variables,
    )
    if outcome.status == lambda_proxy.TIMED_OUT:
        return gateway_error(TIMEOUT, request_id, outcome.problem)
    if outcome.status == lambda_proxy.INVOKE_FAILED:
        return gateway_error(INTERNAL, request_id, outcome.problem)
    if outcome.status == lambda_proxy.FUNCTION_ERROR:
        return gateway_error(BAD_GATEWAY, request_id, outcome.problem)
    try:
        status, headers, body = response_v1(outcome.result)
    except MalformedProxyResponse as error:
        return gateway_error(
            BAD_GATEWAY,
            request_id,
            f"Execution failed due to configuration error: Malformed Lambda proxy response: {error}",
        )
    headers.set_default("Content-Type", "application/json")
    return Outcome(ApiResponse(status, headers, body))


def add_rest_response_headers(
    headers: Headers, request_id: str, extended_id: str, trace_id: str
) -> None:
    headers.set_default("x-amzn-RequestId", request_id)
    headers.set_default("x-amz-apigw-id", extended_id)
    headers.set_default("X-Amzn-Trace-Id", trace_id)
