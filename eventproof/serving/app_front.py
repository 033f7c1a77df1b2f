"""A hardened front for an application's own ``http.server`` server.

A ``serve`` factory returns an ``HTTPServer`` whose handler class is the
application's. Such a server reads one connection at a time with no
timeout: one idle client blocks every other, a bad ``Content-Length``
ends in a traceback and a closed connection. ``AppFront`` takes over the
application's listening socket (backlog raised) and serves each connection
on a pooled thread with a read timeout. It reads the request itself, with
limits, answering 400 (bad request line, bad or incomplete body, bad
``Content-Length``, JSON nested deeper than ``MAX_JSON_DEPTH``), 411 (a
body without a length), 413 (over API Gateway's 10 MB payload limit), 414
and 431 (request line or headers too long); a well-formed request is then
replayed to the application's handler from memory, one at a time (the
fakes behind it are not built for concurrent callers), and its answer sent
back. A handler that raises is answered 500 with one line on stderr.
"""

from __future__ import annotations

import io
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

from eventproof_fakes.apigateway.server import BadRequest, PooledHTTPServer, read_request_body

__all__ = ["MAX_JSON_DEPTH", "AppFront"]

MAX_JSON_DEPTH = 512
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = bytes(range(256)).translate(None, b"[]{}")
_JSON_TYPE = re.compile(r"^(application|text)/([\w.+-]*\+)?json\b", re.IGNORECASE)


def json_too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the arrays and objects of a JSON text nest deeper than ``limit``."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    depth = 0
    for bracket in _STRINGS.sub(b"", body).translate(None, _BRACKETS):
        depth += 1 if bracket in b"[{" else -1
        if depth > limit:
            return True
    return False


class _Replay:
    """A connection made of bytes already read; what the handler writes is collected."""

    def __init__(self, request: bytes) -> None:
        self._request = request
        self.sent = bytearray()

    def makefile(self, mode: str, *args: Any) -> io.BufferedIOBase:
        return io.BytesIO(self._request)

    def sendall(self, data: bytes) -> None:
        self.sent += data

    def settimeout(self, timeout: float | None) -> None:
        pass

    def setsockopt(self, *args: Any) -> None:
        pass


class _FrontHandler(BaseHTTPRequestHandler):
    server: AppFront
    protocol_version = "HTTP/1.1"
    wbufsize = 65536  # an answer leaves in one write, flushed when the request is done

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.read_timeout)

    def handle(self) -> None:
        # One request per connection: the application's answer may not frame itself for keep-alive.
        self.close_connection = True
        try:
            self.handle_one_request()
        except TimeoutError:
            return

    def handle_one_request(self) -> None:
        self.raw_requestline = self.rfile.readline(65537)
        if not self.raw_requestline:
            return
        if len(self.raw_requestline) > 65536:
            self.requestline, self.request_version, self.command = "", "HTTP/1.1", ""
            self.send_error(414)
            return
        if not self.parse_request():  # answers 400, 431 (header lines) and 505 itself
            return
        try:
            body = read_request_body(self.rfile, self.command, self.headers)
            content_type = self.headers.get("Content-Type") or ""
            if body and _JSON_TYPE.match(content_type) and json_too_deep(body):
                raise BadRequest(400, f"JSON body nested deeper than {MAX_JSON_DEPTH} levels")
        except BadRequest as error:
            self.send_error(error.status, error.message)
            return
        except TimeoutError:
            self.send_error(400, "incomplete body")
            return
        self._replay(body or b"")

    def _replay(self, body: bytes) -> None:
        head = [self.raw_requestline]
        for name, value in self.headers.items():
            if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                head.append(f"{name}: {value}\r\n".encode("latin-1", "replace"))
        if body or self.command in ("POST", "PUT", "PATCH"):
            head.append(f"Content-Length: {len(body)}\r\n".encode())
        head.append(b"Connection: close\r\n\r\n")
        connection = _Replay(b"".join(head) + body)
        app = self.server.app
        try:
            with self.server.lock:
                app.RequestHandlerClass(connection, self.client_address, app)
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # the application's handler failed (even SystemExit): answer
            print(
                f"{self.command} {self.path}: the application's handler raised "
                f"{type(error).__name__}: {_safe_str(error)}",
                file=sys.stderr,
            )
            self.send_error(500, "the application's handler failed")
            return
        if not connection.sent:
            self.send_error(502, "the application's handler sent no answer")
            return
        self.wfile.write(_closing(bytes(connection.sent)))

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the application logs its own requests (its handler's ``log_message``)."""


def _closing(answer: bytes) -> bytes:
    """The answer, saying ``Connection: close`` (the front serves one request per connection)."""
    head, separator, body = answer.partition(b"\r\n\r\n")
    if not separator:
        return answer
    head = re.sub(rb"\r\nconnection:[^\r]*", b"", head, flags=re.IGNORECASE)
    return head + b"\r\nConnection: close" + separator + body


def _safe_str(error: BaseException | None) -> str:
    try:
        return str(error)[:200]
    except Exception:
        return "(its message cannot be shown)"


class AppFront(PooledHTTPServer):
    """Serves ``app``'s handler class on ``app``'s own socket: ``front.serve_forever()``."""

    def __init__(self, app: HTTPServer, *, read_timeout: float = 10.0) -> None:
        super().__init__(app.server_address, _FrontHandler, bind_and_activate=False)
        self.app = app
        self.read_timeout = read_timeout
        self.lock = threading.Lock()
        self.socket.close()
        self.socket = app.socket
        self.socket.listen(self.request_queue_size)

    def server_close(self) -> None:
        super().server_close()
        self.app.server_close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away is no error of the server's; anything else is one line."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            return
        print(
            f"connection from {client_address[0]} failed: {type(error).__name__}: {_safe_str(error)}",
            file=sys.stderr,
        )
