"""EventBridge connections and API destinations: HTTP targets.

A connection holds how to authenticate (``BASIC`` or ``API_KEY``, plus any
extra headers, query parameters and body fields); an API destination names an
endpoint, an HTTP method and a connection. A rule target whose ARN is an API
destination turns each event into an HTTP request carrying the connection's
credentials (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-api-destinations.html).

Where requests go: an endpoint on 127.0.0.1 or localhost gets a real HTTP
request (5 s timeout, as AWS's); any other endpoint is answered by
``http_responder(request) -> status`` (default 200) without network. Every
request is recorded in ``http_requests``. As on AWS, 401, 407, 409, 429 and
5xx answers (and a connection failure) are retried with the target's retry
policy; other 4xx answers are not retried (the event goes to the dead-letter
queue at once).
``OAUTH_CLIENT_CREDENTIALS`` connections fetch a token and send it as a
Bearer header (``eventproof_fakes.events.oauth``).
Simplification: ``InvocationRateLimitPerSecond`` is stored but not enforced.
"""

from __future__ import annotations

import base64
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from eventproof_fakes.errors import AWSError, UnsupportedParameter
from eventproof_fakes.events.listing import paged
from eventproof_fakes.events.oauth import OAuthTokens, check_oauth, shown_oauth
from eventproof_fakes.events.outbound import LOCAL_HOSTS, HttpRequest, send_local
from eventproof_fakes.operations import operation

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS
    from eventproof_fakes.events.oauth import OAuthToken

__all__ = ["ApiDestinationOperations", "HttpFailure", "HttpRequest"]

_RETRYABLE = frozenset({401, 407, 409, 429})


class HttpFailure(AWSError):
    """An API destination answered with an error (or could not be reached)."""

    def __init__(self, status: int | None, detail: str) -> None:
        super().__init__("HttpFailure", detail)
        self.retryable = status is None or status in _RETRYABLE or status >= 500


@dataclass
class Connection:
    name: str
    arn: str
    authorization_type: str
    auth: dict[str, Any]
    created: datetime
    modified: datetime
    description: str | None = None
    state: str = "AUTHORIZED"
    token: OAuthToken | None = None  # OAUTH_CLIENT_CREDENTIALS only
    state_reason: str | None = None

    def summary(self) -> dict[str, Any]:
        return {
            "ConnectionArn": self.arn,
            "Name": self.name,
            "ConnectionState": self.state,
            "AuthorizationType": self.authorization_type,
            "CreationTime": self.created,
            "LastModifiedTime": self.modified,
            "LastAuthorizedTime": self.modified,
        }


@dataclass
class ApiDestination:
    name: str
    arn: str
    connection_arn: str
    endpoint: str
    method: str
    created: datetime
    modified: datetime
    description: str | None = None
    rate_limit: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "ApiDestinationArn": self.arn,
            "Name": self.name,
            "ApiDestinationState": "ACTIVE",
            "ConnectionArn": self.connection_arn,
            "InvocationEndpoint": self.endpoint,
            "HttpMethod": self.method,
            "CreationTime": self.created,
            "LastModifiedTime": self.modified,
        }
        if self.rate_limit is not None:
            described["InvocationRateLimitPerSecond"] = self.rate_limit
        return described


def _check_auth(kind: str, auth: dict[str, Any]) -> None:
    if kind not in ("BASIC", "API_KEY", "OAUTH_CLIENT_CREDENTIALS"):
        raise AWSError(
            "ValidationException",
            f"1 validation error detected: Value '{kind}' at 'authorizationType' failed to satisfy "
            "constraint: Member must satisfy enum value set: [BASIC, OAUTH_CLIENT_CREDENTIALS, API_KEY]",
        )
    unmodelled = sorted(set(auth) - {"BasicAuthParameters", "ApiKeyAuthParameters", "OAuthParameters",
                                     "InvocationHttpParameters"})
    if unmodelled:
        raise UnsupportedParameter("events", "CreateConnection", f"AuthParameters.{unmodelled[0]}")
    if (auth.get("InvocationHttpParameters") or {}).get("BodyParameters"):
        raise UnsupportedParameter(
            "events", "CreateConnection", "AuthParameters.InvocationHttpParameters.BodyParameters"
        )
    needed = {"BASIC": "BasicAuthParameters", "API_KEY": "ApiKeyAuthParameters",
              "OAUTH_CLIENT_CREDENTIALS": "OAuthParameters"}[kind]
    if needed not in auth:
        raise AWSError("ValidationException", f"{needed} must be specified for AuthorizationType {kind}.")
    if kind == "OAUTH_CLIENT_CREDENTIALS":
        check_oauth(auth["OAuthParameters"], _check_endpoint)


class ApiDestinationOperations(OAuthTokens):
    env: FakeAWS
    connections: dict[str, Connection]
    api_destinations: dict[str, ApiDestination]
    http_requests: list[HttpRequest]
    http_responder: Callable[[HttpRequest], int]

    # --- connections ------------------------------------------------------------
    @operation(refuses=("InvocationConnectivityParameters", "KmsKeyIdentifier"))
    def create_connection(self, params: dict[str, Any]) -> dict[str, Any]:
        name = params["Name"]
        if name in self.connections:
            raise AWSError("ResourceAlreadyExistsException", f"Connection {name} already exists.")
        kind, auth = params["AuthorizationType"], params["AuthParameters"]
        _check_auth(kind, auth)
        now = self.env.clock.now_datetime()
        connection = Connection(
            name, self.env.arn("events", f"connection/{name}/{self.env.ids.uuid()}"), kind, dict(auth),
            now, now, params.get("Description"),
        )
        self.connections[name] = connection
        self._authorize(connection)
        summary = connection.summary()
        return {k: summary[k] for k in ("ConnectionArn", "ConnectionState", "CreationTime", "LastModifiedTime")}

    @operation
    def describe_connection(self, params: dict[str, Any]) -> dict[str, Any]:
        connection = self._connection(params["Name"])
        shown: dict[str, Any] = {}
        auth = connection.auth
        if "BasicAuthParameters" in auth:
            shown["BasicAuthParameters"] = {"Username": auth["BasicAuthParameters"]["Username"]}
        if "ApiKeyAuthParameters" in auth:
            shown["ApiKeyAuthParameters"] = {"ApiKeyName": auth["ApiKeyAuthParameters"]["ApiKeyName"]}
        if "OAuthParameters" in auth:
            shown["OAuthParameters"] = shown_oauth(auth["OAuthParameters"])
        if "InvocationHttpParameters" in auth:
            shown["InvocationHttpParameters"] = {
                kind: [
                    {k: v for k, v in entry.items() if not (k == "Value" and entry.get("IsValueSecret"))}
                    for entry in entries
                ]
                for kind, entries in auth["InvocationHttpParameters"].items()
            }
        described = {
            **connection.summary(),
            "SecretArn": self.env.arn("secretsmanager", f"secret:events!connection/{connection.name}"),
            "AuthParameters": shown,
        }
        if connection.description is not None:
            described["Description"] = connection.description
        if connection.state_reason is not None:
            described["StateReason"] = connection.state_reason
        return described

    @operation
    def list_connections(self, params: dict[str, Any]) -> dict[str, Any]:
        prefix = params.get("NamePrefix") or ""
        state = params.get("ConnectionState")
        chosen = [
            c.summary()
            for name, c in sorted(self.connections.items())
            if name.startswith(prefix) and state in (None, c.state)
        ]
        return paged(chosen, params, "Connections")

    @operation(refuses=("InvocationConnectivityParameters", "KmsKeyIdentifier"))
    def update_connection(self, params: dict[str, Any]) -> dict[str, Any]:
        connection = self._connection(params["Name"])
        kind = params.get("AuthorizationType") or connection.authorization_type
        update = params.get("AuthParameters") or {}
        auth = {**connection.auth, **update}
        if "OAuthParameters" in update and "OAuthParameters" in connection.auth:
            # UpdateConnection may name only what changes (the secret, say): merge one level down.
            old, new = connection.auth["OAuthParameters"], update["OAuthParameters"]
            merged = {**old, **new}
            for part in ("ClientParameters", "OAuthHttpParameters"):
                if part in old and part in new:
                    merged[part] = {**old[part], **new[part]}
            auth["OAuthParameters"] = merged
        _check_auth(kind, auth)
        connection.authorization_type, connection.auth = kind, auth
        if params.get("Description") is not None:
            connection.description = params["Description"]
        connection.state, connection.state_reason, connection.token = "AUTHORIZED", None, None
        connection.modified = self.env.clock.now_datetime()
        self._authorize(connection)
        return self._state(connection)

    @operation
    def deauthorize_connection(self, params: dict[str, Any]) -> dict[str, Any]:
        connection = self._connection(params["Name"])
        connection.state = "DEAUTHORIZED"
        connection.modified = self.env.clock.now_datetime()
        return self._state(connection)

    @operation
    def delete_connection(self, params: dict[str, Any]) -> dict[str, Any]:
        connection = self._connection(params["Name"])
        del self.connections[connection.name]
        connection.state = "DELETING"
        return self._state(connection)

    def _state(self, connection: Connection) -> dict[str, Any]:
        summary = connection.summary()
        keys = ("ConnectionArn", "ConnectionState", "CreationTime", "LastModifiedTime", "LastAuthorizedTime")
        return {k: summary[k] for k in keys}

    def _connection(self, name: str) -> Connection:
        connection = self.connections.get(name)
        if connection is None:
            raise AWSError("ResourceNotFoundException", f"Failed to describe the connection(s). Connection '{name}' does not exist.")
        return connection

    # --- API destinations ----------------------------------------------------------
    @operation
    def create_api_destination(self, params: dict[str, Any]) -> dict[str, Any]:
        name = params["Name"]
        if name in self.api_destinations:
            raise AWSError("ResourceAlreadyExistsException", f"An api-destination '{name}' already exists.")
        if not any(c.arn == params["ConnectionArn"] for c in self.connections.values()):
            raise AWSError("ResourceNotFoundException", f"Connection '{params['ConnectionArn']}' does not exist.")
        _check_endpoint(params["InvocationEndpoint"])
        _check_method(params["HttpMethod"])
        now = self.env.clock.now_datetime()
        destination = ApiDestination(
            name, self.env.arn("events", f"api-destination/{name}/{self.env.ids.uuid()}"),
            params["ConnectionArn"], params["InvocationEndpoint"], params["HttpMethod"], now, now,
            params.get("Description"), params.get("InvocationRateLimitPerSecond"),
        )
        self.api_destinations[name] = destination
        summary = destination.summary()
        keys = ("ApiDestinationArn", "ApiDestinationState", "CreationTime", "LastModifiedTime")
        return {k: summary[k] for k in keys}

    @operation
    def describe_api_destination(self, params: dict[str, Any]) -> dict[str, Any]:
        destination = self._destination(params["Name"])
        described = destination.summary()
        if destination.description is not None:
            described["Description"] = destination.description
        return described

    @operation
    def list_api_destinations(self, params: dict[str, Any]) -> dict[str, Any]:
        prefix = params.get("NamePrefix") or ""
        connection = params.get("ConnectionArn")
        chosen = [
            d.summary()
            for name, d in sorted(self.api_destinations.items())
            if name.startswith(prefix) and connection in (None, d.connection_arn)
        ]
        return paged(chosen, params, "ApiDestinations")

    @operation
    def update_api_destination(self, params: dict[str, Any]) -> dict[str, Any]:
        destination = self._destination(params["Name"])
        if params.get("InvocationEndpoint") is not None:
            _check_endpoint(params["InvocationEndpoint"])
            destination.endpoint = params["InvocationEndpoint"]
        destination.connection_arn = params.get("ConnectionArn") or destination.connection_arn
        if params.get("HttpMethod") is not None:
            _check_method(params["HttpMethod"])
            destination.method = params["HttpMethod"]
        if params.get("Description") is not None:
            destination.description = params["Description"]
        if params.get("InvocationRateLimitPerSecond") is not None:
            destination.rate_limit = params["InvocationRateLimitPerSecond"]
        destination.modified = self.env.clock.now_datetime()
        summary = destination.summary()
        return {k: summary[k] for k in ("ApiDestinationArn", "ApiDestinationState", "CreationTime", "LastModifiedTime")}

    @operation
    def delete_api_destination(self, params: dict[str, Any]) -> dict[str, Any]:
        del self.api_destinations[self._destination(params["Name"]).name]
        return {}

    def _destination(self, name: str) -> ApiDestination:
        destination = self.api_destinations.get(name)
        if destination is None:
            raise AWSError("ResourceNotFoundException", f"An api-destination '{name}' does not exist.")
        return destination

    # --- delivery ----------------------------------------------------------------
    def invoke_api_destination(self, arn: str, target: dict[str, Any], payload: str) -> None:
        """Send one event as an HTTP request; ``HttpFailure`` when it is not accepted."""
        destination = next((d for d in self.api_destinations.values() if d.arn == arn), None)
        if destination is None:
            raise AWSError("ResourceNotFoundException", f"API destination {arn} does not exist.")
        connection = next((c for c in self.connections.values() if c.arn == destination.connection_arn), None)
        if connection is None or connection.state != "AUTHORIZED":
            raise HttpFailure(401, "The connection of the API destination is not authorized.")
        request = _build_request(destination, connection, target.get("HttpParameters") or {}, payload)
        if connection.authorization_type == "OAUTH_CLIENT_CREDENTIALS":
            token = self._token(connection)
            if token is None:
                raise HttpFailure(401, f"no OAuth token for connection {connection.name}: "
                                  f"{connection.state_reason}")
            request.headers["Authorization"] = f"Bearer {token}"
        self.http_requests.append(request)
        host = urllib.parse.urlsplit(request.url).hostname or ""
        request.status = send_local(request)[0] if host in LOCAL_HOSTS else self.http_responder(request)
        if request.status in (401, 407):
            connection.token = None  # refreshed for the retry, as EventBridge does
        if request.status is None or request.status >= 300:
            raise HttpFailure(request.status, f"{request.method} {request.url} answered {request.status}")


def _check_endpoint(endpoint: str) -> None:
    if not endpoint.startswith("https://") and urllib.parse.urlsplit(endpoint).hostname not in LOCAL_HOSTS:
        raise AWSError("ValidationException", "Invalid InvocationEndpoint: it must be an HTTPS URL.")


_METHODS = ("POST", "GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE")


def _check_method(method: str) -> None:
    if method not in _METHODS:
        raise AWSError(
            "ValidationException",
            f"1 validation error detected: Value '{method}' at 'httpMethod' failed to satisfy "
            f"constraint: Member must satisfy enum value set: [{', '.join(_METHODS)}]",
        )


def _build_request(
    destination: ApiDestination, connection: Connection, http: dict[str, Any], payload: str
) -> HttpRequest:
    url = destination.endpoint
    for value in http.get("PathParameterValues") or []:
        url = url.replace("*", urllib.parse.quote(value, safe=""), 1)
    extra = connection.auth.get("InvocationHttpParameters") or {}
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "Amazon/EventBridge/ApiDestinations"}
    headers.update({h["Key"]: h["Value"] for h in extra.get("HeaderParameters") or []})
    headers.update(http.get("HeaderParameters") or {})
    auth = connection.auth
    if connection.authorization_type == "BASIC":
        basic = auth["BasicAuthParameters"]
        token = base64.b64encode(f"{basic['Username']}:{basic['Password']}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    elif connection.authorization_type == "API_KEY":
        key = auth["ApiKeyAuthParameters"]
        headers[key["ApiKeyName"]] = key["ApiKeyValue"]
    query = {q["Key"]: q["Value"] for q in extra.get("QueryStringParameters") or []}
    query.update(http.get("QueryStringParameters") or {})
    if query:
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode(query)
    body = None if destination.method in ("GET", "HEAD", "DELETE", "OPTIONS") else payload
    return HttpRequest(destination.method, url, headers, body)
