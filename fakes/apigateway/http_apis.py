"""The HTTP API control plane (service ``apigatewayv2``): APIs, integrations, routes, stages."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from eventproof_fakes.apigateway.cors import check_configuration
from eventproof_fakes.apigateway.errors import bad_request, conflict, not_found, not_modelled
from eventproof_fakes.apigateway.http_model import (
    DEFAULT_ROUTE,
    DEFAULT_STAGE,
    HttpApi,
    HttpDeployment,
    HttpIntegration,
    HttpStage,
    Route,
    parse_route_key,
)
from eventproof_fakes.apigateway.rest_apis import short_id
from eventproof_fakes.apigateway.uris import (
    execute_api_url,
    lambda_function_of,
    with_stage_variables,
)
from eventproof_fakes.operations import operation

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

SERVICE = "apigatewayv2"
# First-class AWS service integrations the fake runs (IntegrationSubtype).
MODELLED_SUBTYPES = ("SQS-SendMessage", "EventBridge-PutEvents")


def _page(items: list[dict[str, Any]], params: dict[str, Any]) -> dict[str, Any]:
    token = str(params.get("NextToken") or "0")
    if not token.isdigit():  # only tokens this fake handed out are valid
        raise bad_request("Invalid pagination token")
    start = int(token)
    size = str(params.get("MaxResults") or "100")  # a string in the API's model
    if not size.isdigit() or int(size) < 1:
        raise bad_request("MaxResults must be a positive whole number")
    limit = int(size)
    page: dict[str, Any] = {"Items": items[start : start + limit]}
    if start + limit < len(items):
        page["NextToken"] = str(start + limit)
    return page


def build_http_integration(integration_id: str, params: dict[str, Any]) -> HttpIntegration:
    """An integration from CreateIntegration's parameters (also an OpenAPI import's), validated."""
    kind = params["IntegrationType"]
    if kind != "AWS_PROXY":
        raise not_modelled(SERVICE, f"IntegrationType {kind} for HTTP APIs (only AWS_PROXY)")
    subtype = params.get("IntegrationSubtype")
    version = params.get("PayloadFormatVersion")
    timeout = params.get("TimeoutInMillis", 30_000)
    if not 50 <= timeout <= 30_000:
        raise bad_request("TimeoutInMillis must be between 50 and 30000")
    if subtype is not None:
        if subtype not in MODELLED_SUBTYPES:
            raise not_modelled(
                SERVICE,
                f"IntegrationSubtype {subtype} (modelled: {', '.join(MODELLED_SUBTYPES)})",
            )
        if version not in (None, "1.0"):
            raise bad_request("PayloadFormatVersion must be 1.0 for AWS service integrations")
        if not params.get("RequestParameters"):
            raise bad_request(f"RequestParameters are required for IntegrationSubtype {subtype}")
        version = "1.0"
    else:
        uri = params.get("IntegrationUri")
        if not uri:
            raise bad_request("IntegrationUri is required for a Lambda proxy integration")
        lambda_function_of(with_stage_variables(uri, None))
        if version not in ("1.0", "2.0"):
            raise bad_request(
                "PayloadFormatVersion is required for a Lambda proxy integration: 1.0 or 2.0"
            )
    return HttpIntegration(
        integration_id,
        kind,
        version,
        uri=params.get("IntegrationUri"),
        subtype=subtype,
        method=params.get("IntegrationMethod") or ("POST" if subtype is None else None),
        request_parameters=dict(params.get("RequestParameters") or {}),
        timeout_in_millis=timeout,
        credentials_arn=params.get("CredentialsArn"),
        description=params.get("Description"),
    )


class APIGatewayV2:
    """HTTP APIs (``ProtocolType: HTTP``) with Lambda proxy and first-class SQS/EventBridge integrations.

    Simplified: no WebSocket APIs, authorizers, custom domains or HTTP_PROXY/VPC-link integrations (their parameters are
    refused, never stored unenforced). Requests go through
    ``env.apigateway.request``, which serves both kinds of API.
    """

    def __init__(self, env: FakeAWS) -> None:
        self.env = env
        self.apis: dict[str, HttpApi] = {}

    def __repr__(self) -> str:
        return f"<fake API Gateway v2: {len(self.apis)} HTTP APIs>"

    def api(self, api_id: str) -> HttpApi:
        api = self.apis.get(api_id)
        if api is None:
            raise not_found(f"Invalid API identifier specified {api_id}")
        return api

    # --- APIs ---------------------------------------------------------------
    @operation(
        refuses=(
            "ApiKeySelectionExpression",
            "DisableSchemaValidation",
            "RouteSelectionExpression",
            "IpAddressType",
        )
    )
    def create_api(self, params: dict[str, Any]) -> dict[str, Any]:
        if params["ProtocolType"] != "HTTP":
            raise not_modelled(SERVICE, f"ProtocolType {params['ProtocolType']} (only HTTP)")
        if ("RouteKey" in params or "CredentialsArn" in params) and "Target" not in params:
            raise bad_request(
                "RouteKey and CredentialsArn are only allowed with Target (quick create)"
            )
        env = self.env
        api_id = short_id(env, 10)
        api = HttpApi(
            id=api_id,
            name=params["Name"],
            created=env.clock.now_datetime(),
            endpoint=execute_api_url(api_id, env.region),
            description=params.get("Description"),
            version=params.get("Version"),
            disable_execute_api_endpoint=bool(params.get("DisableExecuteApiEndpoint", False)),
            tags=dict(params.get("Tags") or {}),
        )
        if "CorsConfiguration" in params:
            api.cors = check_configuration(params["CorsConfiguration"])
        if "Target" in params:
            self._quick_create(api, params)
        self.apis[api_id] = api
        return {**api.describe(), "_http_status": 201}

    def _quick_create(self, api: HttpApi, params: dict[str, Any]) -> None:
        """AWS's quick create: one Lambda integration, one route, a ``$default`` auto-deploy stage."""
        target = params["Target"]
        if target.startswith(("http://", "https://")):
            raise not_modelled(SERVICE, "HTTP proxy targets (a network call)")
        lambda_function_of(target)
        integration = HttpIntegration(
            short_id(self.env, 7),
            "AWS_PROXY",
            "2.0",
            uri=target,
            method="POST",
            credentials_arn=params.get("CredentialsArn"),
            managed=True,
        )
        api.integrations[integration.id] = integration
        key = params.get("RouteKey", DEFAULT_ROUTE)
        parse_route_key(key)
        route = Route(short_id(self.env, 7), key, f"integrations/{integration.id}", managed=True)
        api.routes[route.id] = route
        now = self.env.clock.now_datetime()
        stage = HttpStage(DEFAULT_STAGE, now, now, auto_deploy=True, managed=True)
        api.stages[DEFAULT_STAGE] = stage
        self._deploy(api, stage, auto=True)

    @operation(refuses=("Basepath",))
    def import_api(self, params: dict[str, Any]) -> dict[str, Any]:
        from eventproof_fakes.apigateway.openapi import http_cors, http_definition, load_definition

        document = load_definition(params["Body"])
        info = document.get("info") or {}
        if not info.get("title"):
            raise bad_request("Invalid OpenAPI input: info.title is required to name the API")
        routes, integrations = http_definition(document, lambda: short_id(self.env, 7))
        cors = http_cors(document)
        created = self.create_api(
            {
                "Name": str(info["title"]),
                "ProtocolType": "HTTP",
                **({"Description": info["description"]} if info.get("description") else {}),
                **({"Version": str(info["version"])} if info.get("version") else {}),
            }
        )
        api = self.apis[created["ApiId"]]
        api.routes, api.integrations, api.cors = routes, integrations, cors
        return {**api.describe(), "_http_status": 201}

    @operation(refuses=("Basepath",))
    def reimport_api(self, params: dict[str, Any]) -> dict[str, Any]:
        from eventproof_fakes.apigateway.openapi import http_cors, http_definition, load_definition

        api = self.api(params["ApiId"])
        document = load_definition(params["Body"])
        api.routes, api.integrations = http_definition(document, lambda: short_id(self.env, 7))
        api.cors = http_cors(document)
        self._changed(api)
        return {**api.describe(), "_http_status": 201}

    @operation
    def get_api(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.api(params["ApiId"]).describe()

    @operation
    def get_apis(self, params: dict[str, Any]) -> dict[str, Any]:
        return _page([api.describe() for api in self.apis.values()], params)

    @operation
    def delete_api(self, params: dict[str, Any]) -> dict[str, Any]:
        self.api(params["ApiId"])
        del self.apis[params["ApiId"]]
        return {"_http_status": 204}

    # --- integrations -------------------------------------------------------
    @operation(
        refuses=(
            "ConnectionId",
            "ConnectionType",
            "ContentHandlingStrategy",
            "PassthroughBehavior",
            "RequestTemplates",
            "ResponseParameters",
            "TemplateSelectionExpression",
            "TlsConfig",
        )
    )
    def create_integration(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.api(params["ApiId"])
        integration = build_http_integration(short_id(self.env, 7), params)
        api.integrations[integration.id] = integration
        self._changed(api)
        return {**integration.describe(), "_http_status": 201}

    @operation
    def get_integration(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.api(params["ApiId"])
        integration = api.integrations.get(params["IntegrationId"])
        if integration is None:
            raise not_found(f"Invalid Integration identifier specified {params['IntegrationId']}")
        return integration.describe()

    @operation
    def get_integrations(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.api(params["ApiId"])
        return _page([i.describe() for i in api.integrations.values()], params)

    # --- routes ---------------------------------------------------------------
    @operation(
        refuses=(
            "ApiKeyRequired",
            "AuthorizationScopes",
            "AuthorizerId",
            "ModelSelectionExpression",
            "RequestModels",
            "RequestParameters",
            "RouteResponseSelectionExpression",
        )
    )
    def create_route(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.api(params["ApiId"])
        key = params["RouteKey"]
        parse_route_key(key)
        if params.get("AuthorizationType", "NONE") != "NONE":
            raise not_modelled(SERVICE, f"AuthorizationType {params['AuthorizationType']}")
        if any(route.key == key for route in api.routes.values()):
            raise conflict(f"Unable to create route {key}. A route with that key already exists.")
        target = params.get("Target")
        if target is not None:
            integration_id = target.removeprefix("integrations/")
            if not target.startswith("integrations/") or integration_id not in api.integrations:
                raise bad_request(f"Invalid integration target {target}: expected integrations/ID")
        route = Route(short_id(self.env, 7), key, target, params.get("OperationName"))
        api.routes[route.id] = route
        self._changed(api)
        return {**route.describe(), "_http_status": 201}

    @operation
    def get_route(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.api(params["ApiId"])
        route = api.routes.get(params["RouteId"])
        if route is None:
            raise not_found(f"Invalid Route identifier specified {params['RouteId']}")
        return route.describe()

    @operation
    def get_routes(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.api(params["ApiId"])
        return _page([r.describe() for r in api.routes.values()], params)

    @operation
    def delete_route(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.api(params["ApiId"])
        if api.routes.pop(params["RouteId"], None) is None:
            raise not_found(f"Invalid Route identifier specified {params['RouteId']}")
        self._changed(api)
        return {"_http_status": 204}

    # --- stages and deployments -------------------------------------------------
    @operation(
        refuses=(
            "AccessLogSettings",
            "ClientCertificateId",
            "DefaultRouteSettings",
            "RouteSettings",
        )
    )
    def create_stage(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.api(params["ApiId"])
        name = params["StageName"]
        if name in api.stages:
            raise conflict(f"Unable to create stage {name}. A stage with that name already exists.")
        deployment = params.get("DeploymentId")
        if deployment is not None and deployment not in api.deployments:
            raise bad_request(f"Invalid deployment identifier specified {deployment}")
        now = self.env.clock.now_datetime()
        stage = HttpStage(
            name,
            now,
            now,
            auto_deploy=bool(params.get("AutoDeploy", False)),
            deployment_id=deployment,
            description=params.get("Description"),
            variables=dict(params.get("StageVariables") or {}),
            tags=dict(params.get("Tags") or {}),
        )
        api.stages[name] = stage
        if stage.auto_deploy:
            self._deploy(api, stage, auto=True)
        return {**stage.describe(), "_http_status": 201}

    @operation
    def get_stage(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.api(params["ApiId"])
        stage = api.stages.get(params["StageName"])
        if stage is None:
            raise not_found(f"Invalid stage identifier specified {params['StageName']}")
        return stage.describe()

    @operation
    def get_stages(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.api(params["ApiId"])
        return _page([s.describe() for s in api.stages.values()], params)

    @operation
    def delete_stage(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.api(params["ApiId"])
        if api.stages.pop(params["StageName"], None) is None:
            raise not_found(f"Invalid stage identifier specified {params['StageName']}")
        return {"_http_status": 204}

    @operation
    def create_deployment(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.api(params["ApiId"])
        stage = None
        if params.get("StageName"):
            stage = api.stages.get(params["StageName"])
            if stage is None:
                raise not_found(f"Invalid stage identifier specified {params['StageName']}")
            if stage.auto_deploy:
                raise bad_request(
                    f"Stage {stage.name} has AutoDeploy enabled: it is deployed on every change"
                )
        deployment = self._deploy(api, stage, auto=False, description=params.get("Description"))
        return {**deployment.describe(), "_http_status": 201}

    @operation
    def get_deployments(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.api(params["ApiId"])
        return _page([d.describe() for d in api.deployments.values()], params)

    def _deploy(
        self, api: HttpApi, stage: HttpStage | None, *, auto: bool, description: str | None = None
    ) -> HttpDeployment:
        now = self.env.clock.now_datetime()
        deployment = HttpDeployment(
            short_id(self.env, 6),
            now,
            description,
            copy.deepcopy(api.routes),
            copy.deepcopy(api.integrations),
            auto_deployed=auto,
        )
        api.deployments[deployment.id] = deployment
        if stage is not None:
            stage.deployment_id = deployment.id
            stage.updated = now
        return deployment

    def _changed(self, api: HttpApi) -> None:
        """Auto-deploy stages follow every change of routes and integrations."""
        for stage in api.stages.values():
            if stage.auto_deploy:
                self._deploy(api, stage, auto=True)
