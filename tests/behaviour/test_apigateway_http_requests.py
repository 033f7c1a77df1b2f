"""Requests to HTTP APIs with Lambda proxy integrations: route keys, format 2.0 (and 1.0) events.

Fakes only: moto cannot run Python handlers without Docker. The event and
response formats, the response inference for results without a
``statusCode`` and the cookie handling are AWS's "Payload format version":
https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
A failed or malformed Lambda answer is ``500 {"message":"Internal Server Error"}``:
https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html
Route matching (most specific first, ``$default`` last):
https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.behaviour.apigateway_helpers import checked_events, http_api  # noqa: F401

pytestmark = [pytest.mark.fakes_only, pytest.mark.usefixtures("checked_events")]

ROUTES = ("POST /book", "GET /book/{id}", "ANY /files/{proxy+}")


def echo(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"statusCode": 200, "body": json.dumps(event)}


def books(aws: Any, handler: Any = echo, routes: tuple[str, ...] = ROUTES, **options: Any) -> str:
    arn = aws.env.lambda_.register("books", handler)
    return http_api(aws, arn, routes, **options)


def event_of(response: Any) -> dict[str, Any]:
    assert response.status == 200, response.text
    event: dict[str, Any] = response.json()
    return event


def test_a_post_becomes_a_format_2_event(aws: Any) -> None:
    api_id = books(aws)
    event = event_of(
        aws.env.apigateway.request(
            "POST", "/book?x=1", json={"title": "Dune"}, headers={"User-Agent": "ua/1"}
        )
    )
    assert event["version"] == "2.0"
    assert event["routeKey"] == "POST /book"
    assert event["rawPath"] == "/book"
    assert event["rawQueryString"] == "x=1"
    assert event["queryStringParameters"] == {"x": "1"}
    assert json.loads(event["body"]) == {"title": "Dune"}
    assert event["isBase64Encoded"] is False
    http = event["requestContext"]["http"]
    assert http == {
        "method": "POST",
        "path": "/book",
        "protocol": "HTTP/1.1",
        "sourceIp": "127.0.0.1",
        "userAgent": "ua/1",
    }
    assert event["requestContext"]["stage"] == "$default"
    assert event["requestContext"]["apiId"] == api_id
    assert event["requestContext"]["routeKey"] == "POST /book"


def test_headers_are_lower_case_and_repeated_values_joined_with_commas(aws: Any) -> None:
    books(aws)
    event = event_of(
        aws.env.apigateway.request(
            "POST",
            "/book?tag=a&tag=b",
            headers=[("X-Tag", "one"), ("x-tag", "two"), ("Content-Type", "text/plain")],
            body="hello",
        )
    )
    assert event["headers"]["x-tag"] == "one,two"
    assert event["headers"]["content-type"] == "text/plain"
    assert all(name == name.lower() for name in event["headers"])
    assert event["queryStringParameters"] == {"tag": "a,b"}
    assert event["rawQueryString"] == "tag=a&tag=b"
    assert "multiValueHeaders" not in event


def test_cookie_headers_become_the_cookies_list(aws: Any) -> None:
    books(aws)
    event = event_of(
        aws.env.apigateway.request("POST", "/book", headers=[("Cookie", "session=1; theme=dark")])
    )
    assert event["cookies"] == ["session=1", "theme=dark"]
    assert "cookie" not in event["headers"]


def test_optional_fields_are_left_out_when_empty(aws: Any) -> None:
    books(aws)
    event = event_of(aws.env.apigateway.request("POST", "/book"))
    for field in ("cookies", "queryStringParameters", "pathParameters", "stageVariables", "body"):
        assert field not in event, field
    assert event["rawQueryString"] == ""


def test_path_parameters_and_a_greedy_path(aws: Any) -> None:
    books(aws)
    event = event_of(aws.env.apigateway.request("GET", "/book/42"))
    assert event["pathParameters"] == {"id": "42"}
    assert event["routeKey"] == "GET /book/{id}"
    event = event_of(aws.env.apigateway.request("PATCH", "/files/a/b.txt"))
    assert event["pathParameters"] == {"proxy": "a/b.txt"}
    assert event["routeKey"] == "ANY /files/{proxy+}"


def test_the_default_route_catches_what_no_other_route_matches(aws: Any) -> None:
    books(aws, routes=("POST /book", "$default"))
    assert event_of(aws.env.apigateway.request("POST", "/book"))["routeKey"] == "POST /book"
    event = event_of(aws.env.apigateway.request("GET", "/anything/else"))
    assert event["routeKey"] == "$default"
    assert event["rawPath"] == "/anything/else"


def test_no_matching_route_is_404_not_found(aws: Any) -> None:
    books(aws)
    response = aws.env.apigateway.request("DELETE", "/book")
    assert response.status == 404
    assert response.json() == {"message": "Not Found"}
    assert aws.env.invocations("books") == []


def test_a_named_stage_prefixes_raw_path_and_reaches_stage_variables(aws: Any) -> None:
    api_id = books(aws, stage="prod", StageVariables={"table": "Books"})
    url = f"https://{api_id}.execute-api.us-east-1.amazonaws.com/prod/book/7"
    event = event_of(aws.env.apigateway.request("GET", url))
    assert event["rawPath"] == "/prod/book/7"
    assert event["requestContext"]["http"]["path"] == "/prod/book/7"
    assert event["requestContext"]["stage"] == "prod"
    assert event["stageVariables"] == {"table": "Books"}
    assert aws.env.apigateway.url() == f"https://{api_id}.execute-api.us-east-1.amazonaws.com/prod"


@pytest.mark.parametrize(
    ("result", "body"),
    [
        ({"message": "hi"}, '{"message":"hi"}'),
        ("Hello from Lambda!", "Hello from Lambda!"),
        ([1, 2], "[1,2]"),
    ],
    ids=["object", "string", "list"],
)
def test_a_result_without_status_code_is_inferred_as_a_200_json_body(
    aws: Any, result: Any, body: str
) -> None:
    books(aws, lambda event, context: result)
    response = aws.env.apigateway.request("POST", "/book")
    assert response.status == 200
    assert response.headers["content-type"] == "application/json"
    assert response.text == body


def test_response_cookies_become_set_cookie_headers(aws: Any) -> None:
    def login(event: Any, context: Any) -> dict[str, Any]:
        return {
            "statusCode": 204,
            "headers": {"x-session": "new"},
            "cookies": ["session=abc; HttpOnly", "theme=dark"],
        }

    books(aws, login)
    response = aws.env.apigateway.request("POST", "/book")
    assert response.status == 204
    assert response.headers.get_all("set-cookie") == ["session=abc; HttpOnly", "theme=dark"]
    assert response.headers["x-session"] == "new"
    assert response.headers["apigw-requestid"]


@pytest.mark.parametrize(
    "result",
    [
        {"statusCode": 200, "body": {"an": "object"}},
        {"statusCode": "two hundred"},
        {"statusCode": 200, "extra": 1},
    ],
    ids=["object-body", "bad-status", "unknown-field"],
)
def test_a_malformed_response_is_500_internal_server_error(aws: Any, result: Any) -> None:
    books(aws, lambda event, context: result)
    response = aws.env.apigateway.request("POST", "/book")
    assert response.status == 500
    assert response.json() == {"message": "Internal Server Error"}


def test_a_handler_error_is_500_internal_server_error(aws: Any) -> None:
    def broken(event: Any, context: Any) -> None:
        raise KeyError("path")

    books(aws, broken)
    response = aws.env.apigateway.request("POST", "/book")
    assert response.status == 500
    assert response.json() == {"message": "Internal Server Error"}
    assert aws.env.invocations("books")[0].error == "KeyError"


@pytest.mark.parametrize(
    ("content_type", "encoded"),
    [
        ("application/json", False),
        ("text/csv", False),
        ("application/vnd.api+json", False),
        ("image/png", True),
        ("application/x-www-form-urlencoded", True),
        ("application/octet-stream", True),
    ],
)
def test_binary_bodies_arrive_base64_encoded(aws: Any, content_type: str, encoded: bool) -> None:
    books(aws)
    event = event_of(
        aws.env.apigateway.request(
            "POST", "/book", body=b"a=1&b=2", headers={"Content-Type": content_type}
        )
    )
    assert event["isBase64Encoded"] is encoded
    body = base64.b64decode(event["body"]) if encoded else event["body"].encode()
    assert body == b"a=1&b=2"


def test_payload_format_1_0_on_an_http_api(aws: Any) -> None:
    books(aws, version="1.0")
    event = event_of(aws.env.apigateway.request("GET", "/book/5?q=a&q=b"))
    assert event["version"] == "1.0"
    assert event["resource"] == "/book/{id}"
    assert event["pathParameters"] == {"id": "5"}
    assert event["multiValueQueryStringParameters"] == {"q": ["a", "b"]}
    assert event["requestContext"]["routeKey"] == "GET /book/{id}"


def test_a_stage_without_auto_deploy_serves_its_deployment_until_the_next(aws: Any) -> None:
    arn = aws.env.lambda_.register("books", echo)
    api_id = http_api(aws, arn, ("POST /book",), stage="prod", auto_deploy=False)
    client = aws.client("apigatewayv2")
    gateway = aws.env.apigateway
    assert gateway.request("POST", "/book", stage="prod").status == 404  # never deployed
    client.create_deployment(ApiId=api_id, StageName="prod")
    assert gateway.request("POST", "/book", stage="prod").status == 200
    integration_id = client.get_integrations(ApiId=api_id)["Items"][0]["IntegrationId"]
    client.create_route(
        ApiId=api_id, RouteKey="GET /author", Target=f"integrations/{integration_id}"
    )
    assert gateway.request("GET", "/author", stage="prod").status == 404
    client.create_deployment(ApiId=api_id, StageName="prod")
    assert gateway.request("GET", "/author", stage="prod").status == 200


def test_quick_create_serves_every_request_through_the_default_route(aws: Any) -> None:
    arn = aws.env.lambda_.register("books", echo)
    aws.client("apigatewayv2").create_api(Name="quick", ProtocolType="HTTP", Target=arn)
    event = event_of(aws.env.apigateway.request("PUT", "/any/path", api="quick"))
    assert event["routeKey"] == "$default"
    assert event["requestContext"]["http"]["method"] == "PUT"


def test_a_method_api_gateway_does_not_serve_is_refused(aws: Any) -> None:
    books(aws, routes=("$default",))
    with pytest.raises(ValueError, match="not 'TRACE'"):
        aws.env.apigateway.request("TRACE", "/book")


# --- CORS (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html) ---
CORS = {
    "AllowOrigins": ["https://shop.example", "https://*.shop.example"],
    "AllowMethods": ["GET", "POST"],
    "AllowHeaders": ["content-type", "x-user"],
    "ExposeHeaders": ["x-request"],
    "MaxAge": 600,
    "AllowCredentials": True,
}


def cors_api(aws: Any) -> None:
    def handler(event: Any, context: Any) -> dict[str, Any]:
        return {"statusCode": 200, "headers": {"Access-Control-Allow-Origin": "*"}, "body": "ok"}

    arn = aws.env.lambda_.register("books", handler)
    aws.client("apigatewayv2").create_api(
        Name="books", ProtocolType="HTTP", Target=arn, RouteKey="POST /book", CorsConfiguration=CORS
    )


def test_a_preflight_is_answered_by_the_gateway_without_a_route_or_a_call(aws: Any) -> None:
    cors_api(aws)
    response = aws.env.apigateway.request(
        "OPTIONS",
        "/book",
        headers={"Origin": "https://shop.example", "Access-Control-Request-Method": "POST"},
    )
    assert response.status == 204
    assert response.headers["access-control-allow-origin"] == "https://shop.example"
    assert response.headers["access-control-allow-methods"] == "GET,POST"
    assert response.headers["access-control-allow-headers"] == "content-type,x-user"
    assert response.headers["access-control-max-age"] == "600"
    assert response.headers["access-control-allow-credentials"] == "true"
    assert aws.env.invocations("books") == []


def test_cors_headers_of_the_api_replace_the_integrations(aws: Any) -> None:
    cors_api(aws)
    allowed = aws.env.apigateway.request(
        "POST", "/book", headers={"Origin": "https://eu.shop.example"}
    )
    assert allowed.headers.get_all("access-control-allow-origin") == ["https://eu.shop.example"]
    assert allowed.headers["access-control-expose-headers"] == "x-request"
    other = aws.env.apigateway.request("POST", "/book", headers={"Origin": "https://evil.example"})
    assert other.status == 200
    assert "access-control-allow-origin" not in other.headers
