"""API Gateway's control plane through boto3: REST APIs (apigateway) and HTTP APIs (apigatewayv2)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:books"
LAMBDA_URI = (
    f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{FUNCTION_ARN}/invocations"
)


def rest_api_with_book_resource(client: Any) -> tuple[str, str, str]:
    api = client.create_rest_api(name="books", description="the book shop")
    book = client.create_resource(
        restApiId=api["id"], parentId=api["rootResourceId"], pathPart="book"
    )
    return api["id"], api["rootResourceId"], book["id"]


def proxy_method(client: Any, api_id: str, resource_id: str, method: str = "POST") -> None:
    client.put_method(
        restApiId=api_id, resourceId=resource_id, httpMethod=method, authorizationType="NONE"
    )
    client.put_integration(
        restApiId=api_id,
        resourceId=resource_id,
        httpMethod=method,
        type="AWS_PROXY",
        integrationHttpMethod="POST",
        uri=LAMBDA_URI,
    )


# --- REST APIs -------------------------------------------------------------------
def test_a_new_rest_api_has_a_root_resource_and_is_listed(aws: Any) -> None:
    client = aws.client("apigateway")
    api = client.create_rest_api(name="books", description="the book shop")
    assert api["name"] == "books"
    resources = client.get_resources(restApiId=api["id"])["items"]
    assert [(r["id"], r["path"]) for r in resources] == [(api["rootResourceId"], "/")]
    listed = client.get_rest_apis()["items"]
    assert [(a["id"], a["name"], a["description"]) for a in listed] == [
        (api["id"], "books", "the book shop")
    ]


def test_resources_nest_into_paths_with_path_parameters(aws: Any) -> None:
    client = aws.client("apigateway")
    api_id, _, book_id = rest_api_with_book_resource(client)
    item = client.create_resource(restApiId=api_id, parentId=book_id, pathPart="{id}")
    greedy = client.create_resource(restApiId=api_id, parentId=item["id"], pathPart="{proxy+}")
    assert item["path"] == "/book/{id}"
    assert item["parentId"] == book_id
    assert greedy["path"] == "/book/{id}/{proxy+}"
    paths = sorted(r["path"] for r in client.get_resources(restApiId=api_id)["items"])
    assert paths == ["/", "/book", "/book/{id}", "/book/{id}/{proxy+}"]


def test_methods_and_proxy_integrations_are_described_back(aws: Any) -> None:
    client = aws.client("apigateway")
    api_id, _, book_id = rest_api_with_book_resource(client)
    proxy_method(client, api_id, book_id)
    method = client.get_method(restApiId=api_id, resourceId=book_id, httpMethod="POST")
    assert method["httpMethod"] == "POST"
    assert method["authorizationType"] == "NONE"
    integration = client.get_integration(restApiId=api_id, resourceId=book_id, httpMethod="POST")
    assert integration["type"] == "AWS_PROXY"
    assert integration["uri"] == LAMBDA_URI
    assert integration["httpMethod"] == "POST"


def test_method_and_integration_responses_are_stored(aws: Any) -> None:
    client = aws.client("apigateway")
    api_id, _, book_id = rest_api_with_book_resource(client)
    client.put_method(
        restApiId=api_id, resourceId=book_id, httpMethod="GET", authorizationType="NONE"
    )
    client.put_integration(
        restApiId=api_id,
        resourceId=book_id,
        httpMethod="GET",
        type="MOCK",
        requestTemplates={"application/json": '{"statusCode": 200}'},
    )
    client.put_method_response(
        restApiId=api_id, resourceId=book_id, httpMethod="GET", statusCode="200"
    )
    response = client.put_integration_response(
        restApiId=api_id,
        resourceId=book_id,
        httpMethod="GET",
        statusCode="200",
        responseTemplates={"application/json": '{"ok": true}'},
    )
    assert response["statusCode"] == "200"
    integration = client.get_integration(restApiId=api_id, resourceId=book_id, httpMethod="GET")
    assert integration["integrationResponses"]["200"]["responseTemplates"] == {
        "application/json": '{"ok": true}'
    }


def test_a_deployment_with_a_stage_name_creates_the_stage(aws: Any) -> None:
    client = aws.client("apigateway")
    api_id, _, book_id = rest_api_with_book_resource(client)
    proxy_method(client, api_id, book_id)
    deployment = client.create_deployment(
        restApiId=api_id, stageName="prod", variables={"table": "Books"}
    )
    stage = client.get_stage(restApiId=api_id, stageName="prod")
    assert stage["deploymentId"] == deployment["id"]
    assert stage["variables"] == {"table": "Books"}
    stages = client.get_stages(restApiId=api_id)["item"]
    assert [s["stageName"] for s in stages] == ["prod"]


def test_create_stage_points_a_second_stage_at_a_deployment(aws: Any) -> None:
    client = aws.client("apigateway")
    api_id, _, book_id = rest_api_with_book_resource(client)
    proxy_method(client, api_id, book_id)
    deployment = client.create_deployment(restApiId=api_id)
    client.create_stage(restApiId=api_id, stageName="dev", deploymentId=deployment["id"])
    assert client.get_stage(restApiId=api_id, stageName="dev")["deploymentId"] == deployment["id"]


def test_an_unknown_rest_api_is_not_found(aws: Any) -> None:
    client = aws.client("apigateway")
    with pytest.raises(ClientError) as caught:
        client.get_resources(restApiId="nosuchapi1")
    assert caught.value.response["Error"]["Code"] == "NotFoundException"


def test_a_deleted_rest_api_is_gone(aws: Any) -> None:
    client = aws.client("apigateway")
    api_id, _, _ = rest_api_with_book_resource(client)
    client.delete_rest_api(restApiId=api_id)
    assert client.get_rest_apis()["items"] == []
    with pytest.raises(ClientError) as caught:
        client.get_rest_api(restApiId=api_id)
    assert caught.value.response["Error"]["Code"] == "NotFoundException"


def test_an_unknown_stage_is_not_found(aws: Any) -> None:
    client = aws.client("apigateway")
    api_id, _, _ = rest_api_with_book_resource(client)
    with pytest.raises(ClientError) as caught:
        client.get_stage(restApiId=api_id, stageName="nope")
    assert caught.value.response["Error"]["Code"] == "NotFoundException"


@pytest.mark.fakes_only  # moto accepts any path part; AWS's rule and message: CreateResource docs
def test_a_path_part_with_bad_characters_is_refused(aws: Any) -> None:
    client = aws.client("apigateway")
    api_id, root_id, _ = rest_api_with_book_resource(client)
    with pytest.raises(ClientError) as caught:
        client.create_resource(restApiId=api_id, parentId=root_id, pathPart="a b")
    assert caught.value.response["Error"]["Code"] == "BadRequestException"


@pytest.mark.fakes_only  # moto allows a second method; AWS: ConflictException "Method already exists for this resource"
def test_putting_a_method_twice_conflicts(aws: Any) -> None:
    client = aws.client("apigateway")
    api_id, _, book_id = rest_api_with_book_resource(client)
    proxy_method(client, api_id, book_id)
    with pytest.raises(ClientError) as caught:
        client.put_method(
            restApiId=api_id, resourceId=book_id, httpMethod="POST", authorizationType="NONE"
        )
    assert caught.value.response["Error"]["Code"] == "ConflictException"


@pytest.mark.fakes_only  # AWS: CreateDeployment fails with "No integration defined for method"
def test_a_deployment_needs_an_integration_on_every_method(aws: Any) -> None:
    client = aws.client("apigateway")
    api_id, _, book_id = rest_api_with_book_resource(client)
    client.put_method(
        restApiId=api_id, resourceId=book_id, httpMethod="GET", authorizationType="NONE"
    )
    with pytest.raises(ClientError) as caught:
        client.create_deployment(restApiId=api_id, stageName="prod")
    assert caught.value.response["Error"]["Message"] == "No integration defined for method"


@pytest.mark.fakes_only  # eventproof's own refusal: authorizers are not modelled
def test_an_authorizer_is_refused_rather_than_ignored(aws: Any) -> None:
    client = aws.client("apigateway")
    api_id, _, book_id = rest_api_with_book_resource(client)
    with pytest.raises(ClientError) as caught:
        client.put_method(
            restApiId=api_id,
            resourceId=book_id,
            httpMethod="GET",
            authorizationType="CUSTOM",
            authorizerId="abc123",
        )
    assert caught.value.response["Error"]["Code"] == "UnsupportedParameter"
    assert "authorizerId" in caught.value.response["Error"]["Message"]


# --- HTTP APIs -------------------------------------------------------------------
# moto ignores Target; AWS's quick create (CreateApi Target, RouteKey):
# https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis.html#apis-prop-createapiinput-target
@pytest.mark.fakes_only
def test_quick_create_makes_a_route_an_integration_and_a_default_stage(aws: Any) -> None:
    client = aws.client("apigatewayv2")
    api = client.create_api(Name="books", ProtocolType="HTTP", Target=FUNCTION_ARN)
    assert api["ApiEndpoint"] == f"https://{api['ApiId']}.execute-api.us-east-1.amazonaws.com"
    routes = client.get_routes(ApiId=api["ApiId"])["Items"]
    assert [r["RouteKey"] for r in routes] == ["$default"]
    integrations = client.get_integrations(ApiId=api["ApiId"])["Items"]
    assert [(i["IntegrationType"], i["PayloadFormatVersion"]) for i in integrations] == [
        ("AWS_PROXY", "2.0")
    ]
    assert routes[0]["Target"] == f"integrations/{integrations[0]['IntegrationId']}"
    stage = client.get_stage(ApiId=api["ApiId"], StageName="$default")
    assert stage["AutoDeploy"] is True


def test_routes_integrations_and_stages_of_an_http_api(aws: Any) -> None:
    client = aws.client("apigatewayv2")
    api_id = client.create_api(Name="books", ProtocolType="HTTP")["ApiId"]
    integration = client.create_integration(
        ApiId=api_id,
        IntegrationType="AWS_PROXY",
        IntegrationUri=FUNCTION_ARN,
        PayloadFormatVersion="1.0",
    )
    assert integration["PayloadFormatVersion"] == "1.0"
    target = f"integrations/{integration['IntegrationId']}"
    for key in ("POST /book", "GET /book/{id}", "ANY /files/{proxy+}"):
        client.create_route(ApiId=api_id, RouteKey=key, Target=target)
    client.create_stage(ApiId=api_id, StageName="prod", AutoDeploy=True, StageVariables={"a": "b"})
    keys = sorted(r["RouteKey"] for r in client.get_routes(ApiId=api_id)["Items"])
    assert keys == ["ANY /files/{proxy+}", "GET /book/{id}", "POST /book"]
    stage = client.get_stage(ApiId=api_id, StageName="prod")
    assert stage["StageVariables"] == {"a": "b"}
    assert [s["StageName"] for s in client.get_stages(ApiId=api_id)["Items"]] == ["prod"]


def test_http_apis_are_listed_and_deleted(aws: Any) -> None:
    client = aws.client("apigatewayv2")
    first = client.create_api(Name="one", ProtocolType="HTTP")["ApiId"]
    second = client.create_api(Name="two", ProtocolType="HTTP")["ApiId"]
    assert sorted(a["Name"] for a in client.get_apis()["Items"]) == ["one", "two"]
    client.delete_api(ApiId=first)
    assert [a["ApiId"] for a in client.get_apis()["Items"]] == [second]
    with pytest.raises(ClientError) as caught:
        client.get_api(ApiId=first)
    assert caught.value.response["Error"]["Code"] == "NotFoundException"


@pytest.mark.fakes_only  # AWS requires PayloadFormatVersion for Lambda proxy integrations (create-integration docs)
def test_a_lambda_integration_needs_a_payload_format_version(aws: Any) -> None:
    client = aws.client("apigatewayv2")
    api_id = client.create_api(Name="books", ProtocolType="HTTP")["ApiId"]
    with pytest.raises(ClientError) as caught:
        client.create_integration(
            ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=FUNCTION_ARN
        )
    assert caught.value.response["Error"]["Code"] == "BadRequestException"


def test_a_cors_configuration_is_described_back(aws: Any) -> None:
    cors = {
        "AllowOrigins": ["https://shop.example"],
        "AllowMethods": ["GET", "POST"],
        "MaxAge": 300,
    }
    client = aws.client("apigatewayv2")
    api = client.create_api(Name="x", ProtocolType="HTTP", CorsConfiguration=cors)
    assert client.get_api(ApiId=api["ApiId"])["CorsConfiguration"] == cors


# moto leaves the children behind and then fails GetResources; AWS deletes the subtree
# (https://docs.aws.amazon.com/apigateway/latest/api/API_DeleteResource.html)
@pytest.mark.fakes_only
def test_a_deleted_resource_takes_its_children_with_it(aws: Any) -> None:
    client = aws.client("apigateway")
    api_id, _, book_id = rest_api_with_book_resource(client)
    client.create_resource(restApiId=api_id, parentId=book_id, pathPart="{id}")
    client.delete_resource(restApiId=api_id, resourceId=book_id)
    paths = [r["path"] for r in client.get_resources(restApiId=api_id)["items"]]
    assert paths == ["/"]


def test_get_resource_describes_one_resource(aws: Any) -> None:
    client = aws.client("apigateway")
    api_id, root_id, book_id = rest_api_with_book_resource(client)
    resource = client.get_resource(restApiId=api_id, resourceId=book_id)
    assert (resource["path"], resource["pathPart"], resource["parentId"]) == (
        "/book",
        "book",
        root_id,
    )


def test_an_unknown_method_is_not_found(aws: Any) -> None:
    client = aws.client("apigateway")
    api_id, _, book_id = rest_api_with_book_resource(client)
    with pytest.raises(ClientError) as caught:
        client.get_method(restApiId=api_id, resourceId=book_id, httpMethod="GET")
    assert caught.value.response["Error"]["Code"] == "NotFoundException"


def test_a_deleted_stage_is_gone(aws: Any) -> None:
    client = aws.client("apigateway")
    api_id, _, book_id = rest_api_with_book_resource(client)
    proxy_method(client, api_id, book_id)
    client.create_deployment(restApiId=api_id, stageName="prod")
    client.delete_stage(restApiId=api_id, stageName="prod")
    assert client.get_stages(restApiId=api_id)["item"] == []


def test_an_http_integration_and_route_are_described_back(aws: Any) -> None:
    client = aws.client("apigatewayv2")
    api_id = client.create_api(Name="books", ProtocolType="HTTP")["ApiId"]
    integration = client.create_integration(
        ApiId=api_id,
        IntegrationType="AWS_PROXY",
        IntegrationUri=FUNCTION_ARN,
        PayloadFormatVersion="2.0",
    )
    fetched = client.get_integration(ApiId=api_id, IntegrationId=integration["IntegrationId"])
    assert (fetched["IntegrationType"], fetched["IntegrationUri"]) == ("AWS_PROXY", FUNCTION_ARN)
    route = client.create_route(
        ApiId=api_id,
        RouteKey="GET /book/{id}",
        Target=f"integrations/{integration['IntegrationId']}",
    )
    described = client.get_route(ApiId=api_id, RouteId=route["RouteId"])
    assert described["RouteKey"] == "GET /book/{id}"
    assert described["Target"] == f"integrations/{integration['IntegrationId']}"
    client.delete_route(ApiId=api_id, RouteId=route["RouteId"])
    assert client.get_routes(ApiId=api_id)["Items"] == []


def test_an_http_stage_is_deleted(aws: Any) -> None:
    client = aws.client("apigatewayv2")
    api_id = client.create_api(Name="books", ProtocolType="HTTP")["ApiId"]
    client.create_stage(ApiId=api_id, StageName="dev")
    client.delete_stage(ApiId=api_id, StageName="dev")
    assert client.get_stages(ApiId=api_id)["Items"] == []
    with pytest.raises(ClientError) as caught:
        client.get_stage(ApiId=api_id, StageName="dev")
    assert caught.value.response["Error"]["Code"] == "NotFoundException"


def test_an_unknown_http_api_is_not_found(aws: Any) -> None:
    with pytest.raises(ClientError) as caught:
        aws.client("apigatewayv2").get_routes(ApiId="nosuchapi1")
    assert caught.value.response["Error"]["Code"] == "NotFoundException"
