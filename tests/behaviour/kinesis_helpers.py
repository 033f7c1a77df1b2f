"""Helpers of the Kinesis behaviour suites: a stream made through boto3, hash keys, reads."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from botocore.exceptions import ClientError

HASH_SPACE = 2**128


def create(aws: Any, name: str = "orders", shards: int = 2) -> Any:
    kinesis = aws.client("kinesis")
    kinesis.create_stream(StreamName=name, ShardCount=shards)
    kinesis.get_waiter("stream_exists").wait(
        StreamName=name, WaiterConfig={"Delay": 0.01, "MaxAttempts": 50}
    )
    return kinesis


def md5_hash_key(partition_key: str) -> int:
    return int(hashlib.md5(partition_key.encode()).hexdigest(), 16)


def shard_of(kinesis: Any, hash_key: int, name: str = "orders") -> str:
    for shard in kinesis.describe_stream(StreamName=name)["StreamDescription"]["Shards"]:
        low, high = shard["HashKeyRange"]["StartingHashKey"], shard["HashKeyRange"]["EndingHashKey"]
        if int(low) <= hash_key <= int(high):
            return str(shard["ShardId"])
    raise AssertionError(f"no shard holds {hash_key}")


def read_all(kinesis: Any, shard_id: str, kind: str = "TRIM_HORIZON", **extra: Any) -> list[Any]:
    iterator = kinesis.get_shard_iterator(
        StreamName="orders", ShardId=shard_id, ShardIteratorType=kind, **extra
    )["ShardIterator"]
    records: list[Any] = kinesis.get_records(ShardIterator=iterator)["Records"]
    return records


def error_of(call: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        call()
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]
