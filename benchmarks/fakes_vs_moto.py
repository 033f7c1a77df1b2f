"""The same scenarios, through boto3 clients, on eventproof's fakes and on moto.

Prints scenarios per second (median of several repeats), the ratio
fakes/moto, and the cost of setting up each backend with five clients.
The machine is noisy: read the medians and the ratios, not single runs.

Scenarios:
- ``stream_to_queue``: put_item into a streamed table, read its stream
  record, send an SQS message carrying it, receive, delete.
- ``outbox``: put_item into a streamed table, read the stream record,
  put it on EventBridge, where a rule routes it to an SQS target; receive,
  delete.
- ``s3_to_queue``: put_object into a bucket whose notification configuration
  sends ``s3:ObjectCreated:*`` to an SQS queue; receive the S3 event record,
  get_object the key it names, delete the message.
- ``kinesis_put_get``: put_record on a 2-shard Kinesis stream, get_records
  from the shard it landed on (a consumer polling with its iterator).
- ``kinesis -> mapping -> handler`` (fakes only: moto cannot run Python
  handlers without Docker): put_record through boto3, then
  ``run_until_idle`` lets the event source mapping's poller hand the
  record to a Python handler. Its rate is compared with moto's
  ``kinesis_put_get``, the nearest path moto can run (a consumer that
  polls instead of Lambda's poller), in the same run.
- ``--only kinesis``: the two Kinesis paths alone, fakes and moto rounds
  alternating; each ratio is the median of the per-round ratios, so load
  from other work on the machine mostly cancels out.
- ``internal path`` (fakes only, no boto3): put an item through the DynamoDB
  backend's Python API; a pipe with a filter reads the stream and invokes a
  Lambda handler, driven by ``run_until_idle``. Measured against a
  plain-dict floor doing the same logical work in the same run (dict
  insert, list append of a record dict, filter check, handler call).
  Both are single-threaded and CPU-bound, so they are timed in CPU time
  (``time.process_time``), rounds alternate, and the ratio is the median of
  the per-round ratios: other work on the machine mostly cancels out.

    python benchmarks/fakes_vs_moto.py [--iterations N] [--repeats R] [--only internal|boto3|kinesis]
        [--scenario s3_to_queue]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_plus

import boto3
from botocore.config import Config
from moto import mock_aws  # imported first: moto hooks sessions created after it

from eventproof_fakes import FakeAWS

REGION = "us-east-1"
STREAMS_CONFIG = Config(account_id_endpoint_mode="disabled")


class Clients:
    def __init__(self, make: Callable[..., Any]) -> None:
        self.make = make
        self.dynamodb = make("dynamodb", config=STREAMS_CONFIG)
        self.streams = make("dynamodbstreams", config=STREAMS_CONFIG)
        self.sqs = make("sqs")
        self.events = make("events")
        self.s3 = make("s3")


def provision(clients: Clients) -> dict[str, Any]:
    table = clients.dynamodb.create_table(
        TableName="Books",
        KeySchema=[{"AttributeName": "name", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "name", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )["TableDescription"]
    stream_arn = table["LatestStreamArn"]
    shard = clients.streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][0]
    iterator = clients.streams.get_shard_iterator(
        StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    queue_url = clients.sqs.create_queue(QueueName="books")["QueueUrl"]
    outbox_url = clients.sqs.create_queue(QueueName="book-events")["QueueUrl"]
    outbox_arn = clients.sqs.get_queue_attributes(
        QueueUrl=outbox_url, AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]
    clients.events.put_rule(Name="book-added", EventPattern=json.dumps({"source": ["outbox"]}))
    clients.events.put_targets(Rule="book-added", Targets=[{"Id": "q", "Arn": outbox_arn}])
    # Kinesis: made here, not in Clients, so the setup figure keeps measuring five clients.
    clients.kinesis = clients.make("kinesis")
    clients.kinesis.create_stream(StreamName="books", ShardCount=2)
    shard_iterators = {
        shard["ShardId"]: clients.kinesis.get_shard_iterator(
            StreamName="books", ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        for shard in clients.kinesis.list_shards(StreamName="books")["Shards"]
    }
    uploads_url = clients.sqs.create_queue(QueueName="uploads")["QueueUrl"]
    uploads_arn = clients.sqs.get_queue_attributes(
        QueueUrl=uploads_url, AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]
    clients.s3.create_bucket(Bucket="book-covers")
    clients.s3.put_bucket_notification_configuration(
        Bucket="book-covers",
        NotificationConfiguration={
            "QueueConfigurations": [{"QueueArn": uploads_arn, "Events": ["s3:ObjectCreated:*"]}]
        },
    )
    for message in clients.sqs.receive_message(QueueUrl=uploads_url).get("Messages", []):
        clients.sqs.delete_message(QueueUrl=uploads_url, ReceiptHandle=message["ReceiptHandle"])
    return {
        "iterator": iterator,
        "queue_url": queue_url,
        "outbox_url": outbox_url,
        "uploads_url": uploads_url,
        "shard_iterators": shard_iterators,
    }


def next_record(clients: Clients, state: dict[str, Any]) -> dict[str, Any]:
    page = clients.streams.get_records(ShardIterator=state["iterator"])
    state["iterator"] = page["NextShardIterator"]
    (record,) = page["Records"]
    return record


def stream_to_queue(clients: Clients, state: dict[str, Any], n: int) -> None:
    clients.dynamodb.put_item(TableName="Books", Item={"name": {"S": f"book-{n}"}})
    record = next_record(clients, state)
    clients.sqs.send_message(
        QueueUrl=state["queue_url"], MessageBody=json.dumps(record["dynamodb"]["NewImage"])
    )
    (message,) = clients.sqs.receive_message(QueueUrl=state["queue_url"])["Messages"]
    clients.sqs.delete_message(QueueUrl=state["queue_url"], ReceiptHandle=message["ReceiptHandle"])


def outbox(clients: Clients, state: dict[str, Any], n: int) -> None:
    clients.dynamodb.put_item(TableName="Books", Item={"name": {"S": f"outbox-{n}"}})
    record = next_record(clients, state)
    clients.events.put_events(
        Entries=[
            {
                "Source": "outbox",
                "DetailType": "BookAdded",
                "Detail": json.dumps(record["dynamodb"]["NewImage"]),
            }
        ]
    )
    (message,) = clients.sqs.receive_message(QueueUrl=state["outbox_url"])["Messages"]
    clients.sqs.delete_message(QueueUrl=state["outbox_url"], ReceiptHandle=message["ReceiptHandle"])


def s3_to_queue(clients: Clients, state: dict[str, Any], n: int) -> None:
    clients.s3.put_object(Bucket="book-covers", Key=f"covers/book {n}.json", Body=b'{"cover": 1}')
    (message,) = clients.sqs.receive_message(QueueUrl=state["uploads_url"])["Messages"]
    (record,) = json.loads(message["Body"])["Records"]
    key = unquote_plus(record["s3"]["object"]["key"])
    clients.s3.get_object(Bucket="book-covers", Key=key)["Body"].read()
    clients.sqs.delete_message(
        QueueUrl=state["uploads_url"], ReceiptHandle=message["ReceiptHandle"]
    )


def kinesis_put_get(clients: Clients, state: dict[str, Any], n: int) -> None:
    data = json.dumps({"book": n}).encode()
    shard = clients.kinesis.put_record(StreamName="books", Data=data, PartitionKey=f"book-{n}")[
        "ShardId"
    ]
    page = clients.kinesis.get_records(ShardIterator=state["shard_iterators"][shard])
    state["shard_iterators"][shard] = page["NextShardIterator"]
    (record,) = page["Records"]
    assert record["Data"] == data


SCENARIOS = {
    "stream_to_queue": stream_to_queue,
    "outbox": outbox,
    "s3_to_queue": s3_to_queue,
    "kinesis_put_get": kinesis_put_get,
}


def kinesis_to_handler_rate(iterations: int) -> float:
    """Records per second: boto3 put_record -> mapping poller -> Python handler (fakes only)."""
    env = FakeAWS(region=REGION)
    handled: list[Any] = []
    env.lambda_.register("consumer", lambda event, context: handled.append(event))
    kinesis = env.client("kinesis")
    kinesis.create_stream(StreamName="books", ShardCount=2)
    env.client("lambda").create_event_source_mapping(
        EventSourceArn=env.arn("kinesis", "stream/books"),
        FunctionName="consumer",
        StartingPosition="TRIM_HORIZON",
        BatchSize=1,
    )

    def one(n: int) -> None:
        kinesis.put_record(StreamName="books", Data=json.dumps({"book": n}).encode(), PartitionKey=f"book-{n}")
        env.run_until_idle()

    one(-1)
    started = time.perf_counter()
    for n in range(iterations):
        one(n)
    elapsed = time.perf_counter() - started
    assert len(handled) == iterations + 1, "every record must reach the handler"
    return iterations / elapsed


def fakes_clients() -> Clients:
    return Clients(FakeAWS(region=REGION).client)


def moto_session() -> boto3.session.Session:
    return boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
    )


def rate(make_clients: Callable[[], Clients], scenario: Callable[..., None], iterations: int) -> float:
    clients = make_clients()
    state = provision(clients)
    scenario(clients, state, -1)  # warm caches: models, endpoints, parsed expressions
    started = time.perf_counter()
    for n in range(iterations):
        scenario(clients, state, n)
    return iterations / (time.perf_counter() - started)


def median_rate(backend: str, scenario: Callable[..., None], iterations: int, repeats: int) -> float:
    rates = []
    session = moto_session()
    for _ in range(repeats):
        if backend == "fakes":
            rates.append(rate(fakes_clients, scenario, iterations))
        else:
            with mock_aws():
                # moto is slower: fewer iterations keep the run short; rates stay comparable.
                rates.append(rate(lambda: Clients(session.client), scenario, iterations // 5 or 1))
    return statistics.median(rates)


def setup_cost(backend: str, repeats: int) -> float:
    """Median seconds to create the backend and five clients on an existing session."""
    times = []
    session = moto_session()
    for _ in range(repeats):
        started = time.perf_counter()
        if backend == "fakes":
            fakes_clients()
        else:
            with mock_aws():
                Clients(session.client)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


# --- the internal delivery path: stream -> pipe -> handler, no boto3 -------------------
def internal_path(iterations: int) -> float:
    """Seconds per item: put_item (Python API) -> stream -> pipe filter -> Lambda handler."""
    env = FakeAWS(region=REGION)
    handled: list[Any] = []
    env.lambda_.register("book-added", lambda event, context: handled.append(event))
    table = env.dynamodb.create_table(
        {
            "TableName": "Books",
            "KeySchema": [{"AttributeName": "name", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "name", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
        }
    )["TableDescription"]
    env.pipes.create_pipe(
        {
            "Name": "books",
            "RoleArn": env.arn("iam", "role/pipes").replace(f":{REGION}:", "::"),
            "Source": table["LatestStreamArn"],
            "SourceParameters": {
                "DynamoDBStreamParameters": {"StartingPosition": "TRIM_HORIZON", "BatchSize": 1},
                "FilterCriteria": {"Filters": [{"Pattern": json.dumps({"eventName": ["INSERT"]})}]},
            },
            "Target": env.lambda_.function("book-added").arn,
        }
    )
    put_item = env.dynamodb.put_item

    def one(n: int) -> None:
        put_item({"TableName": "Books", "Item": {"name": {"S": f"book-{n}"}, "n": {"N": str(n)}}})
        env.run_until_idle()

    one(-1)
    started = time.process_time()
    for n in range(iterations):
        one(n)
    elapsed = time.process_time() - started
    assert len(handled) == iterations + 1, "every item must reach the handler"
    return elapsed / iterations


def plain_dict_floor(iterations: int) -> float:
    """Seconds per item for the same logical work with dicts and lists."""
    table: dict[str, Any] = {}
    stream: list[dict[str, Any]] = []
    handled: list[Any] = []
    cursor = 0

    def handler(event: Any, context: Any) -> None:
        handled.append(event)

    started = time.process_time()
    for n in range(iterations):
        item = {"name": {"S": f"book-{n}"}, "n": {"N": str(n)}}
        table[item["name"]["S"]] = item
        stream.append({"eventName": "INSERT", "dynamodb": {"NewImage": item, "SequenceNumber": n}})
        batch, cursor = stream[cursor:], len(stream)
        matching = [record for record in batch if record["eventName"] == "INSERT"]
        if matching:
            handler(matching, None)
    elapsed = time.process_time() - started
    assert len(handled) == iterations
    return elapsed / iterations


def internal_ratio(iterations: int, repeats: int) -> tuple[float, float, float]:
    """Median CPU seconds per item (fakes, floor) and the median of per-round ratios."""
    rounds = [(internal_path(iterations), plain_dict_floor(iterations)) for _ in range(repeats)]
    return (
        statistics.median(fakes for fakes, _ in rounds),
        statistics.median(floor for _, floor in rounds),
        statistics.median(fakes / floor for fakes, floor in rounds),
    )


def kinesis_rounds(iterations: int, repeats: int) -> None:
    """Alternating rounds: fakes put+get, moto put+get, fakes put -> mapping -> handler."""
    session = moto_session()
    rounds = []
    for _ in range(repeats):
        fakes = rate(fakes_clients, kinesis_put_get, iterations)
        with mock_aws():
            moto = rate(lambda: Clients(session.client), kinesis_put_get, iterations // 5 or 1)
        to_handler = kinesis_to_handler_rate(iterations)
        rounds.append((fakes, moto, to_handler))
    fakes_rate = statistics.median(f for f, _, _ in rounds)
    moto_rate = statistics.median(m for _, m, _ in rounds)
    handler_rate = statistics.median(h for _, _, h in rounds)
    print(
        f"kinesis_put_get: fakes {fakes_rate:.0f}/s, moto {moto_rate:.0f}/s, "
        f"ratio {statistics.median(f / m for f, m, _ in rounds):.1f}x (median of per-round ratios)"
    )
    print(
        f"kinesis -> mapping -> handler (fakes only): {handler_rate:.0f}/s, "
        f"{statistics.median(h / m for _, m, h in rounds):.1f}x moto's put_record + get_records"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", choices=["boto3", "internal", "kinesis"], default=None)
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), action="append",
                        help="run only these boto3 scenarios (repeatable)")
    args = parser.parse_args()
    if args.only == "kinesis":
        kinesis_rounds(args.iterations, args.repeats)
        return
    if args.only != "boto3":
        fakes, floor, ratio = internal_ratio(args.iterations, args.repeats)
        print(
            f"internal path (put -> stream -> pipe -> handler), CPU time: fakes {fakes * 1e6:.1f} "
            f"us/item, plain-dict floor {floor * 1e6:.2f} us/item, ratio {ratio:.1f}x"
        )
    if args.only == "internal":
        return
    print(f"{'scenario':<18}{'fakes/s':>10}{'moto/s':>10}{'ratio':>8}")
    moto_rates = {}
    for name, scenario in SCENARIOS.items():
        if args.scenario and name not in args.scenario:
            continue
        fakes = median_rate("fakes", scenario, args.iterations, args.repeats)
        moto = moto_rates[name] = median_rate("moto", scenario, args.iterations, args.repeats)
        print(f"{name:<18}{fakes:>10.0f}{moto:>10.0f}{fakes / moto:>7.1f}x")
    if "kinesis_put_get" in moto_rates:
        to_handler = statistics.median(
            kinesis_to_handler_rate(args.iterations) for _ in range(args.repeats)
        )
        print(
            f"kinesis -> mapping -> handler (fakes only): {to_handler:.0f}/s, "
            f"{to_handler / moto_rates['kinesis_put_get']:.1f}x moto's put_record + get_records"
        )
    fakes_setup = setup_cost("fakes", args.repeats)
    moto_setup = setup_cost("moto", args.repeats)
    print(
        f"setup (backend + 5 clients): fakes {fakes_setup * 1000:.1f} ms, "
        f"moto {moto_setup * 1000:.1f} ms, ratio {moto_setup / fakes_setup:.1f}x"
    )


if __name__ == "__main__":
    main()
