"""The outbox's HTTP front, like the article's local mode (``npm start`` on port 3000).

``POST /book`` (AddBook) answers 201, ``DELETE /book`` with ``{"name": ...}``
answers 204; a body that breaks the AddBook/RemoveBook contract gets 400
with the violations; unknown paths 404, wrong methods 405, bodies over
1 MB 413. ``GET /_events`` lists every event the outbox emitted so far, and
each one is logged as it is seen. Requests are served one at a time
(``HTTPServer``), so the backend never sees two calls at once.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import boto3

from reference_impl.outbox import lambdas
from reference_impl.outbox.app import Handlers, Variant, wire
from reference_impl.outbox.infrastructure import provision
from reference_impl.shared import Clock, system_clock

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1_048_576  # API Gateway would refuse more (its payload limit is 10 MB; ours is stricter)
DISCARD_LIMIT_BYTES = 16 * MAX_BODY_BYTES
ROUTES = {"/book": {"POST": "add_book", "DELETE": "remove_book"}, "/_events": {"GET": "events"}}


class EventLog:
    """Every event the bus carried, read from the event-log queue the CDC infrastructure subscribes."""

    def __init__(self, sqs: Any, queue_url: str | None) -> None:
        self.sqs = sqs
        self.queue_url = queue_url
        self.seen: list[dict[str, Any]] = []

    def drain(self) -> list[dict[str, Any]]:
        if self.queue_url is None:
            return []
        new = []
        while True:
            messages = self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10).get("Messages", [])
            if not messages:
                break
            for message in messages:
                event = json.loads(message["Body"])
                new.append({"type": event["detail-type"], "detail": event["detail"]})
                self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
        for event in new:
            logger.info("event %s %s", event["type"], json.dumps(event["detail"]))
        self.seen.extend(new)
        return new


class OutboxServer(HTTPServer):
    def __init__(self, address: tuple[str, int], handlers: Handlers, events: EventLog, settle: Callable[[], object]) -> None:
        super().__init__(address, _RequestHandler)
        self.handlers = handlers
        self.event_log = events
        self.settle = settle

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class _RequestHandler(BaseHTTPRequestHandler):
    server: OutboxServer

    def do_GET(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def do_DELETE(self) -> None:
        self._route("DELETE")

    def do_PUT(self) -> None:
        self._route("PUT")

    def do_PATCH(self) -> None:
        self._route("PATCH")

    def _route(self, method: str) -> None:
        path = self.path.split("?", 1)[0]
        allowed = ROUTES.get(path)
        if allowed is None:
            return self._send(HTTPStatus.NOT_FOUND, {"error": "NotFound", "message": f"no route {path}"})
        if method not in allowed:
            return self._send(
                HTTPStatus.METHOD_NOT_ALLOWED,
                {"error": "MethodNotAllowed", "message": f"{path} accepts {', '.join(sorted(allowed))}"},
                {"Allow": ", ".join(sorted(allowed))},
            )
        if allowed[method] == "events":
            self.server.settle()
            self.server.event_log.drain()
            return self._send(HTTPStatus.OK, {"events": self.server.event_log.seen})
        body = self._read_body()
        if body is None:
            return None
        handler = getattr(self.server.handlers, allowed[method])
        answer = handler({"httpMethod": method, "path": path, "body": body}, None)
        self.server.settle()
        self.server.event_log.drain()
        return self._send(HTTPStatus(answer["statusCode"]), answer.get("body") or None)

    def _read_body(self) -> str | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self._discard(length)
            self.close_connection = True
            self._send(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                {"error": "PayloadTooLarge", "message": f"bodies are limited to {MAX_BODY_BYTES} bytes"},
            )
            return None
        return self.rfile.read(length).decode("utf-8", errors="replace")

    def _discard(self, length: int) -> None:
        """Read (up to a bound) what the client sends, so it sees the 413 rather than a broken pipe."""
        remaining = min(length, DISCARD_LIMIT_BYTES)
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 65536))
            if not chunk:
                break
            remaining -= len(chunk)

    def _send(self, status: HTTPStatus, body: Any, headers: dict[str, str] | None = None) -> None:
        payload = b"" if body is None else (body if isinstance(body, str) else json.dumps(body)).encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if payload:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        logger.info("%s %s", self.address_string(), format % args)


def build_server(
    session: boto3.session.Session,
    *,
    host: str = "127.0.0.1",
    port: int = 3000,
    clock: Clock = system_clock,
    settle: Callable[[], object] = lambda: None,
    create_resources: bool = True,
    resource_policies: bool = True,
    variant: Variant = "cdc",
) -> OutboxServer:
    """Provision (optionally), wire and bind the server; ``settle`` drives pending deliveries, if any."""
    event_log_url = None
    if create_resources:
        event_log_url = provision(session, variant=variant, resource_policies=resource_policies).event_log_url
    handlers = lambdas.app.use(wire(session, variant=variant, clock=clock))
    if event_log_url is None and variant == "cdc":
        event_log_url = session.client("sqs").get_queue_url(QueueName="outbox-event-log")["QueueUrl"]
    events = EventLog(session.client("sqs"), event_log_url)
    return OutboxServer((host, port), handlers, events, settle)
