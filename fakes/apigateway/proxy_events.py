"""The events a Lambda proxy integration hands the function: payload format 1.0 and 2.0.

Shapes follow AWS's documentation:
- 1.0 (REST APIs, and HTTP APIs that ask for it): "Input format of a Lambda
  function for proxy integration",
  https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
- 2.0 (HTTP APIs): "Payload format version",
  https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from eventproof_fakes.apigateway.messages import ApiRequest

# Bodies an HTTP API passes as text; everything else (form posts included) arrives base64.
_TEXT_TYPES = ("application/json", "application/javascript", "application/xml")


def request_time(epoch_seconds: float) -> str:
    """``12/Mar/2020:19:03:58 +0000``: API Gateway's CLF-style request time."""
    return datetime.fromtimestamp(epoch_seconds, tz=UTC).strftime("%d/%b/%Y:%H:%M:%S +0000")


def _query_pairs(raw_query: str) -> list[tuple[str, str]]:
    return parse_qsl(raw_query, keep_blank_values=True)


def _media_type(request: ApiRequest) -> str:
    return (request.headers.get("content-type") or "").split(";")[0].strip().lower()


def _matches_media(media_type: str, patterns: list[str]) -> bool:
    for pattern in patterns:
        pattern = pattern.lower()
        if pattern == "*/*" or pattern == media_type:
            return True
        if pattern.endswith("/*") and media_type.startswith(pattern[:-1]):
            return True
    return False


def body_field(body: bytes | None, base64_encoded: bool) -> str | None:
    if body is None or (not body and not base64_encoded):
        return None
    if base64_encoded:
        return base64.b64encode(body).decode("ascii")
    return body.decode("utf-8", errors="replace")


def rest_body_is_binary(request: ApiRequest, binary_media_types: list[str]) -> bool:
    """A REST API base64-encodes a body whose Content-Type is one of the API's binaryMediaTypes."""
    return bool(request.body) and _matches_media(_media_type(request), binary_media_types)


def http_body_is_binary(request: ApiRequest) -> bool:
    """An HTTP API passes JSON, XML, JavaScript and ``text/*`` as text and base64-encodes the rest.

    Simplified: a body without a Content-Type is text when it decodes as UTF-8.
    """
    if not request.body:
        return False
    media = _media_type(request)
    if not media:
        try:
            request.body.decode("utf-8")
        except UnicodeDecodeError:
            return True
        return False
    textual = (
        media.startswith("text/")
        or media in _TEXT_TYPES
        or media.endswith("+json")
        or media.endswith("+xml")
    )
    return not textual


def proxy_event_v1(
    request: ApiRequest,
    *,
    resource_path: str,
    resource_id: str,
    path_parameters: dict[str, str],
    stage_variables: dict[str, str],
    request_id: str,
    extended_request_id: str,
    account_id: str,
    now: float,
    base64_body: bool,
    http_api: bool = False,
    route_key: str | None = None,
) -> dict[str, Any]:
    """Payload format 1.0. ``http_api`` gives the HTTP API flavour (``version``, routeKey, no stage in path)."""
    headers: dict[str, str] = {}
    multi_headers: dict[str, list[str]] = {}
    for name, value in request.headers.items():
        headers[name] = value  # the last value wins, as AWS documents
        multi_headers.setdefault(name, []).append(value)
    query: dict[str, str] = {}
    multi_query: dict[str, list[str]] = {}
    for name, value in _query_pairs(request.raw_query):
        query[name] = value
        multi_query.setdefault(name, []).append(value)
    user_agent = request.headers.get("user-agent")
    stage_prefix = "" if request.stage == "$default" else f"/{request.stage}"
    context: dict[str, Any] = {
        "accountId": account_id,
        "apiId": request.api_id,
        "domainName": request.domain_name,
        "domainPrefix": request.api_id,
        "extendedRequestId": extended_request_id,
        "httpMethod": request.method,
        "identity": {
            "accessKey": None,
            "accountId": None,
            "caller": None,
            "cognitoAuthenticationProvider": None,
            "cognitoAuthenticationType": None,
            "cognitoIdentityId": None,
            "cognitoIdentityPoolId": None,
            "principalOrgId": None,
            "sourceIp": request.source_ip,
            "user": None,
            "userAgent": user_agent,
            "userArn": None,
        },
        "path": request.path if http_api else f"{stage_prefix}{request.path}",
        "protocol": request.protocol,
        "requestId": request_id,
        "requestTime": request_time(now),
        "requestTimeEpoch": int(now * 1000),
        "resourceId": resource_id,
        "resourcePath": resource_path,
        "stage": request.stage,
    }
    event: dict[str, Any] = {}
    if http_api:
        event["version"] = "1.0"
        context["routeKey"] = route_key
        context["authorizer"] = {"claims": None, "scopes": None}
    event.update(
        {
            "resource": resource_path,
            "path": request.path,
            "httpMethod": request.method,
            "headers": headers,
            "multiValueHeaders": multi_headers,
            "queryStringParameters": query or None,
            "multiValueQueryStringParameters": multi_query or None,
            "requestContext": context,
            "pathParameters": path_parameters or None,
            "stageVariables": stage_variables or None,
            "body": body_field(request.body, base64_body),
            "isBase64Encoded": base64_body,
        }
    )
    return event


def proxy_event_v2(
    request: ApiRequest,
    *,
    route_key: str,
    path_parameters: dict[str, str],
    stage_variables: dict[str, str],
    request_id: str,
    account_id: str,
    now: float,
) -> dict[str, Any]:
    """Payload format 2.0: lower-case headers joined with commas, cookies apart, optional fields left out."""
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in request.headers.items():
        lowered = name.lower()
        if lowered == "cookie":
            cookies.extend(part.strip() for part in value.split(";") if part.strip())
            continue
        headers[lowered] = f"{headers[lowered]},{value}" if lowered in headers else value
    query: dict[str, str] = {}
    for name, value in _query_pairs(request.raw_query):
        query[name] = f"{query[name]},{value}" if name in query else value
    base64_body = http_body_is_binary(request)
    stage_prefix = "" if request.stage == "$default" else f"/{request.stage}"
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": f"{stage_prefix}{request.raw_path}",
        "rawQueryString": request.raw_query,
    }
    if cookies:
        event["cookies"] = cookies
    event["headers"] = headers
    if query:
        event["queryStringParameters"] = query
    event["requestContext"] = {
        "accountId": account_id,
        "apiId": request.api_id,
        "domainName": request.domain_name,
        "domainPrefix": request.api_id,
        "http": {
            "method": request.method,
            "path": f"{stage_prefix}{request.path}",
            "protocol": request.protocol,
            "sourceIp": request.source_ip,
            "userAgent": request.headers.get("user-agent") or "",
        },
        "requestId": request_id,
        "routeKey": route_key,
        "stage": request.stage,
        "time": request_time(now),
        "timeEpoch": int(now * 1000),
    }
    body = body_field(request.body, base64_body)
    if body is not None:
        event["body"] = body
    if path_parameters:
        event["pathParameters"] = path_parameters
    event["isBase64Encoded"] = base64_body
    if stage_variables:
        event["stageVariables"] = stage_variables
    return event
