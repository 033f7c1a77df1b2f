"""AWS service integrations: the storage-first pattern, API straight to SQS, EventBridge, DynamoDB.

REST APIs: ``type: AWS`` integrations whose Velocity mapping templates
(``$input``, ``$util``, ``$context``) make the service request and shape the
response. HTTP APIs: first-class integrations (``IntegrationSubtype``).
Fakes only: moto stores these integrations but never calls the service.
https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-request-basic-setup.html
https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-aws-services-reference.html
Lambda custom integrations (errors are 200 unless a pattern matches errorMessage):
https://docs.aws.amazon.com/apigateway/latest/developerguide/handle-errors-in-lambda-integration.html
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.behaviour.apigateway_helpers import RestApiBuilder

pytestmark = pytest.mark.fakes_only

ACCOUNT = "123456789012"
SQS_RESPONSE = '{"messageId": "$input.path(\'$.SendMessageResponse.SendMessageResult.MessageId\')"}'


def aws_method(
    api: RestApiBuilder,
    path: str,
    method: str,
    uri: str,
    *,
    templates: dict[str, str],
    parameters: dict[str, str] | None = None,
    responses: dict[str, tuple[str | None, str]] | None = None,
    **integration: Any,
) -> None:
    """One ``type: AWS`` method; ``responses`` maps status -> (selection pattern, template)."""
    resource_id = api.resource(path)
    client = api.client
    client.put_method(
        restApiId=api.id, resourceId=resource_id, httpMethod=method, authorizationType="NONE"
    )
    client.put_integration(
        restApiId=api.id,
        resourceId=resource_id,
        httpMethod=method,
        type=integration.pop("type", "AWS"),
        integrationHttpMethod="POST",
        uri=uri,
        credentials=f"arn:aws:iam::{ACCOUNT}:role/apigateway",
        requestParameters=parameters or {},
        requestTemplates=templates,
        **integration,
    )
    for status, (pattern, template) in (responses or {"200": (None, "")}).items():
        client.put_method_response(
            restApiId=api.id, resourceId=resource_id, httpMethod=method, statusCode=status
        )
        extra = {"selectionPattern": pattern} if pattern else {}
        client.put_integration_response(
            restApiId=api.id,
            resourceId=resource_id,
            httpMethod=method,
            statusCode=status,
            responseTemplates={"application/json": template},
            **extra,
        )


def sqs_queue(aws: Any, name: str = "orders") -> str:
    url: str = aws.client("sqs").create_queue(QueueName=name)["QueueUrl"]
    return url


def received_bodies(aws: Any, url: str) -> list[str]:
    messages = (
        aws.client("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    )
    return [m["Body"] for m in messages]


def storage_first_sqs_api(aws: Any, queue: str = "orders") -> RestApiBuilder:
    api = RestApiBuilder(aws, "storage-first")
    aws_method(
        api,
        "/order",
        "POST",
        f"arn:aws:apigateway:us-east-1:sqs:path/{ACCOUNT}/{queue}",
        parameters={
            "integration.request.header.Content-Type": "'application/x-www-form-urlencoded'"
        },
        templates={
            "application/json": "Action=SendMessage&MessageBody=$util.urlEncode($input.body)"
        },
        responses={
            "200": (None, SQS_RESPONSE),
            "400": ("4\\d{2}", '{"error": "$input.path(\'$.Error.Code\')"}'),
        },
    )
    return api.deploy("prod")


def test_a_rest_api_sends_the_request_body_straight_to_sqs(aws: Any) -> None:
    url = sqs_queue(aws)
    storage_first_sqs_api(aws)
    order = {"orderId": "o-1", "note": "a & b = c"}
    response = aws.env.apigateway.request("POST", "/order", json=order)
    assert response.status == 200, response.text
    [body] = received_bodies(aws, url)
    assert json.loads(body) == order
    assert response.json()["messageId"]  # the template read SQS's answer


def test_a_service_error_is_selected_by_its_status_code(aws: Any) -> None:
    storage_first_sqs_api(aws, queue="missing")  # no such queue
    response = aws.env.apigateway.request("POST", "/order", json={"orderId": "o-1"})
    assert response.status == 400
    assert response.json() == {"error": "AWS.SimpleQueueService.NonExistentQueue"}


def test_a_rest_api_puts_events_on_eventbridge(aws: Any) -> None:
    url = sqs_queue(aws, "audit")
    queue_arn = aws.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    events = aws.client("events")
    events.put_rule(Name="orders", EventPattern=json.dumps({"source": ["shop.api"]}))
    events.put_targets(Rule="orders", Targets=[{"Id": "audit", "Arn": queue_arn}])
    api = RestApiBuilder(aws, "events-api")
    template = """#set($order = $input.path('$'))
{"Entries": [{"Source": "shop.api", "DetailType": "OrderPlaced",
  "Detail": "$util.escapeJavaScript($input.json('$'))",
  "Resources": ["$context.requestId"]}]}"""
    aws_method(
        api,
        "/order",
        "POST",
        "arn:aws:apigateway:us-east-1:events:action/PutEvents",
        parameters={
            "integration.request.header.X-Amz-Target": "'AWSEvents.PutEvents'",
            "integration.request.header.Content-Type": "'application/x-amz-json-1.1'",
        },
        templates={"application/json": template},
        responses={"200": (None, "{\"failed\": $input.path('$.FailedEntryCount')}")},
    )
    api.deploy("prod")
    response = aws.env.apigateway.request(
        "POST", "/order", json={"orderId": "o-9", "say": 'a "quoted" word'}
    )
    assert response.status == 200, response.text
    assert response.json() == {"failed": 0}
    aws.env.run_until_idle()
    [body] = received_bodies(aws, url)
    event = json.loads(body)
    assert event["detail"] == {"orderId": "o-9", "say": 'a "quoted" word'}
    assert event["detail-type"] == "OrderPlaced"
    assert event["resources"] == [aws.env.apigateway.requests[-1].request_id]


def test_a_rest_api_writes_an_item_to_dynamodb(aws: Any) -> None:
    aws.client("dynamodb").create_table(
        TableName="Books",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    api = RestApiBuilder(aws, "books")
    template = """{"TableName": "$stageVariables.table",
 "Item": {"id": {"S": "$input.params('id')"}, "title": {"S": "$input.path('$.title')"},
          "requestId": {"S": "$context.requestId"}, "stage": {"S": "$context.stage"}}}"""
    aws_method(
        api,
        "/book/{id}",
        "PUT",
        "arn:aws:apigateway:us-east-1:dynamodb:action/PutItem",
        templates={"application/json": template},
        parameters={"integration.request.header.Content-Type": "'application/x-amz-json-1.0'"},
        responses={"200": (None, '{"stored": "$input.params(\'id\')"}')},
    )
    api.deploy("prod", table="Books")
    response = aws.env.apigateway.request("PUT", "/book/42", json={"title": "Dune"})
    assert response.status == 200, response.text
    assert response.json() == {"stored": "42"}
    item = aws.client("dynamodb").get_item(TableName="Books", Key={"id": {"S": "42"}})["Item"]
    assert item["title"] == {"S": "Dune"}
    assert item["stage"] == {"S": "prod"}
    assert item["requestId"] == {"S": aws.env.apigateway.requests[-1].request_id}


def test_a_mock_integration_answers_from_its_templates(aws: Any) -> None:
    api = RestApiBuilder(aws, "mock")
    aws_method(
        api,
        "/health",
        "GET",
        "",
        type="MOCK",
        templates={
            "application/json": '{"statusCode": #if($input.params(\'fail\') == "yes")503#{else}200#end}'
        },
        responses={
            "200": (
                None,
                '{"ok": true, "stage": "$context.stage", "b64": "$util.base64Encode(\'hi\')"}',
            ),
            "503": ("503", '{"ok": false}'),
        },
    )
    api.deploy("live")
    ok = aws.env.apigateway.request("GET", "/health")
    assert ok.status == 200
    assert ok.json() == {"ok": True, "stage": "live", "b64": "aGk="}
    failing = aws.env.apigateway.request("GET", "/health?fail=yes")
    assert failing.status == 503
    assert failing.json() == {"ok": False}


def test_passthrough_never_refuses_a_content_type_without_a_template(aws: Any) -> None:
    sqs_queue(aws)
    api = RestApiBuilder(aws, "strict")
    aws_method(
        api,
        "/order",
        "POST",
        f"arn:aws:apigateway:us-east-1:sqs:path/{ACCOUNT}/orders",
        templates={
            "application/json": "Action=SendMessage&MessageBody=$util.urlEncode($input.body)"
        },
        passthroughBehavior="NEVER",
    )
    api.deploy()
    response = aws.env.apigateway.request(
        "POST", "/order", body="a,b", headers={"Content-Type": "text/csv"}
    )
    assert response.status == 415
    assert response.json() == {"message": "Unsupported Media Type"}


def test_a_broken_template_is_a_500_with_the_reason_in_the_request_log(aws: Any) -> None:
    sqs_queue(aws)
    api = RestApiBuilder(aws, "broken")
    aws_method(
        api,
        "/order",
        "POST",
        f"arn:aws:apigateway:us-east-1:sqs:path/{ACCOUNT}/orders",
        templates={"application/json": "Action=SendMessage&MessageBody=$input.json('$..[')"},
    )
    api.deploy()
    response = aws.env.apigateway.request("POST", "/order", json={})
    assert response.status == 500
    assert response.json() == {"message": "Internal server error"}
    assert "JSONPath" in (aws.env.apigateway.requests[-1].problem or "")


# --- HTTP APIs: first-class integrations ---------------------------------------------
def first_class(
    aws: Any, subtype: str, parameters: dict[str, str], route: str = "POST /order"
) -> str:
    client = aws.client("apigatewayv2")
    api_id: str = client.create_api(Name="direct", ProtocolType="HTTP")["ApiId"]
    integration = client.create_integration(
        ApiId=api_id,
        IntegrationType="AWS_PROXY",
        IntegrationSubtype=subtype,
        PayloadFormatVersion="1.0",
        CredentialsArn=f"arn:aws:iam::{ACCOUNT}:role/apigateway",
        RequestParameters=parameters,
    )
    client.create_route(
        ApiId=api_id, RouteKey=route, Target=f"integrations/{integration['IntegrationId']}"
    )
    client.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    return api_id


def test_an_http_api_sends_messages_to_sqs_with_a_first_class_integration(aws: Any) -> None:
    url = sqs_queue(aws)
    first_class(
        aws,
        "SQS-SendMessage",
        {
            "QueueUrl": url,
            "MessageBody": "$request.body.order",
            "MessageGroupId": "${request.header.x-shop}",
        },
    )
    response = aws.env.apigateway.request(
        "POST", "/order", json={"order": {"id": 1}}, headers={"X-Shop": "north"}
    )
    assert response.status == 200, response.text
    result = response.json()["SendMessageResponse"]["SendMessageResult"]
    [body] = received_bodies(aws, url)
    assert json.loads(body) == {"id": 1}
    assert result["MessageId"]


def test_an_http_api_puts_events_with_a_first_class_integration(aws: Any) -> None:
    first_class(
        aws,
        "EventBridge-PutEvents",
        {"Source": "shop.api", "DetailType": "Order$request.path.kind", "Detail": "$request.body"},
        route="POST /order/{kind}",
    )
    response = aws.env.apigateway.request("POST", "/order/Placed", json={"id": 3})
    assert response.status == 200, response.text
    assert response.json()["FailedEntryCount"] == 0


def test_a_body_nested_too_deeply_for_the_template_is_a_500_not_a_crash(aws: Any) -> None:
    sqs_queue(aws)
    api = RestApiBuilder(aws, "deep")
    aws_method(
        api,
        "/order",
        "POST",
        f"arn:aws:apigateway:us-east-1:sqs:path/{ACCOUNT}/orders",
        parameters={
            "integration.request.header.Content-Type": "'application/x-www-form-urlencoded'"
        },
        templates={"application/json": "Action=SendMessage&MessageBody=$input.json('$.a')"},
    )
    api.deploy()
    deep = "[" * 100_000 + "]" * 100_000
    response = aws.env.apigateway.request(
        "POST", "/order", body=deep, headers={"Content-Type": "application/json"}
    )
    assert response.status == 500
    assert "nests too deeply" in (aws.env.apigateway.requests[-1].problem or "")


def test_message_attributes_that_are_not_json_are_a_500_naming_the_parameter(aws: Any) -> None:
    url = sqs_queue(aws)
    first_class(
        aws,
        "SQS-SendMessage",
        {
            "QueueUrl": url,
            "MessageBody": "$request.body",
            "MessageAttributes": "$request.header.x-attrs",
        },
    )
    response = aws.env.apigateway.request(
        "POST", "/order", json={}, headers={"X-Attrs": "{not json"}
    )
    assert response.status == 500
    assert "MessageAttributes" in (aws.env.apigateway.requests[-1].problem or "")
    assert received_bodies(aws, url) == []


# --- Lambda custom (non-proxy) integrations -------------------------------------------
def lambda_custom(aws: Any, handler: Any, *, asynchronous: bool = False) -> None:
    arn = aws.env.lambda_.register("worker", handler)
    api = RestApiBuilder(aws, "custom")
    parameters = (
        {"integration.request.header.X-Amz-Invocation-Type": "'Event'"} if asynchronous else {}
    )
    aws_method(
        api,
        "/job/{id}",
        "POST",
        f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{arn}/invocations",
        parameters=parameters,
        templates={
            "application/json": '{"id": "$input.params(\'id\')", "job": $input.json(\'$\')}'
        },
        responses={
            "200": (None, "$input.json('$')"),
            "404": ("Not found:.*", '{"missing": "$input.path(\'$.errorMessage\')"}'),
        },
    )
    api.deploy()


def test_a_lambda_custom_integration_gets_the_mapped_payload(aws: Any) -> None:
    lambda_custom(aws, lambda event, context: {"accepted": event})
    response = aws.env.apigateway.request("POST", "/job/7", json={"size": 3})
    assert response.status == 200
    assert response.json() == {"accepted": {"id": "7", "job": {"size": 3}}}


def test_a_lambda_error_is_mapped_by_its_error_message(aws: Any) -> None:
    def missing(event: Any, context: Any) -> None:
        raise LookupError(f"Not found: job {event['id']}")

    lambda_custom(aws, missing)
    response = aws.env.apigateway.request("POST", "/job/8", json={})
    assert response.status == 404
    assert response.json() == {"missing": "Not found: job 8"}


def test_an_event_invocation_type_queues_the_call_and_answers_at_once(aws: Any) -> None:
    seen: list[Any] = []
    lambda_custom(aws, lambda event, context: seen.append(event), asynchronous=True)
    response = aws.env.apigateway.request("POST", "/job/9", json={"size": 1})
    assert response.status == 200
    assert seen == []
    aws.env.run_until_idle()
    assert seen == [{"id": "9", "job": {"size": 1}}]
