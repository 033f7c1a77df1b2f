"""EventBridge connections and API destinations: the API on the fakes and on moto,
HTTP delivery on the fakes.

https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-api-destinations.html
(retried answers: 401, 407, 409, 429 and 5xx; other 4xx are not retried).
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from botocore.exceptions import ClientError

DOC = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-api-destinations.html"
PATTERN = json.dumps({"source": ["shop"]})


def basic_connection(events: Any, name: str = "conn") -> str:
    return str(
        events.create_connection(
            Name=name,
            AuthorizationType="BASIC",
            AuthParameters={"BasicAuthParameters": {"Username": "user", "Password": "secret"}},
        )["ConnectionArn"]
    )


def destination(events: Any, endpoint: str, method: str = "POST", connection: str | None = None) -> str:
    return str(
        events.create_api_destination(
            Name="hook",
            ConnectionArn=connection or basic_connection(events),
            InvocationEndpoint=endpoint,
            HttpMethod=method,
            InvocationRateLimitPerSecond=10,
        )["ApiDestinationArn"]
    )


def wire(aws: Any, endpoint: str, **target: Any) -> Any:
    events = aws.client("events")
    arn = destination(events, endpoint)
    events.put_rule(Name="orders", EventPattern=PATTERN)
    events.put_targets(
        Rule="orders",
        Targets=[{"Id": "hook", "Arn": arn, "RoleArn": "arn:aws:iam::123456789012:role/r", **target}],
    )
    return events


def put(events: Any) -> None:
    events.put_events(Entries=[{"Source": "shop", "DetailType": "order", "Detail": json.dumps({"id": 7})}])


# --- the API ----------------------------------------------------------------------------
def test_a_connection_is_described_without_its_secret(aws: Any) -> None:
    events = aws.client("events")
    arn = basic_connection(events)
    described = events.describe_connection(Name="conn")
    assert described["ConnectionArn"] == arn
    assert described["AuthorizationType"] == "BASIC"
    assert described["AuthParameters"]["BasicAuthParameters"] == {"Username": "user"}


def test_connections_are_listed_and_deleted(aws: Any) -> None:
    events = aws.client("events")
    basic_connection(events, "a")
    basic_connection(events, "b")
    assert [c["Name"] for c in events.list_connections()["Connections"]] == ["a", "b"]
    events.delete_connection(Name="a")
    assert [c["Name"] for c in events.list_connections()["Connections"]] == ["b"]


def test_an_api_destination_is_described_and_listed(aws: Any) -> None:
    events = aws.client("events")
    arn = destination(events, "https://example.com/hook", "PUT")
    described = events.describe_api_destination(Name="hook")
    assert described["ApiDestinationArn"] == arn
    assert (described["HttpMethod"], described["InvocationEndpoint"]) == ("PUT", "https://example.com/hook")
    assert [d["Name"] for d in events.list_api_destinations()["ApiDestinations"]] == ["hook"]


def test_an_api_destination_can_be_updated_and_deleted(aws: Any) -> None:
    events = aws.client("events")
    destination(events, "https://example.com/hook")
    events.update_api_destination(Name="hook", InvocationEndpoint="https://example.com/v2", HttpMethod="PATCH")
    described = events.describe_api_destination(Name="hook")
    assert (described["InvocationEndpoint"], described["HttpMethod"]) == ("https://example.com/v2", "PATCH")
    events.delete_api_destination(Name="hook")
    with pytest.raises(ClientError) as raised:
        events.describe_api_destination(Name="hook")
    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_an_oauth_connection_is_described_without_its_secret(aws: Any) -> None:
    events = aws.client("events")
    events.create_connection(
        Name="oauth",
        AuthorizationType="OAUTH_CLIENT_CREDENTIALS",
        AuthParameters={
            "OAuthParameters": {
                "ClientParameters": {"ClientID": "id", "ClientSecret": "s"},
                "AuthorizationEndpoint": "https://example.com/token",
                "HttpMethod": "POST",
            }
        },
    )
    shown = events.describe_connection(Name="oauth")["AuthParameters"]["OAuthParameters"]
    assert shown["ClientParameters"] == {"ClientID": "id"}
    assert (shown["AuthorizationEndpoint"], shown["HttpMethod"]) == ("https://example.com/token", "POST")


# --- delivery to the recorder ---------------------------------------------------------------
@pytest.mark.fakes_only  # DOC: HTTP delivery with the connection's credentials
def test_an_event_becomes_an_authenticated_http_request(aws: Any) -> None:
    events = wire(aws, "https://example.com/orders/*", HttpParameters={
        "PathParameterValues": ["eu"],
        "HeaderParameters": {"X-Tenant": "t1"},
        "QueryStringParameters": {"v": "2"},
    })
    put(events)
    (request,) = aws.env.events.http_requests
    assert request.method == "POST"
    assert request.url == "https://example.com/orders/eu?v=2"
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(b"user:secret").decode()
    assert request.headers["X-Tenant"] == "t1"
    assert json.loads(request.body)["detail"] == {"id": 7}


@pytest.mark.fakes_only  # DOC: API_KEY connections send the key as a header
def test_an_api_key_connection_sends_its_header(aws: Any) -> None:
    events = aws.client("events")
    connection = events.create_connection(
        Name="key",
        AuthorizationType="API_KEY",
        AuthParameters={"ApiKeyAuthParameters": {"ApiKeyName": "x-api-key", "ApiKeyValue": "k123"}},
    )["ConnectionArn"]
    arn = destination(events, "https://example.com/hook", "GET", connection)
    events.put_rule(Name="orders", EventPattern=PATTERN)
    events.put_targets(Rule="orders", Targets=[{"Id": "hook", "Arn": arn}])
    put(events)
    (request,) = aws.env.events.http_requests
    assert request.headers["x-api-key"] == "k123"
    assert request.body is None  # GET carries no body


@pytest.mark.fakes_only  # DOC: 5xx answers are retried
def test_a_server_error_is_retried_until_accepted(aws: Any) -> None:
    answers = iter([503, 500, 200])
    aws.env.events.http_responder = lambda request: next(answers)
    events = wire(aws, "https://example.com/hook")
    put(events)
    aws.env.run_until_idle()
    assert [r.status for r in aws.env.events.http_requests] == [503, 500, 200]


@pytest.mark.fakes_only  # DOC: other 4xx answers are not retried; the event goes to the DLQ
def test_a_client_error_goes_to_the_dead_letter_queue_without_retry(aws: Any) -> None:
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName="dlq")["QueueUrl"]
    dlq = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    aws.env.events.http_responder = lambda request: 400
    events = wire(aws, "https://example.com/hook", DeadLetterConfig={"Arn": dlq})
    put(events)
    aws.env.run_until_idle()
    assert len(aws.env.events.http_requests) == 1
    (message,) = sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"])["Messages"]
    assert json.loads(message["Body"])["detail"] == {"id": 7}


@pytest.mark.fakes_only  # DOC: a deauthorized connection cannot deliver
def test_a_deauthorized_connection_delivers_nothing(aws: Any) -> None:
    events = wire(aws, "https://example.com/hook", RetryPolicy={"MaximumRetryAttempts": 0})
    events.deauthorize_connection(Name="conn")
    put(events)
    aws.env.run_until_idle()
    assert aws.env.events.http_requests == []
    assert events.describe_connection(Name="conn")["ConnectionState"] == "DEAUTHORIZED"


# --- delivery to a real local endpoint ----------------------------------------------------------
@pytest.fixture
def local_server() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            received.append({"path": self.path, "headers": dict(self.headers), "body": self.rfile.read(length)})
            self.send_response(202)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    server.timeout = 5
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.fakes_only  # DOC: delivery to a real endpoint (here on 127.0.0.1)
def test_a_local_endpoint_receives_a_real_request(aws: Any, local_server: tuple[str, list[dict[str, Any]]]) -> None:
    base, received = local_server
    events = wire(aws, f"{base}/hook")
    put(events)
    (request,) = received
    assert request["path"] == "/hook"
    assert request["headers"]["Authorization"].startswith("Basic ")
    assert json.loads(request["body"])["detail"] == {"id": 7}
    assert aws.env.events.http_requests[0].status == 202
