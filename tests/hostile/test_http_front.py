"""``eventproof serve``'s HTTP fronts under hostile clients, over real sockets on 127.0.0.1.

Both fronts: an application's own ``http.server`` server (served on
``eventproof.serving.AppFront``) and a template's APIs (the fake API
Gateway's ``ApiServer``). Every malformed request gets an HTTP answer
(400/411/413/414/431), never a dropped connection or a traceback; an idle
client blocks no one. API Gateway's 10 MB payload limit:
https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest

from eventproof.cli.commands.serve import Served, start, start_template

pytestmark = pytest.mark.timeout(60)

HERE = "tests.hostile.test_http_front"
TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Echo:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      CodeUri: src/
      Handler: app.echo
      Events:
        Post: {Type: Api, Properties: {Path: /echo, Method: post}}
"""
HANDLER = """\
import json
import sys


def echo(event, context):
    body = json.loads(event["body"] or "null")
    if body == "exit":
        sys.exit(3)
    return {"statusCode": 200, "body": json.dumps(body)}
"""


def build_echo_server(session: Any, *, host: str, port: int, **_: Any) -> HTTPServer:
    """An application as a team writes one: one request at a time, trusting its clients."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if body == "exit":
                raise SystemExit(3)
            payload = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    return HTTPServer((host, port), Handler)


def _running(served: Served) -> Iterator[Served]:
    with served:
        thread = threading.Thread(target=served.serve_forever, daemon=True)
        thread.start()
        yield served
        served.shutdown()
        thread.join(timeout=5)


@pytest.fixture(params=["application", "template"])
def front(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Served]:
    if request.param == "application":
        yield from _running(start(factory=f"{HERE}:build_echo_server", port=0, read_timeout=0.5))
        return
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(HANDLER)
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    yield from _running(start_template(tmp_path / "template.yaml", port=0, read_timeout=0.5))


def exchange(served: Served, request: bytes, *, timeout: float = 10) -> bytes:
    """Send raw bytes; everything the server answers until it closes (or goes quiet)."""
    with socket.create_connection(served.address, timeout=timeout) as sock:
        sock.sendall(request)
        return _read_answer(sock)


def _read_answer(sock: socket.socket) -> bytes:
    chunks: list[bytes] = []
    while True:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            break
        if not chunk:
            break
        chunks.append(chunk)
        head, sep, body = b"".join(chunks).partition(b"\r\n\r\n")
        if sep:
            lengths = [line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")]
            if lengths and len(body) >= int(lengths[0].split(b":")[1]):
                break
    return b"".join(chunks)


def status(answer: bytes) -> int:
    assert answer.startswith(b"HTTP/1."), answer[:80]
    return int(answer.split(b" ", 2)[1])


def post(body: bytes, *headers: str) -> bytes:
    lines = ["POST /echo HTTP/1.1", "Host: localhost", "Content-Type: application/json", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def test_a_well_formed_request_is_answered(front: Served) -> None:
    answer = exchange(front, post(b'{"a": 1}', "Content-Length: 8"))
    assert status(answer) == 200 and answer.endswith(b'{"a": 1}')


@pytest.mark.parametrize(
    ("headers", "body", "expected"),
    [
        (["Content-Length: -5"], b"{}", 400),
        (["Content-Length: abc"], b"{}", 400),
        (["Content-Length: \u00b2"], b"{}", 400),
        (["Content-Length: 2", "Content-Length: 3"], b"{}", 400),
        (["Content-Length: 99"], b"{}", 400),  # longer than the body sent: read times out
        (["Transfer-Encoding: gzip"], b"{}", 400),
        (["Transfer-Encoding: chunked"], b"zz\r\n{}\r\n0\r\n\r\n", 400),
        ([], b"", 411),
        ([f"Content-Length: {10 * 1024 * 1024 + 1}"], b"", 413),
        (["Content-Length: 99999999999999999999999999"], b"", 413),
        ([f"X-Big: {'x' * 70000}", "Content-Length: 2"], b"{}", 431),
        ([f"X-{n}: 1" for n in range(150)] + ["Content-Length: 2"], b"{}", 431),
    ],
)
def test_a_malformed_request_is_answered_with_its_status(
    front: Served, headers: list[str], body: bytes, expected: int, capfd: pytest.CaptureFixture[str]
) -> None:
    assert status(exchange(front, post(body, *headers))) == expected
    assert "Traceback" not in capfd.readouterr().err


def test_a_request_line_too_long_is_414(front: Served) -> None:
    answer = exchange(front, b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n")
    assert status(answer) == 414


def test_a_chunked_body_is_read(front: Served) -> None:
    answer = exchange(front, post(b"8\r\n{\"a\": 1}\r\n0\r\n\r\n", "Transfer-Encoding: chunked"))
    assert status(answer) == 200 and answer.endswith(b'{"a": 1}')


def test_deeply_nested_json_gets_an_answer_not_a_dropped_connection(
    front: Served, capfd: pytest.CaptureFixture[str]
) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    answer = exchange(front, post(deep, f"Content-Length: {len(deep)}"))
    # The application's front refuses it (400); API Gateway passes the body to the
    # function, whose json.loads fails: a failed invocation is a 502 on AWS.
    assert status(answer) in (400, 502)
    assert "Traceback" not in capfd.readouterr().err
    ok = exchange(front, post(b"[[1]]", "Content-Length: 5"))
    assert status(ok) == 200


def test_the_application_front_refuses_deep_json_with_400(tmp_path: Path) -> None:
    for served in _running(start(factory=f"{HERE}:build_echo_server", port=0, read_timeout=0.5)):
        deep = b'{"a":' * 600 + b"1" + b"}" * 600
        assert status(exchange(served, post(deep, f"Content-Length: {len(deep)}"))) == 400
        shallow = b"[" + b'"[[[[[[\\"[",' * 200 + b"1]"  # brackets inside strings do not nest
        assert status(exchange(served, post(shallow, f"Content-Length: {len(shallow)}"))) == 200


def test_a_handler_that_exits_is_a_failed_request_and_the_server_goes_on(
    front: Served, capfd: pytest.CaptureFixture[str]
) -> None:
    answer = exchange(front, post(b'"exit"', "Content-Length: 6"))
    assert status(answer) in (500, 502)
    assert status(exchange(front, post(b"{}", "Content-Length: 2"))) == 200
    assert "Traceback" not in capfd.readouterr().err


def test_an_idle_connection_blocks_no_other_client(front: Served) -> None:
    idle = socket.create_connection(front.address, timeout=5)
    idle.sendall(b"POST /echo HTTP/1.1\r\nContent-Length: 10\r\n")  # and then nothing
    try:
        started = time.monotonic()
        answer = exchange(front, post(b"{}", "Content-Length: 2"))
        assert status(answer) == 200
        assert time.monotonic() - started < 5
    finally:
        idle.close()


def test_concurrent_clients_are_all_answered_once(front: Served) -> None:
    answers: list[int] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        for pair in range(5):
            body = json.dumps({"n": number, "p": pair}).encode()
            got = status(exchange(front, post(body, f"Content-Length: {len(body)}")))
            with lock:
                answers.append(got)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert answers == [200] * 100


@pytest.mark.parametrize("kind", ["application", "template"])
def test_closing_the_server_lets_go_of_an_idle_connection(kind: str, tmp_path: Path) -> None:
    if kind == "application":
        served = start(factory=f"{HERE}:build_echo_server", port=0, read_timeout=30)
    else:
        (tmp_path / "src").mkdir()
        (tmp_path / "src" / "app.py").write_text(HANDLER)
        (tmp_path / "template.yaml").write_text(TEMPLATE)
        served = start_template(tmp_path / "template.yaml", port=0, read_timeout=30)
    with served:
        thread = threading.Thread(target=served.serve_forever, daemon=True)
        thread.start()
        idle = socket.create_connection(served.address, timeout=10)
        idle.sendall(b"POST /echo HTTP/1.1\r\n")  # the worker now waits for the rest
        time.sleep(0.3)
        served.shutdown()
        thread.join(timeout=5)
    started = time.monotonic()
    try:
        idle.recv(65536)  # the end of the connection (or an answer), well before the 30 s timeout
    except ConnectionError:
        pass
    finally:
        idle.close()
    assert time.monotonic() - started < 5
