"""``eventproof serve``'s HTTP fronts under load, against the in-process request path.

N clients (threads) each send M POST /book + DELETE /book/{id} pairs, each
request on a new TCP connection to 127.0.0.1 (the case that exercises the
listen backlog); the server runs in a child process. Three fronts:

- ``api``: the fake API Gateway's ``ApiServer`` on a REST API built with boto3;
- ``template``: ``eventproof serve --template`` on a SAM template (an Api event);
- ``app``: ``eventproof serve --factory`` on an application's own ``HTTPServer``
  (served on ``eventproof.serving.AppFront``).

Reported for each: connection resets and other client errors, latency
percentiles, requests/s, lost or duplicated books, the machine's load
average; and the rate of the same requests sent in-process
(``env.apigateway.request``) in the same run, as the reference.

    .venv/bin/python benchmarks/apigateway_server.py                 # 50 clients x 100 pairs, all fronts
    .venv/bin/python benchmarks/apigateway_server.py --clients 10 --pairs 20 --front template
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eventproof_fakes import FakeAWS
from eventproof_fakes.apigateway.server import ApiServer


def book_api(env: FakeAWS) -> Counter[str]:
    """A REST API whose handler stores books; returns the counter of creations and deletions."""
    books: dict[str, dict[str, Any]] = {}
    seen: Counter[str] = Counter()

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        if event["httpMethod"] == "POST":
            book = json.loads(event["body"])
            seen["created:" + book["id"]] += 1
            books[book["id"]] = book
            return {"statusCode": 201, "body": json.dumps(book)}
        book_id = event["pathParameters"]["id"]
        seen["deleted:" + book_id] += 1
        found = books.pop(book_id, None)
        return {"statusCode": 204 if found else 404}

    arn = env.lambda_.register("books", handler)
    uri = f"arn:aws:apigateway:{env.region}:lambda:path/2015-03-31/functions/{arn}/invocations"
    client = env.client("apigateway")
    api = client.create_rest_api(name="books")
    book = client.create_resource(
        restApiId=api["id"], parentId=api["rootResourceId"], pathPart="book"
    )
    item = client.create_resource(restApiId=api["id"], parentId=book["id"], pathPart="{id}")
    for resource, method in ((book, "POST"), (item, "DELETE")):
        client.put_method(
            restApiId=api["id"],
            resourceId=resource["id"],
            httpMethod=method,
            authorizationType="NONE",
        )
        client.put_integration(
            restApiId=api["id"],
            resourceId=resource["id"],
            httpMethod=method,
            type="AWS_PROXY",
            integrationHttpMethod="POST",
            uri=uri,
        )
    client.create_deployment(restApiId=api["id"], stageName="prod")
    return seen


def in_process_rate(clients: int, pairs: int) -> float:
    env = FakeAWS()
    book_api(env)
    started = time.perf_counter()
    for client in range(clients):
        for pair in range(pairs):
            book_id = f"{client}-{pair}"
            env.apigateway.request("POST", "/book", json={"id": book_id})
            env.apigateway.request("DELETE", f"/book/{book_id}")
    return 2 * clients * pairs / (time.perf_counter() - started)


BOOK_TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Books:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      CodeUri: .
      Handler: books.handler
      Events:
        Add: {Type: Api, Properties: {Path: /book, Method: post}}
        Remove: {Type: Api, Properties: {Path: "/book/{id}", Method: delete}}
"""
BOOK_HANDLER = """\
import json

books = {}


def handler(event, context):
    if event["httpMethod"] == "POST":
        book = json.loads(event["body"])
        books[book["id"]] = book
        return {"statusCode": 201, "body": json.dumps(book)}
    found = books.pop(event["pathParameters"]["id"], None)
    return {"statusCode": 204 if found else 404}
"""


def build_book_app(session: Any, *, host: str, port: int, **_: Any) -> HTTPServer:
    """An application's own server (``serve --factory``): books in a dict, one request at a time."""
    books: dict[str, Any] = {}
    seen = Counter[str]()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            book = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen["created:" + book["id"]] += 1
            books[book["id"]] = book
            self._answer(201, json.dumps(book).encode())

        def do_DELETE(self) -> None:
            book_id = self.path.rsplit("/", 1)[-1]
            seen["deleted:" + book_id] += 1
            self._answer(204 if books.pop(book_id, None) else 404, b"")

        def _answer(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer((host, port), Handler)
    server.seen = seen  # type: ignore[attr-defined]
    return server


def _seen_in_invocations(env: FakeAWS, function_name: str) -> Counter[str]:
    seen: Counter[str] = Counter()
    for invocation in env.invocations(function_name):
        event = invocation.event
        if event["httpMethod"] == "POST":
            seen["created:" + json.loads(event["body"])["id"]] += 1
        else:
            seen["deleted:" + event["pathParameters"]["id"]] += 1
    return seen


def serve(front: str) -> None:
    """Child process: serve until stdin closes, then print what the handler saw."""
    from eventproof.cli.commands.serve import start, start_template

    if front == "api":
        env = FakeAWS()
        seen = book_api(env)
        with ApiServer(env, stage="prod") as server:
            print(server.port, flush=True)
            sys.stdin.read()
        print(json.dumps(seen), flush=True)
        return
    with tempfile.TemporaryDirectory() as folder:
        if front == "template":
            Path(folder, "template.yaml").write_text(BOOK_TEMPLATE)
            Path(folder, "books.py").write_text(BOOK_HANDLER)
            served = start_template(Path(folder, "template.yaml"), port=0)
        else:
            served = start(factory="benchmarks.apigateway_server:build_book_app", port=0)
        with served:
            thread = threading.Thread(target=served.serve_forever, daemon=True)
            thread.start()
            print(served.address[1], flush=True)
            sys.stdin.read()
            served.shutdown()
            if front == "template":
                name = served.aws.client("lambda").list_functions()["Functions"][0]["FunctionName"]
                seen = _seen_in_invocations(served.aws, name)
            else:
                seen = served.server.app.seen
        print(json.dumps(seen), flush=True)


def over_http(clients: int, pairs: int, front: str) -> dict[str, Any]:
    """Clients here, the server in a child process: they do not share an interpreter lock."""
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve", front],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None
    port = int(child.stdout.readline())
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def one(method: str, path: str, body: bytes | None) -> None:
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            headers = {"Content-Type": "application/json"} if body is not None else {}
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            connection.close()
            with lock:
                statuses[response.status] += 1
                latencies.append(time.perf_counter() - started)
        except OSError as error:
            with lock:
                errors[type(error).__name__] += 1

    def client(number: int) -> None:
        for pair in range(pairs):
            book_id = f"{number}-{pair}"
            one("POST", "/book", json.dumps({"id": book_id}).encode())
            one("DELETE", f"/book/{book_id}", None)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    child.stdin.close()
    seen = Counter(json.loads(child.stdout.readline()))
    child.wait(timeout=30)
    expected = {f"{c}-{p}" for c in range(clients) for p in range(pairs)}
    lost = sum(1 for b in expected if seen["created:" + b] == 0 or seen["deleted:" + b] == 0)
    duplicated = sum(1 for count in seen.values() if count > 1)
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "errors": dict(errors),
        "statuses": dict(statuses),
        "rate": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(ordered),
        "p99_ms": 1000 * ordered[int(0.99 * (len(ordered) - 1))],
        "max_ms": 1000 * ordered[-1],
        "lost": lost,
        "duplicated": duplicated,
        "load": (load_before, os.getloadavg()[0]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--pairs", type=int, default=100)
    parser.add_argument("--front", choices=["api", "template", "app", "all"], default="all")
    parser.add_argument("--serve", choices=["api", "template", "app"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    reference = in_process_rate(args.clients, args.pairs)
    print(f"in-process:  {reference:,.0f} requests/s ({os.cpu_count()} CPUs)")
    for front in ("api", "template", "app") if args.front == "all" else (args.front,):
        result = over_http(args.clients, args.pairs, front)
        print(
            f"[{front}] over HTTP: {result['rate']:,.0f} requests/s "
            f"({result['rate'] / reference:.2f}x in-process), {result['requests']} answered, "
            f"errors {result['errors'] or 'none'}, statuses {result['statuses']}"
        )
        print(
            f"[{front}] latency: p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
            f"max {result['max_ms']:.1f} ms; load average {result['load'][0]:.1f} -> {result['load'][1]:.1f}"
        )
        print(f"[{front}] books: {result['lost']} lost, {result['duplicated']} duplicated")


if __name__ == "__main__":
    main()
