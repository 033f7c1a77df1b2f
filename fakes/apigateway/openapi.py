"""APIs from OpenAPI definitions with API Gateway's extensions, as templates declare them.

CloudFormation's ``AWS::ApiGateway::RestApi`` and ``AWS::ApiGatewayV2::Api``
with a ``Body`` (and every SAM ``Api``/``HttpApi``, which the SAM transform
turns into one) reach API Gateway as an OpenAPI (or Swagger 2.0) document:
methods under ``paths`` carry ``x-amazon-apigateway-integration``, ``ANY`` is
``x-amazon-apigateway-any-method``. The fake reads those, and the binary
media types; documentation fields (summaries, schemas, parameters) have no
behaviour and are skipped. An extension or a security requirement the fake
does not model is refused with an error naming it, never skipped.
https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import yaml

from eventproof_fakes.apigateway.cors import check_configuration
from eventproof_fakes.apigateway.errors import bad_request, not_modelled
from eventproof_fakes.apigateway.http_apis import build_http_integration
from eventproof_fakes.apigateway.http_model import HttpIntegration, Route, parse_route_key
from eventproof_fakes.apigateway.rest_methods import build_integration
from eventproof_fakes.apigateway.rest_model import (
    IntegrationResponse,
    Method,
    Resource,
    RestApi,
    check_path_part,
)

ANY_METHOD = "x-amazon-apigateway-any-method"
INTEGRATION = "x-amazon-apigateway-integration"
BINARY_MEDIA_TYPES = "x-amazon-apigateway-binary-media-types"
_VERBS = ("get", "put", "post", "delete", "options", "head", "patch")
CORS = "x-amazon-apigateway-cors"
_HANDLED_TOP = {BINARY_MEDIA_TYPES, CORS}


def load_definition(body: Any) -> dict[str, Any]:
    """The OpenAPI document of a request body (JSON or YAML text or bytes)."""
    if isinstance(body, bytes | bytearray):
        body = bytes(body).decode("utf-8", errors="replace")
    if hasattr(body, "read"):
        body = body.read().decode("utf-8", errors="replace")
    try:
        document = json.loads(body)
    except (json.JSONDecodeError, RecursionError):
        try:
            document = yaml.safe_load(body)
        except yaml.YAMLError as error:
            raise bad_request(f"Invalid OpenAPI input: not JSON or YAML ({error})") from None
    if not isinstance(document, dict) or not isinstance(document.get("paths", {}), dict):
        raise bad_request("Invalid OpenAPI input: expected an object with paths")
    for key in document:
        if key.startswith("x-amazon-apigateway") and key not in _HANDLED_TOP:
            raise not_modelled("apigateway", f"the OpenAPI extension {key}")
    return document


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(path, HTTP method or ANY, operation) of every operation, with what the fake cannot model refused."""
    found = []
    for path, item in document.get("paths", {}).items():
        if not isinstance(item, dict):
            raise bad_request(f"Invalid OpenAPI input: paths.{path} is not an object")
        for key, operation in item.items():
            if key == ANY_METHOD:
                method = "ANY"
            elif key in _VERBS:
                method = key.upper()
            elif key.startswith("x-amazon-apigateway"):
                raise not_modelled("apigateway", f"the OpenAPI extension {key} (paths.{path})")
            else:
                continue  # parameters, summary, description: documentation
            if not isinstance(operation, dict):
                raise bad_request(f"Invalid OpenAPI input: paths.{path}.{key} is not an object")
            security = operation.get("security", document.get("security"))
            if security and any(requirement for requirement in security):
                raise not_modelled("apigateway", f"authorizers (security on {method} {path})")
            for extension in operation:
                if extension.startswith("x-amazon-apigateway") and extension != INTEGRATION:
                    raise not_modelled(
                        "apigateway", f"the OpenAPI extension {extension} ({method} {path})"
                    )
            found.append((path, method, operation))
    return found


def _rest_integration(spec: dict[str, Any]) -> Any:
    params = {
        "type": str(spec.get("type", "")).upper(),
        "uri": spec.get("uri"),
        "integrationHttpMethod": spec.get("httpMethod"),
        "requestParameters": spec.get("requestParameters"),
        "requestTemplates": spec.get("requestTemplates"),
        "passthroughBehavior": str(spec.get("passthroughBehavior", "when_no_match")).upper(),
        "timeoutInMillis": spec.get("timeoutInMillis", 29_000),
        "credentials": spec.get("credentials"),
        "cacheNamespace": spec.get("cacheNamespace"),
        "cacheKeyParameters": spec.get("cacheKeyParameters"),
    }
    unknown = set(spec) - {
        "type", "uri", "httpMethod", "requestParameters", "requestTemplates",
        "passthroughBehavior", "timeoutInMillis", "credentials", "cacheNamespace",
        "cacheKeyParameters", "responses",
    }  # fmt: skip
    if unknown:
        raise not_modelled("apigateway", f"{INTEGRATION} fields {sorted(unknown)}")
    integration = build_integration(params)
    for pattern, response in (spec.get("responses") or {}).items():
        status = str(response.get("statusCode", "200"))
        integration.responses[status] = IntegrationResponse(
            status_code=status,
            selection_pattern=None if pattern == "default" else pattern,
            response_parameters=dict(response.get("responseParameters") or {}),
            response_templates=dict(response.get("responseTemplates") or {}),
        )
    return integration


def http_cors(document: dict[str, Any]) -> dict[str, Any] | None:
    """An HTTP API's ``x-amazon-apigateway-cors`` as a ``CorsConfiguration``."""
    spec = document.get(CORS)
    if spec is None:
        return None
    if not isinstance(spec, dict):
        raise bad_request(f"Invalid OpenAPI input: {CORS} is not an object")
    return check_configuration({key[:1].upper() + key[1:]: value for key, value in spec.items()})


def apply_rest_definition(
    api: RestApi, document: dict[str, Any], new_id: Callable[[], str], *, overwrite: bool
) -> None:
    """Put the document's resources and methods into ``api`` (replacing them all when ``overwrite``)."""
    if CORS in document:
        raise not_modelled("apigateway", f"{CORS} on a REST API (it is an HTTP API extension)")
    operations = _operations(document)  # everything is checked before anything changes
    built = []
    for path, method_name, operation in operations:
        spec = operation.get(INTEGRATION)
        integration = _rest_integration(spec) if isinstance(spec, dict) else None
        responses = {
            str(code): {"statusCode": str(code)} for code in operation.get("responses") or {}
        }
        built.append((path, Method(method_name, responses=responses, integration=integration)))
    for path, _ in built:
        for part in [p for p in path.split("/") if p]:
            check_path_part(part)
    if overwrite:
        root = api.resources[api.root_id]
        root.methods.clear()
        api.resources = {root.id: root}
    if BINARY_MEDIA_TYPES in document:
        api.binary_media_types = list(document[BINARY_MEDIA_TYPES])
    for path, method in built:
        _resource(api, path, new_id).methods[method.http_method] = method


def _resource(api: RestApi, path: str, new_id: Callable[[], str]) -> Resource:
    resource = api.resources[api.root_id]
    for part in [p for p in path.split("/") if p]:
        child = next(
            (
                r
                for r in api.resources.values()
                if r.parent_id == resource.id and r.path_part == part
            ),
            None,
        )
        if child is None:
            child = Resource(new_id(), resource.id, part, f"{resource.path.rstrip('/')}/{part}")
            api.resources[child.id] = child
        resource = child
    return resource


def http_definition(
    document: dict[str, Any], new_id: Callable[[], str]
) -> tuple[dict[str, Route], dict[str, HttpIntegration]]:
    """The routes and integrations of an HTTP API's OpenAPI 3 document."""
    routes: dict[str, Route] = {}
    integrations: dict[str, HttpIntegration] = {}
    for path, method, operation in _operations(document):
        key = "$default" if path == "$default" else f"{method} {path}"
        parse_route_key(key)
        route = Route(new_id(), key)
        spec = operation.get(INTEGRATION)
        if isinstance(spec, dict):
            unknown = set(spec) - {
                "type", "uri", "httpMethod", "payloadFormatVersion", "integrationSubtype",
                "requestParameters", "timeoutInMillis", "credentials", "connectionType",
            }  # fmt: skip
            if unknown or spec.get("connectionType", "INTERNET") != "INTERNET":
                raise not_modelled(
                    "apigatewayv2", f"{INTEGRATION} fields {sorted(unknown) or ['connectionType']}"
                )
            integration = build_http_integration(
                new_id(),
                {
                    "IntegrationType": str(spec.get("type", "")).upper(),
                    "IntegrationUri": spec.get("uri"),
                    "IntegrationMethod": spec.get("httpMethod"),
                    "IntegrationSubtype": spec.get("integrationSubtype"),
                    "PayloadFormatVersion": spec.get("payloadFormatVersion"),
                    "RequestParameters": spec.get("requestParameters"),
                    "TimeoutInMillis": spec.get("timeoutInMillis", 30_000),
                    "CredentialsArn": spec.get("credentials"),
                },
            )
            integrations[integration.id] = integration
            route.target = f"integrations/{integration.id}"
        routes[route.id] = route
    return routes, integrations
