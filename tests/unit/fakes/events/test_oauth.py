"""The token request an OAuth connection makes, and how its answer is read."""

from __future__ import annotations

import base64

import pytest

from eventproof_fakes.events.oauth import OAuthToken, read_token, token_request

OAUTH = {
    "ClientParameters": {"ClientID": "id", "ClientSecret": "secret"},
    "AuthorizationEndpoint": "https://auth.example.com/token?x=1",
    "HttpMethod": "POST",
    "OAuthHttpParameters": {
        "BodyParameters": [{"Key": "grant_type", "Value": "client_credentials"}],
        "QueryStringParameters": [{"Key": "audience", "Value": "a b"}],
    },
}


def test_the_request_carries_the_client_credentials_and_the_parameters() -> None:
    request = token_request(OAUTH)
    assert request.url == "https://auth.example.com/token?x=1&audience=a+b"
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(b"id:secret").decode()
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.body == "grant_type=client_credentials"


def test_a_get_request_has_no_body() -> None:
    assert token_request({**OAUTH, "HttpMethod": "GET"}).body is None


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (200, b'{"access_token": "t", "expires_in": 100}', OAuthToken("t", 1100.0)),
        (200, b'{"access_token": "t"}', OAuthToken("t", None)),
        (500, b"", "answered 500"),
        (None, b"", "could not be reached"),
        (200, b"not json", "not JSON"),
        (200, b'{"token": "t"}', "no access_token"),
    ],
)
def test_the_answer_is_a_token_or_a_reason(status: int | None, body: bytes, expected: object) -> None:
    found = read_token(status, body, 1000.0)
    if isinstance(expected, str):
        assert isinstance(found, str) and expected in found
    else:
        assert found == expected


def test_a_token_is_refreshed_a_minute_before_it_expires() -> None:
    token = OAuthToken("t", 1000.0)
    assert token.fresh(939.0) and not token.fresh(941.0)
