"""An HTTP front on 127.0.0.1 for the fake API Gateway: real sockets, the in-process request path.

Each connection is served on a pooled thread with a read timeout, so an idle
or slow client never holds up another; the listen backlog is large. Requests
that cannot be read are answered as an HTTP server should: 400 (a bad or
incomplete body, a bad Content-Length), 411 (a body without a length), 413
(larger than API Gateway's 10 MB payload limit) and 431 (header lines too
long or too many, by ``http.server``). Requests are served one at a
time, each atomic under the environment's lock (``FakeAWS.lock``).
"""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from eventproof_fakes.apigateway.backend import REQUEST_METHODS, ApiNotFound
from eventproof_fakes.apigateway.endpoints import Endpoint, choose_endpoint
from eventproof_fakes.apigateway.messages import ApiResponse
from eventproof_fakes.apigateway.uris import execute_api_host

if TYPE_CHECKING:
    from collections.abc import Sequence

    from eventproof_fakes.environment import FakeAWS

__all__ = [
    "MAX_PAYLOAD_BYTES",
    "ApiServer",
    "BadRequest",
    "BindError",
    "PooledHTTPServer",
    "read_request_body",
]

MAX_PAYLOAD_BYTES = 10 * 1024 * 1024  # API Gateway's payload limit (REST and HTTP APIs)
_DISCARD_LIMIT_BYTES = 2 * MAX_PAYLOAD_BYTES
_METHODS = REQUEST_METHODS


class BindError(OSError):
    """The server cannot listen where asked (port in use, unknown host): one clear line."""


class BadRequest(Exception):
    """A request that cannot be read: answered with ``status`` and closed."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class PooledHTTPServer(ThreadingHTTPServer):
    """Each connection on a thread of a pool that keeps its threads (up to ``max_workers``).

    Starting a thread per connection makes the accepting thread wait, for every
    connection, until the new thread runs; under load that wait is the tail of
    the latency. Pooled threads are started once and reused; an idle
    connection holds one only until its read timeout.
    """

    daemon_threads = True
    request_queue_size = 1024
    max_workers = 256
    _pool: ThreadPoolExecutor | None = None

    def process_request(self, request: Any, client_address: Any) -> None:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.max_workers, thread_name_prefix="http-front")
            self._open: set[Any] = set()
            self._open_lock = threading.Lock()
        self._pool.submit(self._serve_connection, request, client_address)

    def _serve_connection(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        try:
            self.process_request_thread(request, client_address)
        finally:
            with self._open_lock:
                self._open.discard(request)

    def server_close(self) -> None:
        super().server_close()
        if self._pool is not None:
            with self._open_lock:
                for connection in self._open:  # a worker waiting on a client's read lets go now
                    with contextlib.suppress(OSError):
                        connection.shutdown(socket.SHUT_RDWR)
            self._pool.shutdown(wait=False, cancel_futures=True)


class _Server(PooledHTTPServer):
    allow_reuse_address = True
    front: ApiServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away is no error of the server's; anything else is one line."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            return
        print(
            f"fake API Gateway: connection from {client_address[0]} failed: "
            f"{type(error).__name__}: {error}",
            file=sys.stderr,
        )


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = 65536  # an answer leaves in one write (headers and body), flushed per request
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.front.read_timeout)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the gateway keeps its own request log (``env.apigateway.requests``)."""

    def _forward(self) -> None:
        front = self.server.front
        try:
            body = self._read_body()
        except BadRequest as error:
            self._reply(
                error.status, [("Content-Type", "application/json")], _message(error.message)
            )
            self.close_connection = True
            return
        except TimeoutError:
            self._reply(400, [("Content-Type", "application/json")], _message("incomplete body"))
            self.close_connection = True
            return
        headers = [(name, value) for name, value in self.headers.items()]
        try:
            response = front.forward(self.command, self.path, headers, body, self.client_address[0])
        except ApiNotFound as error:
            self._reply(404, [("Content-Type", "application/json")], _message(str(error)))
            return
        except Exception as error:  # a fault in the fake itself: answer, and say what it was
            self._reply(
                500,
                [("Content-Type", "application/json")],
                _message(f"eventproof's fake API Gateway failed: {type(error).__name__}: {error}"),
            )
            return
        self._reply(response.status, response.headers.items(), response.body)

    def _read_body(self) -> bytes | None:
        return read_request_body(self.rfile, self.command, self.headers)

    def _reply(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        try:
            self._send(status, headers, body)
        except ConnectionError:  # the client left before its answer: nothing to tell it
            self.close_connection = True

    def _send(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def read_request_body(rfile: Any, method: str, headers: Any) -> bytes | None:
    """The body of a request whose head was read, bounded; ``BadRequest`` says why it cannot be."""
    encoding = (headers.get("Transfer-Encoding") or "").lower()
    length_text = headers.get("Content-Length")
    if encoding == "chunked":
        return _read_chunked(rfile)
    if encoding:
        raise BadRequest(400, f"unsupported Transfer-Encoding {encoding}")
    if length_text is None:
        if method in ("POST", "PUT", "PATCH"):
            raise BadRequest(411, "Length Required")
        return None
    text = length_text.strip()
    if not (text.isascii() and text.isdigit()) or len(set(headers.get_all("Content-Length"))) > 1:
        raise BadRequest(400, f"invalid Content-Length {length_text[:40]!r}")
    if len(text) > 12:  # beyond any limit (and beyond what int() reads quickly)
        raise BadRequest(413, "Request Too Long")
    length = int(text)
    if length > MAX_PAYLOAD_BYTES:
        _discard(rfile, length)
        raise BadRequest(413, "Request Too Long")
    body: bytes = rfile.read(length)
    if len(body) < length:
        raise BadRequest(400, "incomplete body")
    return body


def _discard(rfile: Any, length: int) -> None:
    """Read (up to a bound) what the client sends, so it sees the 413 rather than a reset."""
    remaining = min(length, _DISCARD_LIMIT_BYTES)
    try:
        while remaining > 0:
            chunk = rfile.read1(min(remaining, 65536))
            if not chunk:
                return
            remaining -= len(chunk)
    except OSError:  # a read timeout or a client gone: the answer is sent anyway
        return


def _read_chunked(rfile: Any) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        line = rfile.readline(1024).strip()
        try:
            size = int(line.split(b";")[0], 16)
        except ValueError:
            raise BadRequest(400, "invalid chunk size") from None
        if size < 0:
            raise BadRequest(400, "invalid chunk size")
        if size == 0:
            while rfile.readline(1024).strip():  # trailers
                pass
            return b"".join(chunks)
        total += size
        if total > MAX_PAYLOAD_BYTES:
            raise BadRequest(413, "Request Too Long")
        chunk = rfile.read(size)
        if len(chunk) < size:
            raise BadRequest(400, "incomplete body")
        chunks.append(chunk)
        rfile.readline(8)


for _method in _METHODS:
    setattr(_Handler, f"do_{_method}", _Handler._forward)


def _message(text: str) -> bytes:
    return json.dumps({"message": text}).encode("utf-8")


class ApiServer:
    """Serves ``env.apigateway.request`` over HTTP: ``with ApiServer(env) as server: server.url``.

    ``api`` and ``stage`` pick what the server's paths address, as the
    ``request`` arguments do. Without ``stage``, paths are read as on an
    ``execute-api`` URL: a REST API's path starts with the stage name.
    ``settle`` drives every pending delivery (``env.run_until_idle()``) after
    each request, so work a request queued (an SQS message, an event) is
    done before the next one, as when serving an application. ``endpoints``
    puts several APIs behind the one address (``sam local start-api``'s way):
    each request goes to the API whose routes fit it (``eventproof_fakes.apigateway.endpoints``).
    """

    def __init__(
        self,
        env: FakeAWS,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        api: str | None = None,
        stage: str | None = None,
        read_timeout: float = 10.0,
        settle: bool = False,
        endpoints: Sequence[Endpoint] = (),
    ) -> None:
        self.env = env
        self.settle = settle
        self.host = host
        self.port = port
        self.api = api
        self.stage = stage
        self.read_timeout = read_timeout
        self.endpoints = list(endpoints)
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._serving = False
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def bind(self) -> None:
        """Listen (``port=0`` picks a free port); ``BindError`` in one line when that fails."""
        try:
            server = _Server((self.host, self.port), _Handler)
        except (OSError, OverflowError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            raise BindError(f"cannot listen on {self.host}:{self.port}: {reason}") from None
        server.front = self
        self._server = server
        self.port = server.server_address[1]

    def serve_forever(self) -> None:
        """Serve in the calling thread until ``stop`` (from another thread) or KeyboardInterrupt."""
        if self._server is None:
            self.bind()
        assert self._server is not None
        self._serving = True
        try:
            self._server.serve_forever(poll_interval=0.05)
        finally:
            self._server.server_close()
            self._server = None

    def start(self) -> ApiServer:
        """Serve on a background thread."""
        self.bind()
        assert self._server is not None
        server = self._server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-apigateway",
            daemon=True,
        )
        self._serving = True
        self._thread.start()
        return self

    def stop(self) -> None:
        server = self._server
        if server is not None:
            if self._serving:  # shutdown() waits for a serve_forever that never started otherwise
                server.shutdown()
            server.server_close()
            self._server = None
            self._serving = False
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> ApiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def forward(
        self,
        method: str,
        path: str,
        headers: list[tuple[str, str]],
        body: bytes | None,
        client_ip: str,
    ) -> ApiResponse:
        """One request into the gateway, atomic under the environment's lock.

        ``run_until_idle`` (``settle``) takes that lock itself, outside it: a
        thread waiting to drive must not hold it (``eventproof_fakes.locking``).
        """
        gateway = self.env.apigateway
        with self._lock:
            with self.env.lock:
                response = self._request(gateway, method, path, headers, body, client_ip)
            if self.settle:
                self.env.run_until_idle()
            return response

    def _request(
        self,
        gateway: Any,
        method: str,
        path: str,
        headers: list[tuple[str, str]],
        body: bytes | None,
        client_ip: str,
    ) -> ApiResponse:
        if self.endpoints:
            endpoint = choose_endpoint(self.env, self.endpoints, method, path.partition("?")[0])
            routed: ApiResponse = gateway.request(
                method, path, body=body, headers=headers, api=endpoint.api_id,
                stage=endpoint.stage, source_ip=client_ip)
            return routed
        if self.stage is None:
            api = gateway.find_api(self.api)
            target = f"https://{execute_api_host(api.id, self.env.region)}{path}"
            response: ApiResponse = gateway.request(
                method, target, body=body, headers=headers, source_ip=client_ip
            )
            return response
        staged: ApiResponse = gateway.request(
            method,
            path,
            body=body,
            headers=headers,
            api=self.api,
            stage=self.stage,
            source_ip=client_ip,
        )
        return staged
