"""The fake API Gateway's HTTP front under load, against its in-process request path.

N clients (threads) each send M POST /book + DELETE /book/{id} pairs to a REST
API with Lambda proxy integrations, each request on a new TCP connection to
127.0.0.1 (the case that exercises the listen backlog); the server runs in
a child process. Reported: connection
resets and other client errors, latency percentiles, requests/s, lost or
duplicated books, and the rate of the same requests sent in-process
(``env.apigateway.request``) in the same run, as the reference.

    .venv/bin/python benchmarks/apigateway_server.py                 # 50 clients x 100 pairs
    .venv/bin/python benchmarks/apigateway_server.py --clients 10 --pairs 20
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fakes import FakeAWS
from fakes.apigateway.server import ApiServer


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


def serve() -> None:
    """Child process: serve the API until stdin closes, then print what the handler saw."""
    env = FakeAWS()
    seen = book_api(env)
    with ApiServer(env, stage="prod") as server:
        print(server.port, flush=True)
        sys.stdin.read()
    print(json.dumps(seen), flush=True)


def over_http(clients: int, pairs: int) -> dict[str, Any]:
    """Clients here, the server in a child process: they do not share an interpreter lock."""
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve"],
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
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--pairs", type=int, default=100)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve()
        return
    reference = in_process_rate(args.clients, args.pairs)
    result = over_http(args.clients, args.pairs)
    print(f"in-process: {reference:,.0f} requests/s")
    print(
        f"over HTTP:  {result['rate']:,.0f} requests/s ({result['rate'] / reference:.2f}x in-process), "
        f"{result['requests']} answered, errors {result['errors'] or 'none'}, statuses {result['statuses']}"
    )
    print(
        f"latency:    p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, max {result['max_ms']:.1f} ms"
    )
    print(f"books:      {result['lost']} lost, {result['duplicated']} duplicated")


if __name__ == "__main__":
    main()
