"""Kinesis Data Streams through boto3, on the fakes and on moto: iterators, reads, time.

What AWS documents: https://docs.aws.amazon.com/kinesis/latest/APIReference/
(CreateStream, PutRecord(s), GetShardIterator, GetRecords, retention) and
https://docs.aws.amazon.com/streams/latest/dev/key-concepts.html (the MD5 of
the partition key, as a 128-bit integer, picks the shard whose hash key
range holds it). Tests that need the virtual clock are skipped on moto by
``aws.advance``; those marked ``fakes_only`` cite where moto differs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.behaviour.kinesis_helpers import (
    create,
    error_of,
    read_all,
)


# --- reading ------------------------------------------------------------------------
def test_trim_horizon_reads_the_shard_from_its_oldest_record_as_bytes(aws: Any) -> None:
    kinesis = create(aws, shards=1)
    kinesis.put_record(StreamName="orders", Data=b"\x00\xffbinary", PartitionKey="a")
    kinesis.put_record(StreamName="orders", Data="text", PartitionKey="b")
    records = read_all(kinesis, "shardId-000000000000")
    assert [(r["Data"], r["PartitionKey"]) for r in records] == [
        (b"\x00\xffbinary", "a"),
        (b"text", "b"),
    ]
    assert isinstance(records[0]["ApproximateArrivalTimestamp"], datetime)


def test_records_of_one_partition_key_stay_in_order_on_one_shard(aws: Any) -> None:
    kinesis = create(aws, shards=3)
    shards = {
        kinesis.put_record(StreamName="orders", Data=str(i).encode(), PartitionKey="same")["ShardId"]
        for i in range(4)
    }
    [shard] = shards
    assert [r["Data"] for r in read_all(kinesis, shard)] == [b"0", b"1", b"2", b"3"]


def test_latest_reads_only_what_arrives_after_the_iterator(aws: Any) -> None:
    kinesis = create(aws, shards=1)
    kinesis.put_record(StreamName="orders", Data=b"old", PartitionKey="k")
    iterator = kinesis.get_shard_iterator(
        StreamName="orders", ShardId="shardId-000000000000", ShardIteratorType="LATEST"
    )["ShardIterator"]
    kinesis.put_record(StreamName="orders", Data=b"new", PartitionKey="k")
    assert [r["Data"] for r in kinesis.get_records(ShardIterator=iterator)["Records"]] == [b"new"]


def test_at_and_after_sequence_number_start_on_and_after_the_record(aws: Any) -> None:
    kinesis = create(aws, shards=1)
    numbers = [
        kinesis.put_record(StreamName="orders", Data=str(i).encode(), PartitionKey="k")[
            "SequenceNumber"
        ]
        for i in range(3)
    ]
    at = read_all(
        kinesis, "shardId-000000000000", "AT_SEQUENCE_NUMBER", StartingSequenceNumber=numbers[1]
    )
    after = read_all(
        kinesis, "shardId-000000000000", "AFTER_SEQUENCE_NUMBER", StartingSequenceNumber=numbers[1]
    )
    assert [r["Data"] for r in at] == [b"1", b"2"]
    assert [r["Data"] for r in after] == [b"2"]


def test_limit_and_next_shard_iterator_page_through_a_shard(aws: Any) -> None:
    kinesis = create(aws, shards=1)
    kinesis.put_records(
        StreamName="orders",
        Records=[{"Data": str(i).encode(), "PartitionKey": "k"} for i in range(5)],
    )
    iterator = kinesis.get_shard_iterator(
        StreamName="orders", ShardId="shardId-000000000000", ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    pages = []
    for _ in range(3):
        page = kinesis.get_records(ShardIterator=iterator, Limit=2)
        pages.append([r["Data"] for r in page["Records"]])
        iterator = page["NextShardIterator"]
    assert pages == [[b"0", b"1"], [b"2", b"3"], [b"4"]]
    assert page["MillisBehindLatest"] == 0
    assert kinesis.get_records(ShardIterator=iterator)["Records"] == []


def test_an_unknown_shard_is_not_found(aws: Any) -> None:
    kinesis = create(aws, shards=1)
    code, _ = error_of(
        lambda: kinesis.get_shard_iterator(
            StreamName="orders", ShardId="shardId-000000000009", ShardIteratorType="LATEST"
        )
    )
    assert code == "ResourceNotFoundException"


@pytest.mark.fakes_only
def test_a_sequence_number_of_another_shard_is_an_invalid_argument(aws: Any) -> None:
    # https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetShardIterator.html
    # (InvalidArgumentException); moto 5.2 accepts any number on any shard.
    kinesis = create(aws, shards=2)
    on_zero = kinesis.put_record(
        StreamName="orders", Data=b"x", PartitionKey="k", ExplicitHashKey="0"
    )["SequenceNumber"]
    code, message = error_of(
        lambda: read_all(
            kinesis, "shardId-000000000001", "AT_SEQUENCE_NUMBER", StartingSequenceNumber=on_zero
        )
    )
    assert code == "InvalidArgumentException"
    assert "shardId-000000000000" in message


# --- time: iterators, lag, retention (virtual clock) --------------------------------------
def test_at_timestamp_starts_at_the_first_record_that_arrived_at_or_after_it(aws: Any) -> None:
    kinesis = create(aws, shards=1)
    kinesis.put_record(StreamName="orders", Data=b"early", PartitionKey="k")
    aws.advance(60)
    moment = aws.env.clock.now_datetime()
    kinesis.put_record(StreamName="orders", Data=b"late", PartitionKey="k")
    records = read_all(kinesis, "shardId-000000000000", "AT_TIMESTAMP", Timestamp=moment)
    assert [r["Data"] for r in records] == [b"late"]


def test_millis_behind_latest_says_how_old_the_next_unread_record_is(aws: Any) -> None:
    kinesis = create(aws, shards=1)
    kinesis.put_record(StreamName="orders", Data=b"a", PartitionKey="k")
    kinesis.put_record(StreamName="orders", Data=b"b", PartitionKey="k")
    aws.advance(2.5)
    iterator = kinesis.get_shard_iterator(
        StreamName="orders", ShardId="shardId-000000000000", ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    page = kinesis.get_records(ShardIterator=iterator, Limit=1)
    assert page["MillisBehindLatest"] == 2500
    assert kinesis.get_records(ShardIterator=page["NextShardIterator"])["MillisBehindLatest"] == 0


def test_a_shard_iterator_expires_after_five_minutes(aws: Any) -> None:
    kinesis = create(aws, shards=1)
    iterator = kinesis.get_shard_iterator(
        StreamName="orders", ShardId="shardId-000000000000", ShardIteratorType="LATEST"
    )["ShardIterator"]
    aws.advance(299)
    fresh = kinesis.get_records(ShardIterator=iterator)["NextShardIterator"]
    aws.advance(2)
    code, message = error_of(lambda: kinesis.get_records(ShardIterator=iterator))
    assert code == "ExpiredIteratorException"
    assert "300000 milliseconds" in message
    kinesis.get_records(ShardIterator=fresh)  # the iterator it handed back is new


def test_records_older_than_the_retention_period_are_trimmed(aws: Any) -> None:
    kinesis = create(aws, shards=1)
    kinesis.put_record(StreamName="orders", Data=b"old", PartitionKey="k")
    aws.advance(23 * 3600)
    kinesis.put_record(StreamName="orders", Data=b"new", PartitionKey="k")
    aws.advance(3600 + 1)
    assert [r["Data"] for r in read_all(kinesis, "shardId-000000000000")] == [b"new"]


def test_an_increased_retention_keeps_records_longer(aws: Any) -> None:
    kinesis = create(aws, shards=1)
    kinesis.increase_stream_retention_period(StreamName="orders", RetentionPeriodHours=48)
    kinesis.put_record(StreamName="orders", Data=b"kept", PartitionKey="k")
    aws.advance(30 * 3600)
    assert [r["Data"] for r in read_all(kinesis, "shardId-000000000000")] == [b"kept"]
    kinesis.decrease_stream_retention_period(StreamName="orders", RetentionPeriodHours=24)
    assert read_all(kinesis, "shardId-000000000000") == []


def test_retention_changes_are_checked_against_the_range_and_the_current_period(aws: Any) -> None:
    kinesis = create(aws, shards=1)
    code, message = error_of(
        lambda: kinesis.increase_stream_retention_period(StreamName="orders", RetentionPeriodHours=10)
    )
    assert (code, message) == (
        "InvalidArgumentException",
        "Minimum allowed retention period is 24 hours. Requested retention period (10 hours) is "
        "too short.",
    )
    code, message = error_of(
        lambda: kinesis.decrease_stream_retention_period(StreamName="orders", RetentionPeriodHours=48)
    )
    assert code == "InvalidArgumentException" and "Use IncreaseRetentionPeriod API." in message
    code, _ = error_of(
        lambda: kinesis.increase_stream_retention_period(StreamName="orders", RetentionPeriodHours=9000)
    )
    assert code == "InvalidArgumentException"
    summary = kinesis.describe_stream_summary(StreamName="orders")["StreamDescriptionSummary"]
    assert summary["RetentionPeriodHours"] == 24


def test_at_timestamp_accepts_an_epoch_number(aws: Any) -> None:
    kinesis = create(aws, shards=1)
    aws.advance(10)
    kinesis.put_record(StreamName="orders", Data=b"x", PartitionKey="k")
    before = aws.env.clock.now_datetime() - timedelta(seconds=5)
    records = read_all(
        kinesis, "shardId-000000000000", "AT_TIMESTAMP", Timestamp=before.timestamp()
    )
    assert [r["Data"] for r in records] == [b"x"]
    assert before.tzinfo is UTC
