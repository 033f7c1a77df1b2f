"""APIs imported from OpenAPI definitions, as CloudFormation (and SAM) create them from a Body.

The extensions are AWS's "OpenAPI extensions to API Gateway":
https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html
Requests through an imported API are fakes only (moto cannot run handlers).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from botocore.exceptions import ClientError

from tests.behaviour.apigateway_helpers import checked_events, lambda_uri  # noqa: F401

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:books"

pytestmark = pytest.mark.usefixtures("checked_events")


def proxy(function_arn: str = FUNCTION) -> dict[str, Any]:
    return {
        "x-amazon-apigateway-integration": {
            "type": "aws_proxy",
            "httpMethod": "POST",
            "uri": lambda_uri(function_arn),
            "passthroughBehavior": "when_no_match",
        },
        "responses": {"200": {"description": "OK"}},
    }


def swagger(function_arn: str = FUNCTION, version: str = "swagger") -> dict[str, Any]:
    """What the SAM transform makes of a function with three Api events (Swagger 2.0 or OpenAPI 3)."""
    return {
        **({"swagger": "2.0"} if version == "swagger" else {"openapi": "3.0.1"}),
        "info": {"title": "books-api", "description": "the shop", "version": "1.0"},
        "paths": {
            "/book": {"post": proxy(function_arn)},
            "/book/{id}": {"get": proxy(function_arn)},
            "/files/{proxy+}": {"x-amazon-apigateway-any-method": proxy(function_arn)},
        },
    }


def openapi3(function_arn: str = FUNCTION) -> dict[str, Any]:
    integration = {
        "type": "aws_proxy",
        "httpMethod": "POST",
        "uri": function_arn,
        "payloadFormatVersion": "2.0",
    }
    return {
        "openapi": "3.0.1",
        "info": {"title": "books-http", "version": "1.0"},
        "paths": {
            "/book": {"post": {"x-amazon-apigateway-integration": integration, "responses": {}}},
            "/book/{id}": {
                "get": {"x-amazon-apigateway-integration": integration, "responses": {}}
            },
        },
    }


def test_import_rest_api_builds_the_resource_tree(aws: Any) -> None:
    client = aws.client("apigateway")
    api = client.import_rest_api(body=json.dumps(swagger(version="openapi")))  # moto: 3.x only
    assert api["name"] == "books-api"
    resources = client.get_resources(restApiId=api["id"])["items"]
    paths = sorted(r["path"] for r in resources)
    assert paths == ["/", "/book", "/book/{id}", "/files", "/files/{proxy+}"]
    book = next(r for r in resources if r["path"] == "/book")
    integration = client.get_integration(
        restApiId=api["id"], resourceId=book["id"], httpMethod="POST"
    )
    assert integration["type"].upper() == "AWS_PROXY"  # moto keeps the document's "aws_proxy"
    assert integration["uri"] == lambda_uri(FUNCTION)


@pytest.mark.fakes_only  # moto cannot run the handler
def test_an_imported_rest_api_serves_requests(aws: Any) -> None:
    arn = aws.env.lambda_.register("books", lambda e, c: {"statusCode": 200, "body": e["resource"]})
    client = aws.client("apigateway")
    api = client.import_rest_api(body=yaml.safe_dump(swagger(arn)).encode())  # YAML works too
    client.create_deployment(restApiId=api["id"], stageName="Prod")
    book = next(
        r for r in client.get_resources(restApiId=api["id"])["items"] if r["path"] == "/book"
    )
    integration = client.get_integration(
        restApiId=api["id"], resourceId=book["id"], httpMethod="POST"
    )
    assert integration["type"] == "AWS_PROXY"  # the enumeration's value, as AWS answers
    gateway = aws.env.apigateway
    assert gateway.request("POST", "/book").text == "/book"
    assert gateway.request("GET", "/book/1").text == "/book/{id}"
    assert gateway.request("DELETE", "/files/a/b").text == "/files/{proxy+}"


@pytest.mark.fakes_only  # moto's put_rest_api overwrite keeps the old resources
def test_put_rest_api_overwrite_replaces_every_resource(aws: Any) -> None:
    client = aws.client("apigateway")
    api = client.import_rest_api(body=json.dumps(swagger()))
    replacement = {"swagger": "2.0", "info": {"title": "x"}, "paths": {"/author": {"get": proxy()}}}
    client.put_rest_api(restApiId=api["id"], mode="overwrite", body=json.dumps(replacement))
    paths = sorted(r["path"] for r in client.get_resources(restApiId=api["id"])["items"])
    assert paths == ["/", "/author"]
    client.put_rest_api(restApiId=api["id"], mode="merge", body=json.dumps(swagger()))
    paths = sorted(r["path"] for r in client.get_resources(restApiId=api["id"])["items"])
    assert "/author" in paths and "/book/{id}" in paths


@pytest.mark.fakes_only  # eventproof refuses what it does not model: authorizers
def test_an_authorizer_in_the_definition_is_refused(aws: Any) -> None:
    document = swagger()
    document["paths"]["/book"]["post"]["security"] = [{"cognito": []}]
    with pytest.raises(ClientError) as caught:
        aws.client("apigateway").import_rest_api(body=json.dumps(document))
    assert "authorizers" in caught.value.response["Error"]["Message"]
    assert aws.client("apigateway").get_rest_apis()["items"] == []


@pytest.mark.fakes_only  # eventproof refuses what it does not model: request validators
def test_an_unmodelled_extension_is_refused_by_name(aws: Any) -> None:
    document = swagger()
    document["x-amazon-apigateway-request-validators"] = {"all": {"validateRequestBody": True}}
    with pytest.raises(ClientError) as caught:
        aws.client("apigateway").import_rest_api(body=json.dumps(document))
    assert "x-amazon-apigateway-request-validators" in caught.value.response["Error"]["Message"]


@pytest.mark.fakes_only  # moto's import_api does not read x-amazon-apigateway-integration
def test_import_api_makes_routes_and_integrations_of_an_http_api(aws: Any) -> None:
    arn = aws.env.lambda_.register("books", lambda e, c: {"route": e["routeKey"]})
    client = aws.client("apigatewayv2")
    api = client.import_api(Body=json.dumps(openapi3(arn)))
    assert api["Name"] == "books-http"
    keys = sorted(r["RouteKey"] for r in client.get_routes(ApiId=api["ApiId"])["Items"])
    assert keys == ["GET /book/{id}", "POST /book"]
    client.create_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True)
    response = aws.env.apigateway.request("GET", "/book/3")
    assert response.json() == {"route": "GET /book/{id}"}


@pytest.mark.fakes_only  # moto's import_api does not read x-amazon-apigateway-cors
def test_an_imported_http_api_takes_its_cors_configuration(aws: Any) -> None:
    document = openapi3()
    document["x-amazon-apigateway-cors"] = {"allowOrigins": ["*"], "allowMethods": ["*"]}
    api = aws.client("apigatewayv2").import_api(Body=json.dumps(document))
    assert api["CorsConfiguration"] == {"AllowOrigins": ["*"], "AllowMethods": ["*"]}


@pytest.mark.fakes_only  # moto cannot serve requests
def test_the_options_mock_method_sam_generates_for_rest_cors_answers_preflights(aws: Any) -> None:
    document = swagger()
    document["paths"]["/book"]["options"] = {
        "responses": {"200": {"description": "Default response for CORS method"}},
        "x-amazon-apigateway-integration": {
            "type": "mock",
            "requestTemplates": {"application/json": '{\n  "statusCode" : 200\n}\n'},
            "responses": {
                "default": {
                    "statusCode": "200",
                    "responseParameters": {
                        "method.response.header.Access-Control-Allow-Methods": "'OPTIONS,POST'",
                        "method.response.header.Access-Control-Allow-Origin": "'*'",
                    },
                    "responseTemplates": {"application/json": "{}\n"},
                }
            },
        },
    }
    client = aws.client("apigateway")
    api = client.import_rest_api(body=json.dumps(document))
    client.create_deployment(restApiId=api["id"], stageName="Prod")
    response = aws.env.apigateway.request(
        "OPTIONS", "/book", headers={"Origin": "https://a.example"}
    )
    assert response.status == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Allow-Methods"] == "OPTIONS,POST"
    assert response.json() == {}
