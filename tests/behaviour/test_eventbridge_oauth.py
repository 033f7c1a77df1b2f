"""EventBridge connections with OAuth client credentials, against a token endpoint on 127.0.0.1.

EventBridge exchanges the client id and secret for an access token at the
connection's authorization endpoint, sends it as a Bearer header to API
destinations, and refreshes it on a 401/407 answer (the retry carries the new
token) or when it is about to expire:
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-target-connection-auth.html
moto stores OAuth connections but sends no request: these cases run on the fakes.
"""

from __future__ import annotations

import base64
import json
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from botocore.exceptions import ClientError

pytestmark = [pytest.mark.fakes_only, pytest.mark.timeout(60)]
PATTERN = json.dumps({"source": ["shop"]})


@dataclass
class AuthServer:
    """A token endpoint (/token) and an API (/hook) that accepts only the latest token."""

    url: str = ""
    token_calls: list[dict[str, Any]] = field(default_factory=list)
    hook_calls: list[dict[str, Any]] = field(default_factory=list)
    token_status: int = 200
    expires_in: int = 3600
    reject_next: int = 0  # answer the next N hook calls 401

    @property
    def current(self) -> str:
        return f"token-{len(self.token_calls)}"


@pytest.fixture
def server() -> Iterator[AuthServer]:
    state = AuthServer()

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            call = {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
            if self.path.startswith("/token"):
                state.token_calls.append(call)
                answer = json.dumps({"access_token": state.current, "token_type": "Bearer",
                                     "expires_in": state.expires_in}).encode()
                self._answer(state.token_status, answer)
                return
            state.hook_calls.append(call)
            if state.reject_next or self.headers.get("Authorization") != f"Bearer {state.current}":
                state.reject_next = max(0, state.reject_next - 1)
                self._answer(401, b"")
            else:
                self._answer(200, b"{}")

        do_GET = do_POST = do_PUT = _handle

        def _answer(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    http = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{http.server_address[1]}"
    try:
        yield state
    finally:
        http.shutdown()
        http.server_close()


def oauth(server: AuthServer, **overrides: Any) -> dict[str, Any]:
    parameters = {
        "ClientParameters": {"ClientID": "my-client", "ClientSecret": "s3cret"},
        "AuthorizationEndpoint": f"{server.url}/token",
        "HttpMethod": "POST",
        "OAuthHttpParameters": {
            "BodyParameters": [{"Key": "grant_type", "Value": "client_credentials"}],
            "HeaderParameters": [{"Key": "X-Realm", "Value": "shop"}],
            "QueryStringParameters": [{"Key": "audience", "Value": "orders"}],
        },
    }
    return {**parameters, **overrides}


def wire(aws: Any, server: AuthServer, **target: Any) -> Any:
    events = aws.client("events")
    connection = events.create_connection(
        Name="oauth", AuthorizationType="OAUTH_CLIENT_CREDENTIALS",
        AuthParameters={"OAuthParameters": oauth(server)},
    )["ConnectionArn"]
    arn = events.create_api_destination(
        Name="hook", ConnectionArn=connection, InvocationEndpoint=f"{server.url}/hook", HttpMethod="POST",
    )["ApiDestinationArn"]
    events.put_rule(Name="orders", EventPattern=PATTERN)
    events.put_targets(Rule="orders", Targets=[{"Id": "hook", "Arn": arn, **target}])
    return events


def put(events: Any) -> None:
    events.put_events(Entries=[{"Source": "shop", "DetailType": "order", "Detail": json.dumps({"id": 7})}])


def test_the_token_is_fetched_with_the_client_credentials(aws: Any, server: AuthServer) -> None:
    events = wire(aws, server)
    assert events.describe_connection(Name="oauth")["ConnectionState"] == "AUTHORIZED"
    (call,) = server.token_calls
    assert call["method"] == "POST" and call["path"] == "/token?audience=orders"
    assert call["headers"]["Authorization"] == "Basic " + base64.b64encode(b"my-client:s3cret").decode()
    assert call["headers"]["X-Realm"] == "shop"
    assert urllib.parse.parse_qs(call["body"]) == {"grant_type": ["client_credentials"]}


def test_an_event_carries_the_token_as_a_bearer_header(aws: Any, server: AuthServer) -> None:
    events = wire(aws, server)
    put(events)
    aws.env.run_until_idle()
    (call,) = server.hook_calls
    assert call["headers"]["Authorization"] == "Bearer token-1"
    assert json.loads(call["body"])["detail"] == {"id": 7}
    assert len(server.token_calls) == 1  # the token is reused


def test_a_401_refreshes_the_token_and_the_retry_is_accepted(aws: Any, server: AuthServer) -> None:
    events = wire(aws, server)
    server.reject_next = 1
    put(events)
    aws.env.run_until_idle()
    assert [c["headers"]["Authorization"] for c in server.hook_calls] == ["Bearer token-1", "Bearer token-2"]
    assert len(server.token_calls) == 2
    assert [r.status for r in aws.env.events.http_requests] == [401, 200]


def test_a_token_about_to_expire_is_refreshed_before_the_call(aws: Any, server: AuthServer) -> None:
    server.expires_in = 120
    events = wire(aws, server)
    aws.advance(30)  # 90 s left: still used
    put(events)
    aws.env.run_until_idle()
    aws.advance(40)  # 50 s left: within a minute of expiry, fetched anew
    put(events)
    aws.env.run_until_idle()
    assert [c["headers"]["Authorization"] for c in server.hook_calls] == ["Bearer token-1", "Bearer token-2"]


def test_a_failing_token_endpoint_deauthorizes_the_connection(aws: Any, server: AuthServer) -> None:
    server.token_status = 500
    events = wire(aws, server, RetryPolicy={"MaximumRetryAttempts": 0})
    described = events.describe_connection(Name="oauth")
    assert described["ConnectionState"] == "DEAUTHORIZED"
    assert "500" in described["StateReason"]
    put(events)
    aws.env.run_until_idle()
    assert server.hook_calls == []


def test_updating_the_secret_fetches_a_token_with_it(aws: Any, server: AuthServer) -> None:
    events = wire(aws, server)
    events.update_connection(
        Name="oauth",
        AuthParameters={"OAuthParameters": {"ClientParameters": {"ClientID": "my-client", "ClientSecret": "new"}}},
    )
    assert server.token_calls[-1]["headers"]["Authorization"] == (
        "Basic " + base64.b64encode(b"my-client:new").decode()
    )
    put(events)
    aws.env.run_until_idle()
    assert server.hook_calls[-1]["headers"]["Authorization"] == "Bearer token-2"


def test_a_remote_endpoint_is_answered_without_network(aws: Any) -> None:
    events = aws.client("events")
    events.create_connection(
        Name="oauth", AuthorizationType="OAUTH_CLIENT_CREDENTIALS",
        AuthParameters={"OAuthParameters": {
            "ClientParameters": {"ClientID": "id", "ClientSecret": "s"},
            "AuthorizationEndpoint": "https://auth.example.com/token", "HttpMethod": "GET",
        }},
    )
    (request,) = aws.env.events.token_requests
    assert (request.method, request.url, request.body) == ("GET", "https://auth.example.com/token", None)
    assert events.describe_connection(Name="oauth")["ConnectionState"] == "AUTHORIZED"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"HttpMethod": "PATCH"}, "httpMethod"),
        ({"AuthorizationEndpoint": "http://example.com/token"}, "HTTPS"),
    ],
)
def test_invalid_oauth_parameters_are_refused(aws: Any, server: AuthServer, change: dict[str, Any],
                                              expected: str) -> None:
    with pytest.raises(ClientError) as raised:
        aws.client("events").create_connection(
            Name="oauth", AuthorizationType="OAUTH_CLIENT_CREDENTIALS",
            AuthParameters={"OAuthParameters": oauth(server, **change)},
        )
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert expected in raised.value.response["Error"]["Message"]
