"""``eventproof serve --template``: a template's Api/HttpApi events over HTTP on the fakes."""

from __future__ import annotations

import io
import json
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from eventproof.cli import run
from eventproof.cli.commands.serve import Served, start_template

pytestmark = pytest.mark.timeout(120)

REPOSITORY = Path(__file__).resolve().parents[2]
OUTBOX = REPOSITORY / "reference_impl" / "outbox" / "template.yaml"
BOOK = {"name": "Team Topologies", "author": "Matthew Skelton, Manuel Pais", "isbn": "9781942788812"}

TWO_APIS = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function: {Runtime: python3.12, CodeUri: src/}
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.orders
      Events:
        Create: {Type: Api, Properties: {Path: /orders, Method: post}}
        One: {Type: Api, Properties: {Path: "/orders/{id}", Method: get}}
  Users:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.users
      Events:
        Any: {Type: HttpApi, Properties: {Path: "/users/{proxy+}", Method: ANY}}
"""
HANDLERS = """\
import json


def orders(event, context):
    return {"statusCode": 200, "body": json.dumps({"by": "orders", "path": event["path"]})}


def users(event, context):
    return {"statusCode": 200, "body": json.dumps({"by": "users", "path": event["rawPath"]})}
"""


def cli(*argv: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in argv], out, err)
    return code, out.getvalue(), err.getvalue()


def call(url: str, method: str, body: Any = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            text = response.read()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        text = error.read()
        return error.code, json.loads(text) if text else None


def serving(served: Served) -> Iterator[str]:
    with served:
        thread = threading.Thread(target=served.serve_forever, daemon=True)
        thread.start()
        host, port = served.address
        yield f"http://{host}:{port}"
        served.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def two_apis(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(HANDLERS)
    template = tmp_path / "template.yaml"
    template.write_text(TWO_APIS)
    return template


def test_the_outbox_template_serves_its_http_front_and_emits_its_events() -> None:
    for url in serving(start_template(OUTBOX, port=0)):
        assert call(f"{url}/book", "POST", BOOK)[0] == 201
        assert call(f"{url}/book", "DELETE", {"name": BOOK["name"]}) == (204, None)
        assert call(f"{url}/book", "POST", {**BOOK, "isbn": "1942788819"})[0] == 400
        assert call(f"{url}/books", "POST", BOOK) == (404, {"message": "Not Found"})  # an HTTP API
        sqs = boto3.client("sqs")
        queue = sqs.get_queue_url(QueueName="outbox-event-log")["QueueUrl"]
        bodies = [json.loads(m["Body"]) for m in sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]]
        assert [b["detail-type"] for b in bodies] == ["BookAdded", "BookRemoved"]


def test_the_pipes_variant_is_served_with_a_parameter() -> None:
    for url in serving(start_template(OUTBOX, {"Variant": "pipes"}, port=0)):
        assert call(f"{url}/book", "POST", BOOK)[0] == 201
        table = boto3.resource("dynamodb").Table("Catalogue")
        assert table.get_item(Key={"name": BOOK["name"]}).get("Item") is not None


def test_each_request_reaches_the_api_whose_route_fits(two_apis: Path) -> None:
    for url in serving(start_template(two_apis, port=0)):
        assert call(f"{url}/orders", "POST", {}) == (200, {"by": "orders", "path": "/orders"})
        assert call(f"{url}/orders/7", "GET") == (200, {"by": "orders", "path": "/orders/7"})
        assert call(f"{url}/users/a/b", "DELETE") == (200, {"by": "users", "path": "/users/a/b"})


def test_the_routes_served_are_listed(two_apis: Path) -> None:
    with start_template(two_apis, port=0) as served:
        routes = "\n".join(served.routes)
    assert "POST /orders  (REST API" in routes
    assert "GET /orders/{id}" in routes
    assert "ANY /users/{proxy+}  (HTTP API" in routes


def test_a_template_without_an_api_is_a_usage_error(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text("Resources:\n  Q: {Type: AWS::SQS::Queue}\n")
    code, _, err = cli("serve", "--template", template, "--port", "0")
    assert code == 2 and "builds no API" in err and "Traceback" not in err


def test_a_broken_template_is_named_with_exit_2(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text("Resources: [\n")
    code, _, err = cli("serve", "--template", template, "--port", "0")
    assert code == 2 and "template.yaml" in err and "Traceback" not in err


def test_a_port_in_use_exits_2_with_one_line(two_apis: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, _, err = cli("serve", "--template", two_apis, "--port", str(port))
        assert code == 2 and f"cannot listen on 127.0.0.1:{port}" in err
        code, _, err = cli("serve", "--factory", "tests.cli.test_serve_apps:build_queue_server",
                           "--port", str(port))
        assert code == 2 and f"cannot listen on 127.0.0.1:{port}" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("host", ["no-such-host.invalid", "300.1.1.1"])
def test_an_invalid_host_exits_2_with_one_line(two_apis: Path, host: str) -> None:
    for argv in (("--template", str(two_apis)), ("--factory", "tests.cli.test_serve_apps:build_queue_server")):
        code, _, err = cli("serve", *argv, "--host", host, "--port", "0")
        assert code == 2 and f"cannot listen on {host}:0" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--port", "70000"], "not a port number"),
        (["--port", "x"], "not a port number"),
        (["--parameter", "novalue"], "expected KEY=VALUE"),
        (["outbox"], "not both"),
    ],
)
def test_bad_arguments_exit_2(two_apis: Path, argv: list[str], expected: str) -> None:
    code, _, err = cli("serve", "--template", two_apis, *argv)
    assert code == 2 and expected in err and "Traceback" not in err
