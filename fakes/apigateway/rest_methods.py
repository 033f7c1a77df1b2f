"""REST API methods and their integrations (service ``apigateway``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventproof_fakes.apigateway.errors import bad_request, conflict, not_found, not_modelled
from eventproof_fakes.apigateway.rest_model import (
    Integration,
    IntegrationResponse,
    Method,
    Resource,
    RestApi,
    check_http_method,
)
from eventproof_fakes.apigateway.uris import (
    lambda_function_of,
    parse_service_uri,
    with_stage_variables,
)
from eventproof_fakes.operations import operation

SERVICE = "apigateway"
# Integration types the fake runs. HTTP, HTTP_PROXY (a network call) and VPC links are refused.
MODELLED_INTEGRATION_TYPES = ("AWS_PROXY", "AWS", "MOCK")


def build_integration(params: dict[str, Any]) -> Integration:
    """An integration from PutIntegration's parameters (also an OpenAPI import's), validated."""
    kind = params["type"]
    if kind not in MODELLED_INTEGRATION_TYPES:
        raise not_modelled(
            SERVICE,
            f"integration type {kind} (modelled: {', '.join(MODELLED_INTEGRATION_TYPES)})",
        )
    uri = params.get("uri")
    if kind in ("AWS", "AWS_PROXY"):
        if not uri:
            raise bad_request("Enumeration value for uri must be non-empty")
        if not params.get("integrationHttpMethod"):
            raise bad_request("Enumeration value for HttpMethod must be non-empty")
        if kind == "AWS_PROXY":
            lambda_function_of(with_stage_variables(uri, None))
        else:
            parse_service_uri(uri)
    timeout = params.get("timeoutInMillis", 29_000)
    if not 50 <= timeout <= 29_000:
        raise bad_request("Timeout should be between 50 ms and 29000 ms")
    behavior = params.get("passthroughBehavior", "WHEN_NO_MATCH")
    if behavior not in ("WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER"):
        raise bad_request(f"Invalid passthrough behavior specified: {behavior}")
    return Integration(
        type=kind,
        uri=uri,
        http_method=params.get("integrationHttpMethod"),
        request_parameters=dict(params.get("requestParameters") or {}),
        request_templates=dict(params.get("requestTemplates") or {}),
        passthrough_behavior=behavior,
        timeout_in_millis=timeout,
        credentials=params.get("credentials"),
        cache_namespace=params.get("cacheNamespace"),
        cache_key_parameters=list(params.get("cacheKeyParameters") or []),
    )


class RestMethodControl:
    """PutMethod, PutIntegration and their responses; mixed into ``APIGateway``."""

    if TYPE_CHECKING:

        def _resource(
            self, params: dict[str, Any], key: str = "resourceId"
        ) -> tuple[RestApi, Resource]: ...

    def _method(self, params: dict[str, Any]) -> Method:
        _, resource = self._resource(params)
        method = resource.methods.get(params["httpMethod"].upper())
        if method is None:
            raise not_found("Invalid Method identifier specified")
        return method

    # --- methods and integrations ---------------------------------------------
    @operation(
        refuses=("authorizerId", "requestValidatorId", "requestModels", "authorizationScopes")
    )
    def put_method(self, params: dict[str, Any]) -> dict[str, Any]:
        _, resource = self._resource(params)
        http_method = check_http_method(params["httpMethod"])
        if params["authorizationType"] != "NONE":
            raise not_modelled(
                SERVICE, f"authorizationType {params['authorizationType']} (only NONE is modelled)"
            )
        if params.get("apiKeyRequired"):
            raise not_modelled(SERVICE, "API keys (apiKeyRequired)")
        if http_method in resource.methods:
            raise conflict("Method already exists for this resource")
        method = Method(
            http_method,
            operation_name=params.get("operationName"),
            request_parameters=dict(params.get("requestParameters") or {}),
        )
        resource.methods[http_method] = method
        return {**method.describe(), "_http_status": 201}

    @operation
    def get_method(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._method(params).describe()

    @operation
    def delete_method(self, params: dict[str, Any]) -> dict[str, Any]:
        _, resource = self._resource(params)
        self._method(params)
        del resource.methods[params["httpMethod"].upper()]
        return {"_http_status": 204}

    @operation
    def put_method_response(self, params: dict[str, Any]) -> dict[str, Any]:
        method = self._method(params)
        response: dict[str, Any] = {"statusCode": params["statusCode"]}
        for key in ("responseParameters", "responseModels"):
            if params.get(key):
                response[key] = dict(params[key])
        method.responses[params["statusCode"]] = response
        return {**response, "_http_status": 201}

    @operation(
        refuses=(
            "connectionType",
            "connectionId",
            "contentHandling",
            "tlsConfig",
            "responseTransferMode",
            "integrationTarget",
        )
    )
    def put_integration(self, params: dict[str, Any]) -> dict[str, Any]:
        method = self._method(params)
        method.integration = build_integration(params)
        return {**method.integration.describe(), "_http_status": 201}

    @operation
    def get_integration(self, params: dict[str, Any]) -> dict[str, Any]:
        method = self._method(params)
        if method.integration is None:
            raise not_found("Invalid Integration identifier specified")
        return method.integration.describe()

    @operation(refuses=("contentHandling",))
    def put_integration_response(self, params: dict[str, Any]) -> dict[str, Any]:
        method = self._method(params)
        if method.integration is None:
            raise not_found("Invalid Integration identifier specified")
        response = IntegrationResponse(
            status_code=params["statusCode"],
            selection_pattern=params.get("selectionPattern"),
            response_parameters=dict(params.get("responseParameters") or {}),
            response_templates=dict(params.get("responseTemplates") or {}),
        )
        method.integration.responses[params["statusCode"]] = response
        return {**response.describe(), "_http_status": 201}
