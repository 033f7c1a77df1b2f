"""Building APIs through boto3 for the API Gateway suites, and checking every event delivered.

Every Lambda proxy event the fake delivers in these suites is checked when
the test ends: it must parse with Powertools' parser model of its payload
version and conform to ``contracts/aws/APIGatewayProxyEvent*``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from aws_lambda_powertools.utilities.parser import parse
from aws_lambda_powertools.utilities.parser.models import (
    APIGatewayProxyEventModel,
    APIGatewayProxyEventV2Model,
)

from eventproof_fakes import FakeAWS, observe
from tests.integration.delivery_contracts import nonconformities, report

REGION = "us-east-1"


def lambda_uri(function_arn: str) -> str:
    return (
        f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{function_arn}/invocations"
    )


def check_proxy_events(env: FakeAWS) -> int:
    """Parse every delivered proxy event with Powertools and check it against its contract."""
    events = env.deliveries.of_kind(observe.APIGATEWAY_PROXY_EVENT)
    for delivery in events:
        payload = delivery.payload
        model = (
            APIGatewayProxyEventV2Model
            if payload.get("version") == "2.0"
            else APIGatewayProxyEventModel
        )
        parse(event=payload, model=model)
    found = nonconformities(events)
    if found:
        pytest.fail(report(found), pytrace=False)
    return len(events)


@pytest.fixture
def checked_events(aws: Any) -> Iterator[None]:
    yield
    if hasattr(aws, "env"):
        check_proxy_events(aws.env)


class RestApiBuilder:
    """A REST API made through boto3, one resource path at a time."""

    def __init__(self, aws: Any, name: str = "books", **create: Any) -> None:
        self.client = aws.client("apigateway")
        api = self.client.create_rest_api(name=name, **create)
        self.id: str = api["id"]
        self.resources: dict[str, str] = {"/": api["rootResourceId"]}

    def resource(self, path: str) -> str:
        if path in self.resources:
            return self.resources[path]
        parent, _, part = path.rstrip("/").rpartition("/")
        parent_id = self.resource(parent or "/")
        created = self.client.create_resource(restApiId=self.id, parentId=parent_id, pathPart=part)
        self.resources[path] = created["id"]
        return created["id"]

    def proxy(
        self, path: str, method: str, function_arn: str, **integration: Any
    ) -> RestApiBuilder:
        resource_id = self.resource(path)
        self.client.put_method(
            restApiId=self.id, resourceId=resource_id, httpMethod=method, authorizationType="NONE"
        )
        self.client.put_integration(
            restApiId=self.id,
            resourceId=resource_id,
            httpMethod=method,
            type="AWS_PROXY",
            integrationHttpMethod="POST",
            uri=lambda_uri(function_arn),
            **integration,
        )
        return self

    def deploy(self, stage: str = "prod", **variables: str) -> RestApiBuilder:
        self.client.create_deployment(restApiId=self.id, stageName=stage, variables=variables)
        return self


def http_api(
    aws: Any,
    function_arn: str,
    route_keys: tuple[str, ...],
    *,
    version: str = "2.0",
    stage: str = "$default",
    auto_deploy: bool = True,
    **stage_options: Any,
) -> str:
    client = aws.client("apigatewayv2")
    api_id: str = client.create_api(Name="books", ProtocolType="HTTP")["ApiId"]
    integration = client.create_integration(
        ApiId=api_id,
        IntegrationType="AWS_PROXY",
        IntegrationUri=function_arn,
        PayloadFormatVersion=version,
    )
    for key in route_keys:
        client.create_route(
            ApiId=api_id, RouteKey=key, Target=f"integrations/{integration['IntegrationId']}"
        )
    client.create_stage(ApiId=api_id, StageName=stage, AutoDeploy=auto_deploy, **stage_options)
    return api_id


Handler = Callable[[Any, Any], Any]
