"""``APIGateway``: REST APIs' control plane, and the one entry point for requests to any API."""

from __future__ import annotations

import base64
import json as jsonlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from eventproof_fakes.apigateway.http_model import DEFAULT_STAGE, HttpApi
from eventproof_fakes.apigateway.http_requests import serve_http
from eventproof_fakes.apigateway.messages import ApiRequest, ApiResponse, Headers
from eventproof_fakes.apigateway.rest_apis import RestApiControl
from eventproof_fakes.apigateway.rest_methods import RestMethodControl
from eventproof_fakes.apigateway.rest_model import RestApi
from eventproof_fakes.apigateway.rest_requests import (
    FORBIDDEN,
    add_rest_response_headers,
    gateway_error,
    serve_rest,
)
from eventproof_fakes.apigateway.service_calls import ServiceCaller
from eventproof_fakes.apigateway.uris import (
    execute_api_host,
    execute_api_url,
    parse_execute_api_url,
)

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

_NO_JSON = object()
REQUEST_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
Query = Mapping[str, str | Iterable[str]]


class ApiNotFound(LookupError):
    """The request names no API (or stage) of this environment."""


@dataclass
class RequestRecord:
    """One request the gateway served, as its access and execution logs would show it."""

    api_id: str
    stage: str
    method: str
    path: str
    status: int
    request_id: str
    problem: str | None  # why the gateway answered with an error (its execution log line)


class APIGateway(RestApiControl, RestMethodControl):
    """REST APIs (service ``apigateway``) and ``request``, which serves REST and HTTP APIs alike.

    Requests run in-process: ``request("POST", "/book", json={...})`` routes
    as API Gateway does, turns the request into a Lambda proxy event (payload
    1.0 or 2.0) or a service call made by mapping templates, and turns the
    answer back into an ``ApiResponse``. ``eventproof_fakes.apigateway.server`` puts an
    HTTP front on the same path (serialising its connections, each request
    atomic under ``FakeAWS.lock``; ``request`` called directly from several
    threads takes ``with aws.lock:`` itself, as ``eventproof_fakes.locking`` says). See
    ``RestApiControl`` and ``APIGatewayV2``
    (and ``RestMethodControl``) for what the control plane refuses.
    """

    def __init__(self, env: FakeAWS) -> None:
        self.env = env
        self.rest_apis: dict[str, RestApi] = {}
        self.requests: list[RequestRecord] = []
        self._caller = ServiceCaller(env)

    def __repr__(self) -> str:
        return f"<fake API Gateway: {len(self.rest_apis)} REST APIs>"

    # --- addresses ------------------------------------------------------------
    def url(self, api: str | None = None, stage: str | None = None) -> str:
        """The ``execute-api`` URL of an API's stage (the only stage when not named)."""
        found = self.find_api(api)
        return execute_api_url(found.id, self.env.region, self._default_stage(found, stage))

    # --- requests -------------------------------------------------------------
    def request(
        self,
        method: str,
        target: str,
        *,
        json: Any = _NO_JSON,
        body: str | bytes | None = None,
        headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        query: Query | None = None,
        api: str | None = None,
        stage: str | None = None,
        source_ip: str = "127.0.0.1",
    ) -> ApiResponse:
        """Send one request to an API as a client would; the gateway's answer.

        ``target`` is a path (``"/book?x=1"``) of ``api`` (an id or name; may be
        left out when the environment has one API) at ``stage`` (may be left
        out when the API has one stage, or ``$default``), or a whole
        ``https://{api}.execute-api.{region}.amazonaws.com/{stage}/...`` URL.
        ``json`` is sent as an ``application/json`` body; ``headers`` may be
        pairs, to repeat a name.
        """
        method = method.upper()
        if method not in REQUEST_METHODS:
            raise ValueError(f"API Gateway serves {', '.join(REQUEST_METHODS)}, not {method!r}")
        address = parse_execute_api_url(target)
        if address is not None:
            found = self.find_api(address.api_id)
            if api is not None and self.find_api(api) is not found:
                raise ApiNotFound(f"{target} is an address of API {found.id}, not of {api!r}")
            raw_path, raw_query = address.path, address.query
            if stage is None:
                stage, raw_path = self._stage_from_path(found, raw_path)
        else:
            found = self.find_api(api)
            raw_path, _, raw_query = target.partition("?")
            stage = self._default_stage(found, stage)
        if not raw_path.startswith("/"):
            raw_path = "/" + raw_path
        if query:
            raw_query = "&".join(part for part in (raw_query, urlencode(query, doseq=True)) if part)
        request_headers = Headers.of(headers)
        payload = self._body(json, body, request_headers)
        return self._serve(
            method, found, stage, raw_path, raw_query, request_headers, payload, source_ip
        )

    def _serve(
        self,
        method: str,
        api: RestApi | HttpApi,
        stage: str,
        raw_path: str,
        raw_query: str,
        headers: Headers,
        body: bytes | None,
        source_ip: str,
        protocol: str = "HTTP/1.1",
    ) -> ApiResponse:
        env = self.env
        domain = execute_api_host(api.id, env.region)
        trace_id = f"Root=1-{int(env.clock.now()):08x}-{env.ids.hex(24)}"
        headers.remove("host")
        headers.add("Host", domain)
        forwarded = headers.get("x-forwarded-for")
        headers.remove("x-forwarded-for")  # a proxy appends the address it saw the client at
        headers.add("X-Forwarded-For", f"{forwarded}, {source_ip}" if forwarded else source_ip)
        for name, value in (
            ("X-Amzn-Trace-Id", trace_id),
            ("X-Forwarded-Port", "443"),
            ("X-Forwarded-Proto", "https"),
        ):
            headers.set_default(name, value)
        if body and "content-length" not in headers:
            headers.add("Content-Length", str(len(body)))
        request = ApiRequest(
            method=method,
            path=raw_path,
            raw_path=raw_path,
            raw_query=raw_query,
            headers=headers,
            body=body,
            api_id=api.id,
            stage=stage,
            source_ip=source_ip,
            protocol=protocol,
            domain_name=domain,
        )
        extended_id = base64.b64encode(env.ids.random().randbytes(11)).decode("ascii")
        if api.disable_execute_api_endpoint:
            # Only custom domains reach such an API, and the fake models none.
            request_id = env.ids.uuid()
            outcome = gateway_error(
                FORBIDDEN, request_id, "the API's execute-api endpoint is disabled"
            )
        elif isinstance(api, RestApi):
            request_id = env.ids.uuid()
            outcome = serve_rest(env, self._caller, api, request, request_id, extended_id)
            add_rest_response_headers(outcome.response.headers, request_id, extended_id, trace_id)
        else:
            request_id = extended_id
            outcome = serve_http(env, self._caller, api, request, request_id)
            outcome.response.headers.set_default("apigw-requestid", request_id)
        self.requests.append(
            RequestRecord(
                api.id,
                stage,
                method,
                raw_path,
                outcome.response.status,
                request_id,
                outcome.problem,
            )
        )
        return outcome.response

    @staticmethod
    def _body(json: Any, body: str | bytes | None, headers: Headers) -> bytes | None:
        if json is not _NO_JSON:
            if body is not None:
                raise ValueError("pass json= or body=, not both")
            headers.set_default("Content-Type", "application/json")
            return jsonlib.dumps(json).encode("utf-8")
        if isinstance(body, str):
            return body.encode("utf-8")
        return body

    # --- finding the API and stage ----------------------------------------------
    def _all_apis(self) -> list[RestApi | HttpApi]:
        return [*self.rest_apis.values(), *self.env.apigatewayv2.apis.values()]

    def find_api(self, reference: str | None) -> RestApi | HttpApi:
        apis = self._all_apis()
        if reference is None:
            if len(apis) == 1:
                return apis[0]
            names = ", ".join(f"{a.name} ({a.id})" for a in apis) or "none"
            raise ApiNotFound(f"name the API (api=...): this environment has {len(apis)}: {names}")
        matches = [a for a in apis if reference in (a.id, a.name)]
        if len(matches) != 1:
            names = ", ".join(f"{a.name} ({a.id})" for a in apis) or "none"
            problem = "no API" if not matches else f"{len(matches)} APIs"
            raise ApiNotFound(f"{problem} named {reference!r}; APIs: {names}")
        return matches[0]

    @staticmethod
    def _default_stage(api: RestApi | HttpApi, stage: str | None) -> str:
        if stage is not None:
            return stage
        names = list(api.stages)
        if DEFAULT_STAGE in names:
            return DEFAULT_STAGE
        if len(names) == 1:
            return names[0]
        raise ApiNotFound(
            f"name the stage (stage=...) of API {api.name} ({api.id}): it has {names or 'none'}"
        )

    @staticmethod
    def _stage_from_path(api: RestApi | HttpApi, raw_path: str) -> tuple[str, str]:
        """An execute-api path starts with the stage, except for an HTTP API's ``$default`` stage."""
        first, _, rest = raw_path.lstrip("/").partition("/")
        if isinstance(api, HttpApi) and first not in api.stages:
            return DEFAULT_STAGE, raw_path
        return first, "/" + rest
