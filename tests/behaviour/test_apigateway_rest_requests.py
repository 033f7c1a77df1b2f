"""Requests to REST APIs with Lambda proxy integrations: routing, format 1.0 events, responses.

Fakes only: moto cannot run Python handlers without Docker. The event
shape is AWS's "Input format of a Lambda function for proxy integration" and
the response rules its "Output format":
https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
Multi-value headers and query strings:
https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#apigateway-multivalue-headers-and-parameters
Gateway errors (403 Missing Authentication Token, 502 for a malformed
response, 504 for a timeout):
https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from eventproof_fakes import observe
from tests.behaviour.apigateway_helpers import RestApiBuilder, checked_events  # noqa: F401

pytestmark = [pytest.mark.fakes_only, pytest.mark.usefixtures("checked_events")]


def echo(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"statusCode": 200, "body": json.dumps(event)}


def books_api(aws: Any, handler: Any = echo, **variables: str) -> RestApiBuilder:
    arn = aws.env.lambda_.register("books", handler)
    api = RestApiBuilder(aws)
    api.proxy("/book", "POST", arn).proxy("/book/{id}", "GET", arn)
    return api.deploy("prod", **variables)


def event_of(response: Any) -> dict[str, Any]:
    assert response.status == 200, response.text
    event: dict[str, Any] = response.json()
    return event


def test_a_post_becomes_a_format_1_event_with_the_request_in_it(aws: Any) -> None:
    books_api(aws)
    event = event_of(aws.env.apigateway.request("POST", "/book", json={"title": "Dune"}))
    assert event["resource"] == "/book"
    assert event["path"] == "/book"
    assert event["httpMethod"] == "POST"
    assert json.loads(event["body"]) == {"title": "Dune"}
    assert event["isBase64Encoded"] is False
    assert event["headers"]["Content-Type"] == "application/json"
    assert event["multiValueHeaders"]["Content-Type"] == ["application/json"]
    context = event["requestContext"]
    assert context["stage"] == "prod"
    assert context["path"] == "/prod/book"
    assert context["resourcePath"] == "/book"
    assert context["httpMethod"] == "POST"
    assert context["accountId"] == "123456789012"
    assert context["identity"]["sourceIp"] == "127.0.0.1"
    assert "version" not in event  # REST events have no version field


def test_absent_query_path_parameters_stage_variables_and_body_are_null(aws: Any) -> None:
    books_api(aws)
    event = event_of(aws.env.apigateway.request("POST", "/book"))
    for field in (
        "queryStringParameters",
        "multiValueQueryStringParameters",
        "pathParameters",
        "stageVariables",
        "body",
    ):
        assert field in event and event[field] is None, field


def test_repeated_query_parameters_and_headers_keep_every_value_in_the_multi_value_fields(
    aws: Any,
) -> None:
    books_api(aws)
    response = aws.env.apigateway.request(
        "POST", "/book?tag=a&tag=b&lang=en", headers=[("X-Tag", "one"), ("X-Tag", "two")]
    )
    event = event_of(response)
    assert event["queryStringParameters"] == {"tag": "b", "lang": "en"}
    assert event["multiValueQueryStringParameters"] == {"tag": ["a", "b"], "lang": ["en"]}
    assert event["headers"]["X-Tag"] == "two"
    assert event["multiValueHeaders"]["X-Tag"] == ["one", "two"]


def test_path_parameters_and_the_resource_template(aws: Any) -> None:
    books_api(aws)
    event = event_of(aws.env.apigateway.request("GET", "/book/42"))
    assert event["resource"] == "/book/{id}"
    assert event["path"] == "/book/42"
    assert event["pathParameters"] == {"id": "42"}


def test_a_greedy_proxy_resource_takes_the_rest_of_the_path(aws: Any) -> None:
    arn = aws.env.lambda_.register("files", echo)
    RestApiBuilder(aws).proxy("/files/{proxy+}", "ANY", arn).deploy()
    event = event_of(aws.env.apigateway.request("DELETE", "/files/a/b/c.txt"))
    assert event["resource"] == "/files/{proxy+}"
    assert event["pathParameters"] == {"proxy": "a/b/c.txt"}
    assert event["httpMethod"] == "DELETE"


def test_a_literal_resource_beats_a_variable_and_an_exact_method_beats_any(aws: Any) -> None:
    literal = aws.env.lambda_.register(
        "literal", lambda e, c: {"statusCode": 200, "body": "literal"}
    )
    variable = aws.env.lambda_.register(
        "variable", lambda e, c: {"statusCode": 200, "body": "variable"}
    )
    anything = aws.env.lambda_.register("any", lambda e, c: {"statusCode": 200, "body": "any"})
    api = RestApiBuilder(aws)
    api.proxy("/book/latest", "GET", literal).proxy("/book/{id}", "GET", variable)
    api.proxy("/book/{id}", "ANY", anything).deploy()
    gateway = aws.env.apigateway
    assert gateway.request("GET", "/book/latest").text == "literal"
    assert gateway.request("GET", "/book/7").text == "variable"
    assert gateway.request("PUT", "/book/7").text == "any"


def test_no_matching_resource_or_method_is_403_missing_authentication_token(aws: Any) -> None:
    books_api(aws)
    for method, path in (("GET", "/nothing"), ("DELETE", "/book"), ("GET", "/")):
        response = aws.env.apigateway.request(method, path)
        assert response.status == 403
        assert response.json() == {"message": "Missing Authentication Token"}
    assert aws.env.invocations("books") == []


def test_stage_variables_and_the_execute_api_url(aws: Any) -> None:
    api = books_api(aws, table="Books")
    url = aws.env.apigateway.url()
    assert url == f"https://{api.id}.execute-api.us-east-1.amazonaws.com/prod"
    event = event_of(aws.env.apigateway.request("GET", f"{url}/book/9?x=1"))
    assert event["stageVariables"] == {"table": "Books"}
    assert event["pathParameters"] == {"id": "9"}
    assert event["queryStringParameters"] == {"x": "1"}
    assert event["headers"]["Host"] == f"{api.id}.execute-api.us-east-1.amazonaws.com"


def test_an_unknown_stage_in_the_url_is_403_forbidden(aws: Any) -> None:
    api = books_api(aws)
    response = aws.env.apigateway.request(
        "GET", f"https://{api.id}.execute-api.us-east-1.amazonaws.com/nope/book/1"
    )
    assert response.status == 403
    assert response.json() == {"message": "Forbidden"}


def test_the_handler_response_becomes_status_headers_and_body(aws: Any) -> None:
    def created(event: Any, context: Any) -> dict[str, Any]:
        return {
            "statusCode": 201,
            "headers": {"Location": "/book/1", "X-Count": 1},
            "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]},
            "body": '{"id": 1}',
        }

    books_api(aws, created)
    response = aws.env.apigateway.request("POST", "/book", json={})
    assert response.status == 201
    assert response.headers["Location"] == "/book/1"
    assert response.headers["X-Count"] == "1"
    assert response.headers.get_all("Set-Cookie") == ["a=1", "b=2"]
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["x-amzn-RequestId"]
    assert response.json() == {"id": 1}


def test_a_base64_response_body_is_decoded_for_the_client(aws: Any) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00binary"

    def image(event: Any, context: Any) -> dict[str, Any]:
        return {
            "statusCode": 200,
            "headers": {"Content-Type": "image/png"},
            "body": base64.b64encode(png).decode(),
            "isBase64Encoded": True,
        }

    books_api(aws, image)
    response = aws.env.apigateway.request("POST", "/book")
    assert response.body == png
    assert response.headers["Content-Type"] == "image/png"


def test_a_binary_media_type_body_arrives_base64_encoded(aws: Any) -> None:
    arn = aws.env.lambda_.register("upload", echo)
    api = RestApiBuilder(aws, binaryMediaTypes=["image/*"])
    api.proxy("/upload", "POST", arn).deploy()
    data = bytes(range(256))
    response = aws.env.apigateway.request(
        "POST", "/upload", body=data, headers={"Content-Type": "image/png"}
    )
    event = event_of(response)
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == data


@pytest.mark.parametrize(
    "result",
    [
        {"statusCode": 200, "body": {"not": "a string"}},
        {"body": "no status code"},
        {"statusCode": 200, "body": "x", "extra": "field"},
        "just a string",
        None,
        {"statusCode": 200, "headers": {"X": {"nested": 1}}},
    ],
    ids=["object-body", "no-status", "unknown-field", "string", "none", "nested-header"],
)
def test_a_malformed_proxy_response_is_502_internal_server_error(aws: Any, result: Any) -> None:
    books_api(aws, lambda event, context: result)
    response = aws.env.apigateway.request("POST", "/book")
    assert response.status == 502
    assert response.json() == {"message": "Internal server error"}
    problem = aws.env.apigateway.requests[-1].problem
    assert problem is not None and "Malformed Lambda proxy response" in problem


def test_a_handler_error_is_502_and_the_failed_invocation_is_recorded(aws: Any) -> None:
    def broken(event: Any, context: Any) -> None:
        raise ValueError("no such book")

    books_api(aws, broken)
    response = aws.env.apigateway.request("POST", "/book")
    assert response.status == 502
    assert response.json() == {"message": "Internal server error"}
    [invocation] = aws.env.invocations("books")
    assert invocation.error == "ValueError"
    assert invocation.trigger == "apigateway"
    assert "no such book" in (aws.env.apigateway.requests[-1].problem or "")


def test_a_handler_slower_than_the_integration_timeout_is_504(aws: Any) -> None:
    def slow(event: Any, context: Any) -> dict[str, Any]:
        aws.env.clock.advance(30)
        return {"statusCode": 200, "body": "late"}

    arn = aws.env.lambda_.register("slow", slow, timeout=60)
    RestApiBuilder(aws).proxy("/slow", "GET", arn).deploy()
    response = aws.env.apigateway.request("GET", "/slow")
    assert response.status == 504
    assert response.json() == {"message": "Endpoint request timed out"}


def test_every_request_event_is_logged_as_a_delivery(aws: Any) -> None:
    books_api(aws)
    aws.env.apigateway.request("POST", "/book", json={"n": 1})
    aws.env.apigateway.request("GET", "/book/1")
    delivered = aws.env.deliveries.of_kind(observe.APIGATEWAY_PROXY_EVENT)
    assert [d.payload["resource"] for d in delivered] == ["/book", "/book/{id}"]
    assert delivered[0].target.endswith(":function:books")


def test_changes_reach_callers_only_through_a_new_deployment(aws: Any) -> None:
    api = books_api(aws)
    arn = aws.env.lambda_.function("books").arn
    api.proxy("/author", "GET", arn)
    assert aws.env.apigateway.request("GET", "/author").status == 403
    api.deploy("prod")
    assert aws.env.apigateway.request("GET", "/author").status == 200


def test_a_missing_function_is_500(aws: Any) -> None:
    RestApiBuilder(aws).proxy(
        "/ghost", "GET", "arn:aws:lambda:us-east-1:123456789012:function:ghost"
    ).deploy()
    response = aws.env.apigateway.request("GET", "/ghost")
    assert response.status == 500
    assert response.json() == {"message": "Internal server error"}


def test_an_api_with_its_execute_api_endpoint_disabled_is_403(aws: Any) -> None:
    arn = aws.env.lambda_.register("books", echo)
    RestApiBuilder(aws, disableExecuteApiEndpoint=True).proxy("/book", "GET", arn).deploy()
    response = aws.env.apigateway.request("GET", "/book")
    assert response.status == 403
    assert response.json() == {"message": "Forbidden"}
    assert aws.env.invocations("books") == []


def test_the_gateway_appends_the_client_address_to_x_forwarded_for(aws: Any) -> None:
    books_api(aws)
    event = event_of(
        aws.env.apigateway.request(
            "POST", "/book", headers={"X-Forwarded-For": "198.51.100.1"}, source_ip="203.0.113.9"
        )
    )
    assert event["headers"]["X-Forwarded-For"] == "198.51.100.1, 203.0.113.9"
    assert event["headers"]["X-Forwarded-Proto"] == "https"
    assert event["requestContext"]["identity"]["sourceIp"] == "203.0.113.9"


def test_a_stage_variable_in_the_integration_uri_picks_the_function_by_stage(aws: Any) -> None:
    for name in ("books-dev", "books-live"):
        aws.env.lambda_.register(name, lambda e, c, name=name: {"statusCode": 200, "body": name})
    arn = "arn:aws:lambda:us-east-1:123456789012:function:${stageVariables.function}"
    api = RestApiBuilder(aws).proxy("/book", "GET", arn)
    api.deploy("dev", function="books-dev").deploy("live", function="books-live")
    assert aws.env.apigateway.request("GET", "/book", stage="dev").text == "books-dev"
    assert aws.env.apigateway.request("GET", "/book", stage="live").text == "books-live"


def test_an_ambiguous_api_or_stage_is_an_error_naming_the_choices(aws: Any) -> None:
    from eventproof_fakes.apigateway import ApiNotFound

    api = books_api(aws)
    api.deploy("dev")
    with pytest.raises(ApiNotFound, match=r"name the stage \(stage=...\) .* \['prod', 'dev'\]"):
        aws.env.apigateway.request("POST", "/book")
    assert aws.env.apigateway.request("POST", "/book", stage="dev").status == 200
    RestApiBuilder(aws, "authors")
    with pytest.raises(ApiNotFound, match=r"this environment has 2: books .*, authors"):
        aws.env.apigateway.request("POST", "/book", stage="dev")
    with pytest.raises(ApiNotFound, match="no API named 'nope'"):
        aws.env.apigateway.request("POST", "/book", api="nope")
    assert aws.env.apigateway.request("POST", "/book", api="books", stage="dev").status == 200
