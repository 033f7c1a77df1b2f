"""CORS for HTTP APIs: API Gateway answers preflight requests and sets the CORS headers itself.

With a ``CorsConfiguration``, API Gateway answers an ``OPTIONS`` request
that carries ``Origin`` and ``Access-Control-Request-Method`` without
calling any integration (an OPTIONS route is not needed), and on every other
response replaces whatever CORS headers the integration returned with its
own. https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
"""

from __future__ import annotations

import re
from typing import Any

from eventproof_fakes.apigateway.errors import bad_request
from eventproof_fakes.apigateway.messages import ApiRequest, ApiResponse, Headers

_FIELDS = {
    "AllowCredentials": bool,
    "AllowHeaders": list,
    "AllowMethods": list,
    "AllowOrigins": list,
    "ExposeHeaders": list,
    "MaxAge": int,
}


def check_configuration(cors: dict[str, Any]) -> dict[str, Any]:
    for key, value in cors.items():
        expected = _FIELDS.get(key)
        if expected is None or not isinstance(value, expected):
            raise bad_request(f"Invalid CorsConfiguration field {key}")
    if cors.get("AllowCredentials") and "*" in cors.get("AllowOrigins", []):
        raise bad_request("AllowCredentials is not supported with AllowOrigins '*'")
    return dict(cors)


def _origin_allowed(cors: dict[str, Any], origin: str) -> str | None:
    """The Access-Control-Allow-Origin value for ``origin``, or None when it is not allowed."""
    for allowed in cors.get("AllowOrigins", []):
        if allowed == "*":
            return "*"
        pattern = "^" + re.escape(allowed).replace(r"\*", "[^/]+") + "$"
        if re.match(pattern, origin, flags=re.IGNORECASE):
            return origin
    return None


def _cors_headers(cors: dict[str, Any], allow_origin: str) -> Headers:
    headers = Headers([("access-control-allow-origin", allow_origin)])
    if cors.get("AllowCredentials"):
        headers.add("access-control-allow-credentials", "true")
    return headers


def preflight(cors: dict[str, Any], request: ApiRequest) -> ApiResponse | None:
    """The answer to a CORS preflight request, or None when the request is not one."""
    origin = request.headers.get("origin")
    wanted_method = request.headers.get("access-control-request-method")
    if request.method != "OPTIONS" or origin is None or wanted_method is None:
        return None
    allow_origin = _origin_allowed(cors, origin)
    if allow_origin is None:
        return ApiResponse(204, Headers())
    headers = _cors_headers(cors, allow_origin)
    if cors.get("AllowMethods"):
        headers.add("access-control-allow-methods", ",".join(cors["AllowMethods"]))
    if cors.get("AllowHeaders"):
        headers.add("access-control-allow-headers", ",".join(cors["AllowHeaders"]))
    if "MaxAge" in cors:
        headers.add("access-control-max-age", str(cors["MaxAge"]))
    return ApiResponse(204, headers)


def decorate(cors: dict[str, Any], request: ApiRequest, response: ApiResponse) -> None:
    """Replace the integration's CORS headers with the API's, for an allowed origin."""
    for name in list(response.headers):
        if name.lower().startswith("access-control-"):
            response.headers.remove(name)
    origin = request.headers.get("origin")
    allow_origin = _origin_allowed(cors, origin) if origin is not None else None
    if allow_origin is None:
        return
    for name, value in _cors_headers(cors, allow_origin).items():
        response.headers.add(name, value)
    if cors.get("ExposeHeaders"):
        response.headers.add("access-control-expose-headers", ",".join(cors["ExposeHeaders"]))
