"""REST APIs as the fake stores them: resources, methods, integrations, deployments, stages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from eventproof_fakes.apigateway.errors import bad_request

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY")
# AWS's rule for a path part: plain characters, or one {name} or greedy {name+}.
_PATH_PART = re.compile(r"^(?:[a-zA-Z0-9._:-]+|\{[a-zA-Z0-9._-]+\+?\})$")


def check_path_part(path_part: str) -> None:
    if not _PATH_PART.match(path_part):
        raise bad_request(
            "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning "
            "and the end and an optional plus sign before the closing brace."
        )


def check_http_method(method: str) -> str:
    if method.upper() not in HTTP_METHODS:
        raise bad_request(
            f"Invalid HttpMethod specified. Valid options are {','.join(HTTP_METHODS)}"
        )
    return method.upper()


@dataclass
class IntegrationResponse:
    status_code: str
    selection_pattern: str | None = None
    response_parameters: dict[str, str] = field(default_factory=dict)
    response_templates: dict[str, str] = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {"statusCode": self.status_code}
        if self.selection_pattern is not None:
            described["selectionPattern"] = self.selection_pattern
        if self.response_parameters:
            described["responseParameters"] = dict(self.response_parameters)
        if self.response_templates:
            described["responseTemplates"] = dict(self.response_templates)
        return described


@dataclass
class Integration:
    type: str
    uri: str | None
    http_method: str | None
    request_parameters: dict[str, str] = field(default_factory=dict)
    request_templates: dict[str, str] = field(default_factory=dict)
    passthrough_behavior: str = "WHEN_NO_MATCH"
    timeout_in_millis: int = 29_000
    credentials: str | None = None
    cache_namespace: str | None = None
    cache_key_parameters: list[str] = field(default_factory=list)
    responses: dict[str, IntegrationResponse] = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "type": self.type,
            "passthroughBehavior": self.passthrough_behavior,
            "timeoutInMillis": self.timeout_in_millis,
            "cacheKeyParameters": list(self.cache_key_parameters),
        }
        optional = {
            "uri": self.uri,
            "httpMethod": self.http_method,
            "credentials": self.credentials,
            "cacheNamespace": self.cache_namespace,
        }
        described.update({k: v for k, v in optional.items() if v is not None})
        if self.request_parameters:
            described["requestParameters"] = dict(self.request_parameters)
        if self.request_templates:
            described["requestTemplates"] = dict(self.request_templates)
        if self.responses:
            described["integrationResponses"] = {
                code: response.describe() for code, response in self.responses.items()
            }
        return described


@dataclass
class Method:
    http_method: str
    authorization_type: str = "NONE"
    api_key_required: bool = False
    operation_name: str | None = None
    request_parameters: dict[str, bool] = field(default_factory=dict)
    responses: dict[str, dict[str, Any]] = field(default_factory=dict)
    integration: Integration | None = None

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "httpMethod": self.http_method,
            "authorizationType": self.authorization_type,
            "apiKeyRequired": self.api_key_required,
        }
        if self.operation_name is not None:
            described["operationName"] = self.operation_name
        if self.request_parameters:
            described["requestParameters"] = dict(self.request_parameters)
        if self.responses:
            described["methodResponses"] = {code: dict(r) for code, r in self.responses.items()}
        if self.integration is not None:
            described["methodIntegration"] = self.integration.describe()
        return described


@dataclass
class Resource:
    id: str
    parent_id: str | None
    path_part: str | None
    path: str
    methods: dict[str, Method] = field(default_factory=dict)

    def describe(self, embed_methods: bool = False) -> dict[str, Any]:
        described: dict[str, Any] = {"id": self.id, "path": self.path}
        if self.parent_id is not None:
            described["parentId"] = self.parent_id
        if self.path_part is not None:
            described["pathPart"] = self.path_part
        if self.methods:
            described["resourceMethods"] = {
                name: (method.describe() if embed_methods else {})
                for name, method in self.methods.items()
            }
        return described


@dataclass
class Deployment:
    """A snapshot of the resource tree: later edits reach callers only through a new one."""

    id: str
    description: str | None
    created: datetime
    resources: dict[str, Resource]

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {"id": self.id, "createdDate": self.created}
        if self.description is not None:
            described["description"] = self.description
        return described


@dataclass
class Stage:
    name: str
    deployment_id: str
    created: datetime
    updated: datetime
    description: str | None = None
    variables: dict[str, str] = field(default_factory=dict)
    tracing_enabled: bool = False
    tags: dict[str, str] = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "deploymentId": self.deployment_id,
            "stageName": self.name,
            "cacheClusterEnabled": False,
            "cacheClusterStatus": "NOT_AVAILABLE",
            "methodSettings": {},
            "tracingEnabled": self.tracing_enabled,
            "createdDate": self.created,
            "lastUpdatedDate": self.updated,
        }
        if self.description is not None:
            described["description"] = self.description
        if self.variables:
            described["variables"] = dict(self.variables)
        if self.tags:
            described["tags"] = dict(self.tags)
        return described


@dataclass
class RestApi:
    id: str
    name: str
    created: datetime
    root_id: str
    description: str | None = None
    version: str | None = None
    binary_media_types: list[str] = field(default_factory=list)
    endpoint_types: list[str] = field(default_factory=lambda: ["EDGE"])
    api_key_source: str = "HEADER"
    disable_execute_api_endpoint: bool = False
    tags: dict[str, str] = field(default_factory=dict)
    resources: dict[str, Resource] = field(default_factory=dict)
    deployments: dict[str, Deployment] = field(default_factory=dict)
    stages: dict[str, Stage] = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "createdDate": self.created,
            "apiKeySource": self.api_key_source,
            "endpointConfiguration": {"types": list(self.endpoint_types)},
            "disableExecuteApiEndpoint": self.disable_execute_api_endpoint,
            "rootResourceId": self.root_id,
        }
        if self.description is not None:
            described["description"] = self.description
        if self.version is not None:
            described["version"] = self.version
        if self.binary_media_types:
            described["binaryMediaTypes"] = list(self.binary_media_types)
        if self.tags:
            described["tags"] = dict(self.tags)
        return described
