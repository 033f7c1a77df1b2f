"""HTTP APIs (API Gateway v2) as the fake stores them: routes, integrations, stages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from eventproof_fakes.apigateway.errors import bad_request

DEFAULT_ROUTE = "$default"
DEFAULT_STAGE = "$default"
_ROUTE_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY")
_SEGMENT = re.compile(r"^(?:[^{}]+|\{[a-zA-Z0-9._-]+\+?\})$")


def parse_route_key(route_key: str) -> tuple[str, str] | None:
    """``"POST /book"`` -> ("POST", "/book"); ``$default`` -> None; anything else is refused."""
    if route_key == DEFAULT_ROUTE:
        return None
    method, _, path = route_key.partition(" ")
    segments = path.split("/")[1:] if path.startswith("/") else []
    valid = path == "/" or (
        bool(segments)
        and all(_SEGMENT.match(segment) for segment in segments)
        and not any(segment.endswith("+}") for segment in segments[:-1])
    )
    if method not in _ROUTE_METHODS or not valid:
        raise bad_request(
            f"Unable to create route {route_key}: the route key must be $default or "
            "'METHOD /path' with METHOD one of "
            + ", ".join(_ROUTE_METHODS)
            + " and a greedy {name+} only as the last path segment"
        )
    return method, path


@dataclass
class HttpIntegration:
    id: str
    type: str
    payload_format_version: str
    uri: str | None = None
    subtype: str | None = None
    method: str | None = None
    request_parameters: dict[str, str] = field(default_factory=dict)
    timeout_in_millis: int = 30_000
    credentials_arn: str | None = None
    description: str | None = None
    managed: bool = False

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "ApiGatewayManaged": self.managed,
            "ConnectionType": "INTERNET",
            "IntegrationId": self.id,
            "IntegrationType": self.type,
            "PayloadFormatVersion": self.payload_format_version,
            "TimeoutInMillis": self.timeout_in_millis,
        }
        optional = {
            "IntegrationUri": self.uri,
            "IntegrationSubtype": self.subtype,
            "IntegrationMethod": self.method,
            "CredentialsArn": self.credentials_arn,
            "Description": self.description,
        }
        described.update({k: v for k, v in optional.items() if v is not None})
        if self.request_parameters:
            described["RequestParameters"] = dict(self.request_parameters)
        return described


@dataclass
class Route:
    id: str
    key: str
    target: str | None = None  # "integrations/{id}"
    operation_name: str | None = None
    managed: bool = False

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "ApiGatewayManaged": self.managed,
            "ApiKeyRequired": False,
            "AuthorizationType": "NONE",
            "RouteId": self.id,
            "RouteKey": self.key,
        }
        if self.target is not None:
            described["Target"] = self.target
        if self.operation_name is not None:
            described["OperationName"] = self.operation_name
        return described


@dataclass
class HttpDeployment:
    id: str
    created: datetime
    description: str | None
    routes: dict[str, Route]
    integrations: dict[str, HttpIntegration]
    auto_deployed: bool = False

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "AutoDeployed": self.auto_deployed,
            "CreatedDate": self.created,
            "DeploymentId": self.id,
            "DeploymentStatus": "DEPLOYED",
        }
        if self.description is not None:
            described["Description"] = self.description
        return described


@dataclass
class HttpStage:
    name: str
    created: datetime
    updated: datetime
    auto_deploy: bool = False
    deployment_id: str | None = None
    description: str | None = None
    variables: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    managed: bool = False

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "ApiGatewayManaged": self.managed,
            "AutoDeploy": self.auto_deploy,
            "CreatedDate": self.created,
            "DefaultRouteSettings": {"DetailedMetricsEnabled": False},
            "LastUpdatedDate": self.updated,
            "RouteSettings": {},
            "StageName": self.name,
            "StageVariables": dict(self.variables),
            "Tags": dict(self.tags),
        }
        if self.deployment_id is not None:
            described["DeploymentId"] = self.deployment_id
        if self.description is not None:
            described["Description"] = self.description
        return described


@dataclass
class HttpApi:
    id: str
    name: str
    created: datetime
    endpoint: str
    description: str | None = None
    version: str | None = None
    disable_execute_api_endpoint: bool = False
    tags: dict[str, str] = field(default_factory=dict)
    cors: dict[str, Any] | None = None
    routes: dict[str, Route] = field(default_factory=dict)
    integrations: dict[str, HttpIntegration] = field(default_factory=dict)
    deployments: dict[str, HttpDeployment] = field(default_factory=dict)
    stages: dict[str, HttpStage] = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "ApiEndpoint": self.endpoint,
            "ApiId": self.id,
            "ApiKeySelectionExpression": "$request.header.x-api-key",
            "CreatedDate": self.created,
            "DisableExecuteApiEndpoint": self.disable_execute_api_endpoint,
            "Name": self.name,
            "ProtocolType": "HTTP",
            "RouteSelectionExpression": "$request.method $request.path",
            "Tags": dict(self.tags),
        }
        if self.description is not None:
            described["Description"] = self.description
        if self.version is not None:
            described["Version"] = self.version
        if self.cors is not None:
            described["CorsConfiguration"] = dict(self.cors)
        return described
