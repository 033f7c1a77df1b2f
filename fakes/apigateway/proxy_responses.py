"""A Lambda proxy integration's result turned into the HTTP response the client gets.

Format 1.0 (REST APIs): the result must be an object with ``statusCode`` and
only ``headers``, ``multiValueHeaders``, ``body`` (a string) and
``isBase64Encoded`` besides; anything else is a "Malformed Lambda proxy
response". Format 2.0 (HTTP APIs) also takes ``cookies``, and infers the
response when the result has no ``statusCode``: status 200, content-type
application/json, the result as the body (a string as it is, anything else as
JSON). https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format
and https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from eventproof_fakes.apigateway.messages import Headers

_V1_KEYS = frozenset({"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"})
_V2_KEYS = frozenset({"statusCode", "headers", "cookies", "body", "isBase64Encoded"})


class MalformedProxyResponse(Exception):
    """The function answered, but not in the proxy format: the client gets a 5xx."""


def _header_value(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise MalformedProxyResponse(f"header {name!r} has a {type(value).__name__} value")


def _status(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise MalformedProxyResponse(f"statusCode must be an integer, not {value!r}")
    try:
        status = int(value)
    except ValueError:
        raise MalformedProxyResponse(f"statusCode must be an integer, not {value!r}") from None
    if not 100 <= status <= 599:
        raise MalformedProxyResponse(f"statusCode {status} is not an HTTP status")
    return status


def _body(result: dict[str, Any]) -> bytes:
    body = result.get("body")
    if body is None:
        return b""
    if not isinstance(body, str):
        raise MalformedProxyResponse(f"body must be a string, not {type(body).__name__}")
    encoded = result.get("isBase64Encoded", False)
    if not isinstance(encoded, bool):
        raise MalformedProxyResponse("isBase64Encoded must be a boolean")
    if not encoded:
        return body.encode("utf-8")
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise MalformedProxyResponse("isBase64Encoded is true but body is not base64") from None


def _headers(result: dict[str, Any]) -> Headers:
    headers = Headers()
    single = result.get("headers") or {}
    multi = result.get("multiValueHeaders") or {}
    if not isinstance(single, dict) or not isinstance(multi, dict):
        raise MalformedProxyResponse("headers and multiValueHeaders must be objects")
    for name, values in multi.items():
        if not isinstance(values, list):
            raise MalformedProxyResponse(f"multiValueHeaders[{name!r}] must be a list")
        for value in values:
            headers.add(name, _header_value(name, value))
    for name, value in single.items():
        if name not in multi:  # a name in both: the multi-value list is what AWS sends
            headers.add(name, _header_value(name, value))
    return headers


def response_v1(result: Any) -> tuple[int, Headers, bytes]:
    if not isinstance(result, dict):
        raise MalformedProxyResponse(f"the result is a {type(result).__name__}, not an object")
    unknown = set(result) - _V1_KEYS
    if unknown:
        raise MalformedProxyResponse(f"unexpected fields {sorted(unknown)}")
    if "statusCode" not in result:
        raise MalformedProxyResponse("statusCode is missing")
    return _status(result["statusCode"]), _headers(result), _body(result)


def response_v2(result: Any) -> tuple[int, Headers, bytes]:
    if not (isinstance(result, dict) and "statusCode" in result):
        body = result if isinstance(result, str) else json.dumps(result, separators=(",", ":"))
        return 200, Headers([("content-type", "application/json")]), body.encode("utf-8")
    unknown = set(result) - _V2_KEYS
    if unknown:
        raise MalformedProxyResponse(f"unexpected fields {sorted(unknown)}")
    headers = _headers(result)
    cookies = result.get("cookies") or []
    if not isinstance(cookies, list) or not all(isinstance(c, str) for c in cookies):
        raise MalformedProxyResponse("cookies must be a list of strings")
    for cookie in cookies:
        headers.add("set-cookie", cookie)
    return _status(result["statusCode"]), headers, _body(result)
