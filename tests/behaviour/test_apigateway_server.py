"""The HTTP front of the fake API Gateway, over real sockets on 127.0.0.1.

Fakes only (moto has no such server for Python handlers). Each case is
bounded: clients use socket timeouts, the server a short read timeout.
API Gateway's payload limit (10 MB):
https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from eventproof_fakes.apigateway.server import ApiServer, BindError
from tests.behaviour.apigateway_helpers import RestApiBuilder, checked_events, http_api  # noqa: F401

pytestmark = [pytest.mark.fakes_only, pytest.mark.usefixtures("checked_events")]


def echo(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"statusCode": 200, "body": json.dumps(event), "cookies": ["seen=1"]}


@pytest.fixture
def server(aws: Any) -> Iterator[ApiServer]:
    arn = aws.env.lambda_.register("echo", echo)
    http_api(aws, arn, ("$default",))
    with ApiServer(aws.env, read_timeout=0.5) as running:
        yield running


def raw_exchange(server: ApiServer, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
            if b"\r\n\r\n" in b"".join(chunks):
                head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
                length = next(
                    (
                        int(line.split(b":")[1])
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length")
                    ),
                    0,
                )
                if len(body) >= length:
                    break
        return b"".join(chunks)


def status_of(reply: bytes) -> int:
    return int(reply.split(b" ", 2)[1])


def test_a_request_over_a_real_socket_reaches_the_handler_and_comes_back(
    server: ApiServer, aws: Any
) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    connection.request(
        "POST",
        "/book/1?x=1&x=2",
        body=json.dumps({"title": "Dune"}),
        headers={"Content-Type": "application/json", "Cookie": "a=1; b=2", "User-Agent": "test/1"},
    )
    response = connection.getresponse()
    event = json.loads(response.read())
    assert response.status == 200
    assert response.getheader("set-cookie") == "seen=1"
    assert event["rawPath"] == "/book/1"
    assert event["queryStringParameters"] == {"x": "1,2"}
    assert event["cookies"] == ["a=1", "b=2"]
    assert json.loads(event["body"]) == {"title": "Dune"}
    assert event["requestContext"]["http"]["userAgent"] == "test/1"
    assert event["headers"]["host"].endswith(".execute-api.us-east-1.amazonaws.com")
    connection.close()


def test_a_kept_alive_connection_serves_several_requests(server: ApiServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    for number in range(3):
        connection.request("GET", f"/n/{number}")
        response = connection.getresponse()
        assert json.loads(response.read())["rawPath"] == f"/n/{number}"
    connection.close()


def test_a_rest_api_path_starts_with_the_stage_as_on_execute_api(aws: Any) -> None:
    arn = aws.env.lambda_.register("books", lambda e, c: {"statusCode": 200, "body": e["path"]})
    RestApiBuilder(aws).proxy("/book", "GET", arn).deploy("prod")
    with ApiServer(aws.env) as running:
        connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=5)
        connection.request("GET", "/prod/book")
        response = connection.getresponse()
        assert (response.status, response.read()) == (200, b"/book")
        connection.request("GET", "/book")
        response = connection.getresponse()
        assert response.status == 403  # "book" is not a stage
        response.read()


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: -3\r\n\r\n", 400),
        (b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n", 400),
        (b"POST /a HTTP/1.1\r\nHost: x\r\n\r\n", 411),
        (b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 10485761\r\n\r\n", 413),
        (b"GET /a HTTP/1.1\r\nHost: x\r\n" + b"X-Many: y\r\n" * 200 + b"\r\n", 431),
        (b"GET /a HTTP/1.1\r\nHost: x\r\nX-Long: " + b"y" * 70000 + b"\r\n\r\n", 431),
        (b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc", 400),
    ],
    ids=[
        "negative-length",
        "text-length",
        "no-length",
        "too-large",
        "many-headers",
        "long-header",
        "short-body",
    ],
)
def test_malformed_requests_get_an_answer_not_a_dropped_connection(
    server: ApiServer, request_bytes: bytes, status: int
) -> None:
    assert status_of(raw_exchange(server, request_bytes)) == status


def test_a_chunked_body_is_read(server: ApiServer) -> None:
    reply = raw_exchange(
        server,
        b"POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
        b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
    )
    assert status_of(reply) == 200
    assert json.loads(reply.partition(b"\r\n\r\n")[2])["body"] == "hello world"


def test_an_idle_connection_does_not_block_other_clients(server: ApiServer) -> None:
    idle = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    idle.sendall(b"POST /slow HTTP/1.1\r\nHost: x\r\n")  # headers never finished
    try:
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        connection.request("GET", "/other")
        assert connection.getresponse().status == 200
        assert time.monotonic() - started < 5
        connection.close()
    finally:
        idle.close()


def test_concurrent_clients_are_all_answered_and_each_request_runs_once(
    server: ApiServer, aws: Any
) -> None:
    statuses: list[int] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        for index in range(5):
            connection.request(
                "POST",
                f"/c/{number}/{index}",
                body=b"{}",
                headers={"Content-Type": "application/json"},
            )
            response = connection.getresponse()
            response.read()
            with lock:
                statuses.append(response.status)
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert statuses == [200] * 100
    paths = sorted(i.event["rawPath"] for i in aws.env.invocations("echo"))
    assert paths == sorted(f"/c/{n}/{i}" for n in range(20) for i in range(5))


def test_a_port_in_use_is_a_bind_error_in_one_line(server: ApiServer, aws: Any) -> None:
    with pytest.raises(BindError) as caught:
        ApiServer(aws.env, port=server.port).start()
    assert str(caught.value) == f"cannot listen on 127.0.0.1:{server.port}: Address already in use"


def test_an_unknown_host_is_a_bind_error(aws: Any) -> None:
    with pytest.raises(BindError) as caught:
        ApiServer(aws.env, host="no-such-host.invalid").start()
    assert "cannot listen on no-such-host.invalid:0" in str(caught.value)


def test_no_api_is_a_404_naming_the_problem(aws: Any) -> None:
    with ApiServer(aws.env) as running:
        connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=5)
        connection.request("GET", "/")
        response = connection.getresponse()
        assert response.status == 404
        assert "this environment has 0" in json.loads(response.read())["message"]


def test_a_settling_server_drives_the_work_a_request_queued(aws: Any) -> None:
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName="orders")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    consumed: list[str] = []
    aws.env.lambda_.register(
        "consumer", lambda event, context: consumed.extend(r["body"] for r in event["Records"])
    )
    aws.client("lambda").create_event_source_mapping(
        EventSourceArn=queue_arn, FunctionName="consumer"
    )
    client = aws.client("apigatewayv2")
    api_id = client.create_api(Name="direct", ProtocolType="HTTP")["ApiId"]
    integration = client.create_integration(
        ApiId=api_id,
        IntegrationType="AWS_PROXY",
        IntegrationSubtype="SQS-SendMessage",
        PayloadFormatVersion="1.0",
        RequestParameters={"QueueUrl": url, "MessageBody": "$request.body"},
    )
    client.create_route(
        ApiId=api_id, RouteKey="POST /order", Target=f"integrations/{integration['IntegrationId']}"
    )
    client.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    with ApiServer(aws.env, settle=True) as running:
        connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=5)
        connection.request(
            "POST", "/order", body=b'{"id": 1}', headers={"Content-Type": "application/json"}
        )
        assert connection.getresponse().status == 200
        connection.close()
    assert consumed == ['{"id": 1}']


def test_serve_forever_serves_in_the_calling_thread_until_stopped(aws: Any) -> None:
    arn = aws.env.lambda_.register("echo", echo)
    http_api(aws, arn, ("$default",))
    server = ApiServer(aws.env)
    server.bind()
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        connection.request("GET", "/x")
        assert connection.getresponse().status == 200
        connection.close()
    finally:
        server.stop()
        thread.join(timeout=5)
    assert not thread.is_alive()
