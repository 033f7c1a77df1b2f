"""OAuth client credentials for EventBridge connections.

EventBridge exchanges the connection's client id and secret for an access
token at its ``AuthorizationEndpoint`` and sends the token as
``Authorization: Bearer ...`` to API destinations; it refreshes the token when
an invocation is answered 401 or 407 (the retry then carries a new token) and
when it is about to expire (within 60 s) at an invocation
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-target-connection-auth.html).

The token request, as the fake makes it: the connection's ``HttpMethod`` to
the endpoint, the client credentials in an ``Authorization: Basic`` header
(RFC 6749 section 2.3.1), the ``OAuthHttpParameters`` headers and query
string, and for POST/PUT its body parameters form-encoded. The answer must be
2xx JSON with ``access_token`` (``expires_in`` in seconds, optional). An
endpoint on 127.0.0.1 or localhost gets a real request; any other is
answered by ``token_responder(request) -> (status, body)`` (default: a fresh
token valid for an hour). A token that cannot be had deauthorizes the
connection, as on AWS.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eventproof_fakes.errors import AWSError
from eventproof_fakes.events.outbound import LOCAL_HOSTS, HttpRequest, send_local

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS
    from eventproof_fakes.events.api_destinations import Connection

__all__ = [
    "REFRESH_MARGIN_SECONDS",
    "OAuthToken",
    "OAuthTokens",
    "check_oauth",
    "shown_oauth",
]

REFRESH_MARGIN_SECONDS = 60.0
_METHODS = ("GET", "POST", "PUT")


@dataclass
class OAuthToken:
    value: str
    expires_at: float | None

    def fresh(self, now: float) -> bool:
        return self.expires_at is None or now < self.expires_at - REFRESH_MARGIN_SECONDS


def _invalid(message: str) -> AWSError:
    return AWSError("ValidationException", message)


def check_oauth(oauth: dict[str, Any], check_endpoint: Callable[[str], None]) -> None:
    """What CreateConnection requires of ``OAuthParameters``."""
    client = oauth.get("ClientParameters") or {}
    if not client.get("ClientID") or not client.get("ClientSecret"):
        raise _invalid("ClientParameters with ClientID and ClientSecret must be specified for "
                       "AuthorizationType OAUTH_CLIENT_CREDENTIALS.")
    if not oauth.get("AuthorizationEndpoint"):
        raise _invalid("AuthorizationEndpoint must be specified for AuthorizationType "
                       "OAUTH_CLIENT_CREDENTIALS.")
    check_endpoint(oauth["AuthorizationEndpoint"])
    if oauth.get("HttpMethod") not in _METHODS:
        raise _invalid(
            f"1 validation error detected: Value '{oauth.get('HttpMethod')}' at "
            "'authParameters.oAuthParameters.httpMethod' failed to satisfy constraint: "
            f"Member must satisfy enum value set: [{', '.join(_METHODS)}]"
        )
    extra = oauth.get("OAuthHttpParameters") or {}
    for kind in ("HeaderParameters", "QueryStringParameters", "BodyParameters"):
        for entry in extra.get(kind) or []:
            if "Key" not in entry or "Value" not in entry:
                raise _invalid(f"OAuthHttpParameters.{kind} entries need a Key and a Value.")


def shown_oauth(oauth: dict[str, Any]) -> dict[str, Any]:
    """``OAuthParameters`` as DescribeConnection shows them: no secret, no secret value."""
    shown: dict[str, Any] = {
        "ClientParameters": {"ClientID": oauth["ClientParameters"]["ClientID"]},
        "AuthorizationEndpoint": oauth["AuthorizationEndpoint"],
        "HttpMethod": oauth["HttpMethod"],
    }
    extra = oauth.get("OAuthHttpParameters")
    if extra:
        shown["OAuthHttpParameters"] = {
            kind: [
                {k: v for k, v in entry.items() if not (k == "Value" and entry.get("IsValueSecret"))}
                for entry in entries
            ]
            for kind, entries in extra.items()
        }
    return shown


def token_request(oauth: dict[str, Any]) -> HttpRequest:
    client = oauth["ClientParameters"]
    credentials = f"{client['ClientID']}:{client['ClientSecret']}".encode()
    headers = {"Authorization": "Basic " + base64.b64encode(credentials).decode("ascii"),
               "Accept": "application/json"}
    extra = oauth.get("OAuthHttpParameters") or {}
    headers.update({h["Key"]: h["Value"] for h in extra.get("HeaderParameters") or []})
    url = oauth["AuthorizationEndpoint"]
    query = {q["Key"]: q["Value"] for q in extra.get("QueryStringParameters") or []}
    if query:
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode(query)
    body = None
    if oauth["HttpMethod"] in ("POST", "PUT"):
        body = urllib.parse.urlencode({b["Key"]: b["Value"] for b in extra.get("BodyParameters") or []})
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    return HttpRequest(oauth["HttpMethod"], url, headers, body)


def read_token(status: int | None, body: bytes | str | None, now: float) -> OAuthToken | str:
    """The token in an authorization endpoint's answer, or why there is none."""
    if status is None:
        return "the authorization endpoint could not be reached"
    if not 200 <= status < 300:
        return f"the authorization endpoint answered {status}"
    try:
        answer = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError):
        return "the authorization endpoint's answer is not JSON"
    token = answer.get("access_token") if isinstance(answer, dict) else None
    if not isinstance(token, str) or not token:
        return "the authorization endpoint's answer has no access_token"
    lifetime = answer.get("expires_in")
    expires_at = now + float(lifetime) if isinstance(lifetime, int | float) and lifetime > 0 else None
    return OAuthToken(token, expires_at)


class OAuthTokens:
    """The tokens of OAuth connections (mixed into the EventBridge backend)."""

    env: FakeAWS
    token_requests: list[HttpRequest]
    token_responder: Callable[[HttpRequest], tuple[int, str]]

    def _authorize(self, connection: Connection) -> None:
        """An OAuth connection gets its first token now: AUTHORIZED, or DEAUTHORIZED and why."""
        if connection.authorization_type == "OAUTH_CLIENT_CREDENTIALS":
            self._fetch_token(connection)

    def _token(self, connection: Connection) -> str | None:
        """A token about to expire (or refused by the destination) is fetched anew."""
        token = connection.token
        if token is None or not token.fresh(self.env.clock.now()):
            token = self._fetch_token(connection)
        return token.value if token is not None else None

    def _fetch_token(self, connection: Connection) -> OAuthToken | None:
        request = token_request(connection.auth["OAuthParameters"])
        self.token_requests.append(request)
        host = urllib.parse.urlsplit(request.url).hostname or ""
        status, body = send_local(request) if host in LOCAL_HOSTS else self.token_responder(request)
        request.status = status
        found = read_token(status, body, self.env.clock.now())
        if isinstance(found, str):
            connection.token = None
            connection.state, connection.state_reason = "DEAUTHORIZED", found
            return None
        connection.token = found
        connection.state, connection.state_reason = "AUTHORIZED", None
        return found

    def _issue_token(self, request: HttpRequest) -> tuple[int, str]:
        """A non-local authorization endpoint's answer: a fresh token, valid for an hour."""
        return 200, f'{{"access_token": "eventproof-token-{self.env.ids.hex(16)}", "expires_in": 3600}}'
