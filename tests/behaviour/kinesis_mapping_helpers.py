"""Helpers of the Kinesis event source mapping suites: a stream, puts, a mapping, what ran."""

from __future__ import annotations

import base64
import json
from typing import Any

STREAM_ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/orders"



def stream(aws: Any, shards: int = 1) -> Any:
    kinesis = aws.client("kinesis")
    kinesis.create_stream(StreamName="orders", ShardCount=shards)
    return kinesis


def put(kinesis: Any, key: str, data: Any = None, **extra: Any) -> str:
    body = json.dumps(data if data is not None else {"key": key}).encode()
    return str(
        kinesis.put_record(StreamName="orders", Data=body, PartitionKey=key, **extra)[
            "SequenceNumber"
        ]
    )


def map_stream(aws: Any, **settings: Any) -> dict[str, Any]:
    settings.setdefault("StartingPosition", "TRIM_HORIZON")
    response: dict[str, Any] = aws.client("lambda").create_event_source_mapping(
        EventSourceArn=STREAM_ARN, FunctionName="consumer", **settings
    )
    return response


def data_of(record: dict[str, Any]) -> Any:
    return json.loads(base64.b64decode(record["kinesis"]["data"]))


def keys_of(event: dict[str, Any]) -> list[str]:
    return [r["kinesis"]["partitionKey"] for r in event["Records"]]


def delivered(aws: Any) -> list[list[str]]:
    return [keys_of(i.event) for i in aws.env.invocations("consumer")]


def failure_queue(aws: Any) -> tuple[Any, str, str]:
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName="kinesis-failures")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    return sqs, url, arn


def dead_letters(sqs: Any, url: str) -> list[dict[str, Any]]:
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


def failing_on(*poison: str) -> Any:
    def handler(event: Any, context: Any) -> None:
        if set(keys_of(event)) & set(poison):
            raise ValueError("poison")

    return handler
