"""Powertools for AWS Lambda runs unchanged behind the fake API Gateway.

An ``APIGatewayRestResolver`` app behind a REST API and an
``APIGatewayHttpResolver`` app behind an HTTP API route, read path and
query parameters, headers and JSON bodies, and answer; and every event the
gateway delivered parses with Powertools' parser models. Fakes only: moto
cannot run Python handlers without Docker.
https://docs.powertools.aws.dev/lambda/python/latest/core/event_handler/api_gateway/
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, APIGatewayRestResolver
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.utilities.parser import ValidationError, parse
from aws_lambda_powertools.utilities.parser.models import APIGatewayProxyEventV2Model

from eventproof_fakes import observe
from tests.behaviour.apigateway_helpers import (
    RestApiBuilder,
    check_proxy_events,
    checked_events,  # noqa: F401
    http_api,
)

pytestmark = [pytest.mark.fakes_only, pytest.mark.usefixtures("checked_events")]


def book_app(app: Any) -> Any:
    books: dict[str, dict[str, Any]] = {}

    @app.post("/book")
    def add() -> tuple[dict[str, Any], int]:
        book = app.current_event.json_body
        books[book["id"]] = {**book, "by": app.current_event.headers.get("x-user")}
        return books[book["id"]], 201

    @app.get("/book/<book_id>")
    def get(book_id: str) -> dict[str, Any]:
        if book_id not in books:
            raise NotFoundError(f"no book {book_id}")
        fields = app.current_event.get_query_string_value("fields")
        book = books[book_id]
        return {k: book[k] for k in fields.split(",")} if fields else book

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        result: dict[str, Any] = app.resolve(event, context)
        return result

    return handler


def exercise(gateway: Any, **target: Any) -> None:
    created = gateway.request(
        "POST", "/book", json={"id": "7", "title": "Dune"}, headers={"X-User": "ana"}, **target
    )
    assert created.status == 201, created.text
    assert created.json() == {"id": "7", "title": "Dune", "by": "ana"}
    fetched = gateway.request("GET", "/book/7?fields=title,by", **target)
    assert fetched.status == 200
    assert fetched.json() == {"title": "Dune", "by": "ana"}
    missing = gateway.request("GET", "/book/8", **target)
    assert missing.status == 404
    assert missing.json()["message"] == "no book 8"


def test_a_rest_resolver_app_behind_a_rest_api(aws: Any) -> None:
    arn = aws.env.lambda_.register("books", book_app(APIGatewayRestResolver()))
    RestApiBuilder(aws).proxy("/{proxy+}", "ANY", arn).deploy("prod")
    exercise(aws.env.apigateway)


def test_an_http_resolver_app_behind_an_http_api_on_a_named_stage(aws: Any) -> None:
    arn = aws.env.lambda_.register("books", book_app(APIGatewayHttpResolver()))
    http_api(aws, arn, ("ANY /{proxy+}",), stage="prod")
    exercise(aws.env.apigateway)  # rawPath carries /prod: Powertools strips the stage


def test_an_http_resolver_app_behind_the_default_route_of_a_quick_created_api(aws: Any) -> None:
    arn = aws.env.lambda_.register("books", book_app(APIGatewayHttpResolver()))
    aws.client("apigatewayv2").create_api(Name="quick", ProtocolType="HTTP", Target=arn)
    exercise(aws.env.apigateway)


def test_the_event_check_parses_every_delivered_event_and_would_fail_on_a_broken_one(
    aws: Any,
) -> None:
    arn = aws.env.lambda_.register("books", lambda event, context: "ok")
    http_api(aws, arn, ("$default",))
    aws.env.apigateway.request("GET", "/a")
    aws.env.apigateway.request("POST", "/b", json={})
    assert check_proxy_events(aws.env) == 2
    broken = dict(aws.env.deliveries.of_kind(observe.APIGATEWAY_PROXY_EVENT)[0].payload)
    del broken["rawPath"]
    with pytest.raises(ValidationError):
        parse(event=broken, model=APIGatewayProxyEventV2Model)


def test_a_powertools_app_sees_a_base64_body_decoded(aws: Any) -> None:
    app = APIGatewayHttpResolver()

    @app.post("/upload")
    def upload() -> dict[str, Any]:
        return {
            "size": len(app.current_event.decoded_body),
            "b64": app.current_event.is_base64_encoded,
        }

    arn = aws.env.lambda_.register("upload", lambda event, context: app.resolve(event, context))
    http_api(aws, arn, ("POST /upload",))
    response = aws.env.apigateway.request(
        "POST",
        "/upload",
        body=bytes(range(100)),
        headers={"Content-Type": "application/octet-stream"},
    )
    assert response.status == 200
    assert json.loads(response.body) == {"size": 100, "b64": True}
