"""Threads against one environment: atomic operations, run_until_idle from several threads,
handlers that call boto3 from their own thread pools (issue 12, "thread safety").

Each reproduction failed before the environment had its lock: the counter
ended at 3,707-5,303 of 6,400, concurrent runs delivered thousands of
duplicates and raised ``ValueError: list.remove(x)``.
"""

from __future__ import annotations

import collections
import json
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

import eventproof_fakes.locking
from eventproof_fakes import FakeAWS

THREADS = 16
INCREMENTS = 400


def _table(aws: FakeAWS, name: str = "Counters") -> None:
    aws.client("dynamodb").create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


def _run_threads(count: int, target: Any) -> None:
    """Start ``count`` threads on ``target(index)`` at once; re-raise the first failure."""
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def run(index: int) -> None:
        try:
            start.wait()
            target(index)
        except BaseException as error:  # reported by the test thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a thread is stuck (deadlock)"
    if errors:
        raise errors[0]


@pytest.mark.timeout(120)
def test_update_item_add_from_16_threads_counts_every_increment() -> None:
    aws = FakeAWS()
    _table(aws)
    client = aws.client("dynamodb")  # botocore clients are shared between threads

    def increment(_: int) -> None:
        for _ in range(INCREMENTS):
            client.update_item(
                TableName="Counters",
                Key={"id": {"S": "c"}},
                UpdateExpression="ADD n :one",
                ExpressionAttributeValues={":one": {"N": "1"}},
            )

    _run_threads(THREADS, increment)
    item = client.get_item(TableName="Counters", Key={"id": {"S": "c"}})["Item"]
    assert item["n"] == {"N": str(THREADS * INCREMENTS)}


def _queue_with_mapping(aws: FakeAWS, handler: Any, *, batch_size: int = 10) -> str:
    sqs = aws.client("sqs")
    url: str = sqs.create_queue(QueueName="work", Attributes={"VisibilityTimeout": "30"})[
        "QueueUrl"
    ]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    aws.lambda_.register("worker", handler)
    aws.client("lambda").create_event_source_mapping(
        EventSourceArn=arn, FunctionName="worker", BatchSize=batch_size
    )
    return url


@pytest.mark.timeout(180)
def test_two_threads_running_until_idle_while_four_send_handle_each_message_once() -> None:
    aws = FakeAWS()
    handled: collections.Counter[str] = collections.Counter()

    def worker(event: dict[str, Any], context: Any) -> None:
        for record in event["Records"]:
            handled[json.loads(record["body"])["n"]] += 1

    url = _queue_with_mapping(aws, worker)
    senders, per_sender = 4, 500
    sending_done = threading.Event()
    sent_by = [0] * senders

    def role(index: int) -> None:
        if index < senders:
            sqs = aws.client("sqs")
            for start in range(0, per_sender, 10):
                entries = [
                    {"Id": str(k), "MessageBody": json.dumps({"n": f"{index}-{start + k}"})}
                    for k in range(10)
                ]
                response = sqs.send_message_batch(QueueUrl=url, Entries=entries)
                assert not response.get("Failed")
                sent_by[index] += len(response["Successful"])
        else:
            while not sending_done.is_set():
                aws.run_until_idle(max_steps=1_000_000)

    def watch_senders() -> None:
        while sum(sent_by) < senders * per_sender:
            threading.Event().wait(0.01)
        sending_done.set()

    watcher = threading.Thread(target=watch_senders, daemon=True)
    watcher.start()
    _run_threads(senders + 2, role)
    aws.run_until_idle(max_steps=1_000_000)
    expected = {f"{s}-{m}" for s in range(senders) for m in range(per_sender)}
    assert set(handled) == expected
    duplicates = {n: c for n, c in handled.items() if c != 1}
    assert duplicates == {}, f"{len(duplicates)} messages handled more than once"
    invocations = aws.invocations("worker")
    assert all(i.error is None for i in invocations)
    attributes = aws.client("sqs").get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages",
                                      "ApproximateNumberOfMessagesNotVisible"]
    )["Attributes"]
    assert attributes == {"ApproximateNumberOfMessages": "0",
                          "ApproximateNumberOfMessagesNotVisible": "0"}


def _parallel_writer(aws: FakeAWS, width: int = 8) -> Any:
    """A handler that writes one item per record from a thread pool, as teams do."""
    import boto3

    def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
        table = boto3.resource("dynamodb").Table("Items")  # bound to the fakes in the sandbox
        records = event.get("Records") or [{"body": str(i)} for i in range(event["count"])]

        def put(record: dict[str, Any]) -> None:
            table.put_item(Item={"id": record["body"], "by": context.aws_request_id})

        with ThreadPoolExecutor(max_workers=width) as pool:
            list(pool.map(put, records))
        return {"written": len(records)}

    return handler


@pytest.mark.timeout(60)
def test_handler_thread_pool_calling_boto3_from_a_mapping_does_not_deadlock() -> None:
    aws = FakeAWS()
    _table(aws, "Items")
    url = _queue_with_mapping(aws, _parallel_writer(aws))
    sqs = aws.client("sqs")
    for start in range(0, 40, 10):
        sqs.send_message_batch(
            QueueUrl=url,
            Entries=[{"Id": str(k), "MessageBody": str(start + k)} for k in range(10)],
        )
    aws.run_until_idle()
    items = aws.client("dynamodb").scan(TableName="Items")["Items"]
    assert sorted(int(item["id"]["S"]) for item in items) == list(range(40))
    assert [i.error for i in aws.invocations("worker")] == [None] * 4


@pytest.mark.timeout(60)
def test_handler_thread_pool_inside_a_synchronous_invoke_does_not_deadlock() -> None:
    """Invoke (RequestResponse) runs the handler inside the operation: its threads still get in."""
    aws = FakeAWS()
    _table(aws, "Items")
    aws.lambda_.register("writer", _parallel_writer(aws))
    response = aws.client("lambda").invoke(
        FunctionName="writer", Payload=json.dumps({"count": 25}).encode()
    )
    assert "FunctionError" not in response
    assert json.loads(response["Payload"].read()) == {"written": 25}
    assert aws.client("dynamodb").scan(TableName="Items", Select="COUNT")["Count"] == 25


@pytest.mark.timeout(60)
def test_invokes_from_several_threads_leave_the_process_as_it_was() -> None:
    """Handlers overlapping in two threads: os.environ and sys.stdout come back afterwards."""
    aws = FakeAWS()
    seen: list[str] = []

    def handler(event: Any, context: Any) -> str:
        seen.append(os.environ["AWS_LAMBDA_FUNCTION_NAME"])
        print("working", event)
        return "ok"

    for name in ("alpha", "beta"):
        aws.lambda_.register(name, handler)
    environ, stdout = dict(os.environ), sys.stdout
    client = aws.client("lambda")

    def invoke(index: int) -> None:
        for n in range(50):
            response = client.invoke(FunctionName=("alpha", "beta")[index % 2], Payload=b"1")
            assert "FunctionError" not in response, n

    _run_threads(8, invoke)
    assert dict(os.environ) == environ
    assert sys.stdout is stdout
    assert len(seen) == 400
    assert len(aws.invocations("alpha")) + len(aws.invocations("beta")) == 400


@pytest.mark.timeout(60)
def test_the_clock_waits_for_a_handler_running_in_another_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A drive jumping the clock while another thread's handler runs would time that handler out."""

    monkeypatch.setattr(eventproof_fakes.locking, "OTHER_HANDLERS_WAIT", 30.0)  # no give-up on a slow machine
    aws = FakeAWS()
    started, release = threading.Event(), threading.Event()

    def slow(event: Any, context: Any) -> str:
        started.set()
        release.wait(20)
        return "done"

    aws.lambda_.register("slow", slow, timeout=3)
    url = _queue_with_mapping(aws, lambda event, context: None)
    aws.client("sqs").send_message(QueueUrl=url, MessageBody="later", DelaySeconds=60)
    answers: list[Any] = []
    caller = threading.Thread(
        target=lambda: answers.append(aws.client("lambda").invoke(FunctionName="slow"))
    )
    caller.start()
    assert started.wait(20)
    driver = threading.Thread(target=aws.run_until_idle)
    driver.start()
    # Release "slow" once the driver waits for it (or has finished without waiting).
    while driver.is_alive() and not getattr(getattr(aws, "handler_runs", None), "_waiters", 0):
        threading.Event().wait(0.001)
    release.set()
    caller.join(20)
    driver.join(20)
    assert "FunctionError" not in answers[0]
    assert [i.error for i in aws.invocations("slow")] == [None]
    assert [i.event["Records"][0]["body"] for i in aws.invocations("worker")] == ["later"]


@pytest.mark.timeout(60)
def test_a_handler_waiting_for_the_drive_does_not_hang_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The driver gives up waiting for another thread's handler after a while: no deadlock."""

    monkeypatch.setattr(eventproof_fakes.locking, "OTHER_HANDLERS_WAIT", 0.05)
    aws = FakeAWS()
    started, processed = threading.Event(), threading.Event()

    def waiting(event: Any, context: Any) -> str:
        started.set()
        return "seen" if processed.wait(20) else "never"

    aws.lambda_.register("waiting", waiting, timeout=900)
    url = _queue_with_mapping(aws, lambda event, context: processed.set())
    aws.client("sqs").send_message(QueueUrl=url, MessageBody="later", DelaySeconds=60)
    answers: list[Any] = []
    caller = threading.Thread(
        target=lambda: answers.append(aws.client("lambda").invoke(FunctionName="waiting"))
    )
    caller.start()
    assert started.wait(20)
    aws.run_until_idle()  # waits 0.05 s for "waiting", then moves the clock and delivers
    caller.join(20)
    assert json.loads(answers[0]["Payload"].read()) == "seen"


@pytest.mark.timeout(60)
def test_a_handler_fanning_out_synchronous_invokes_from_a_thread_pool() -> None:
    """Nested RequestResponse invokes from a handler's pool threads: no deadlock, nothing left over."""
    import boto3

    aws = FakeAWS()
    aws.lambda_.register("child", lambda event, context: {"double": event["n"] * 2})

    def parent(event: Any, context: Any) -> list[int]:
        client = boto3.client("lambda")

        def call(n: int) -> int:
            payload = client.invoke(FunctionName="child", Payload=json.dumps({"n": n}).encode())
            return int(json.loads(payload["Payload"].read())["double"])

        with ThreadPoolExecutor(max_workers=8) as pool:
            return list(pool.map(call, range(16)))

    aws.lambda_.register("parent", parent)
    environ = dict(os.environ)
    response = aws.client("lambda").invoke(FunctionName="parent", Payload=b"{}")
    assert json.loads(response["Payload"].read()) == [2 * n for n in range(16)]
    assert [i.error for i in aws.invocations("child")] == [None] * 16
    assert dict(os.environ) == environ
