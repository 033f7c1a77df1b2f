"""Kinesis Data Streams through boto3, on the fakes and on moto: streams and writes.

What AWS documents: https://docs.aws.amazon.com/kinesis/latest/APIReference/
(CreateStream, PutRecord(s), GetShardIterator, GetRecords, retention) and
https://docs.aws.amazon.com/streams/latest/dev/key-concepts.html (the MD5 of
the partition key, as a 128-bit integer, picks the shard whose hash key
range holds it). Tests that need the virtual clock are skipped on moto by
``aws.advance``; those marked ``fakes_only`` cite where moto differs.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.behaviour.kinesis_helpers import (
    HASH_SPACE,
    create,
    error_of,
    md5_hash_key,
    read_all,
    shard_of,
)


# --- streams ------------------------------------------------------------------------
def test_a_provisioned_stream_has_its_shards_active_with_24_hour_retention(aws: Any) -> None:
    kinesis = create(aws, shards=3)
    description = kinesis.describe_stream(StreamName="orders")["StreamDescription"]
    assert description["StreamStatus"] == "ACTIVE"
    assert description["StreamARN"] == "arn:aws:kinesis:us-east-1:123456789012:stream/orders"
    assert description["RetentionPeriodHours"] == 24
    assert [s["ShardId"] for s in description["Shards"]] == [
        "shardId-000000000000",
        "shardId-000000000001",
        "shardId-000000000002",
    ]
    assert description["HasMoreShards"] is False


def test_new_shards_split_the_128_bit_hash_key_space_evenly_and_completely(aws: Any) -> None:
    kinesis = create(aws, shards=3)
    shards = kinesis.describe_stream(StreamName="orders")["StreamDescription"]["Shards"]
    ranges = [
        (int(s["HashKeyRange"]["StartingHashKey"]), int(s["HashKeyRange"]["EndingHashKey"]))
        for s in shards
    ]
    assert ranges[0][0] == 0 and ranges[-1][1] == HASH_SPACE - 1
    assert all(ranges[i][1] + 1 == ranges[i + 1][0] for i in range(len(ranges) - 1))
    assert ranges[1][0] == HASH_SPACE // 3


def test_an_on_demand_stream_starts_with_four_shards(aws: Any) -> None:
    kinesis = aws.client("kinesis")
    kinesis.create_stream(StreamName="orders", StreamModeDetails={"StreamMode": "ON_DEMAND"})
    summary = kinesis.describe_stream_summary(StreamName="orders")["StreamDescriptionSummary"]
    assert summary["StreamModeDetails"] == {"StreamMode": "ON_DEMAND"}
    assert summary["OpenShardCount"] == 4


def test_the_summary_names_mode_retention_and_open_shards(aws: Any) -> None:
    kinesis = create(aws, shards=2)
    summary = kinesis.describe_stream_summary(StreamName="orders")["StreamDescriptionSummary"]
    assert summary["StreamModeDetails"] == {"StreamMode": "PROVISIONED"}
    assert (summary["OpenShardCount"], summary["RetentionPeriodHours"]) == (2, 24)
    assert summary["EncryptionType"] == "NONE"


def test_list_streams_names_every_stream_with_its_summary(aws: Any) -> None:
    kinesis = create(aws, "orders")
    create(aws, "audit", shards=1)
    listed = kinesis.list_streams()
    assert sorted(listed["StreamNames"]) == ["audit", "orders"]
    assert listed["HasMoreStreams"] is False
    arns = {s["StreamName"]: s["StreamARN"] for s in listed["StreamSummaries"]}
    assert arns["audit"].endswith(":stream/audit")


def test_list_shards_lists_every_shard_of_the_stream(aws: Any) -> None:
    kinesis = create(aws, shards=3)
    shards = kinesis.list_shards(StreamName="orders")["Shards"]
    assert [s["ShardId"] for s in shards] == [f"shardId-00000000000{i}" for i in range(3)]


@pytest.mark.fakes_only
def test_list_shards_pages_with_max_results_and_next_token(aws: Any) -> None:
    # https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListShards.html: NextToken
    # replaces StreamName on later pages. moto 5.2 ignores MaxResults.
    kinesis = create(aws, shards=3)
    first = kinesis.list_shards(StreamName="orders", MaxResults=2)
    second = kinesis.list_shards(NextToken=first["NextToken"])
    assert [s["ShardId"] for s in first["Shards"] + second["Shards"]] == [
        f"shardId-00000000000{i}" for i in range(3)
    ]
    assert "NextToken" not in second


def test_creating_a_stream_that_exists_is_a_resource_in_use_error(aws: Any) -> None:
    kinesis = create(aws)
    code, _ = error_of(lambda: kinesis.create_stream(StreamName="orders", ShardCount=1))
    assert code == "ResourceInUseException"


def test_a_missing_stream_is_not_found_with_aws_message(aws: Any) -> None:
    kinesis = aws.client("kinesis")
    code, message = error_of(lambda: kinesis.describe_stream(StreamName="nope"))
    assert code == "ResourceNotFoundException"
    assert message == "Stream nope under account 123456789012 not found."


def test_a_deleted_stream_is_gone(aws: Any) -> None:
    kinesis = create(aws)
    kinesis.delete_stream(StreamName="orders")
    code, _ = error_of(lambda: kinesis.put_record(StreamName="orders", Data=b"x", PartitionKey="k"))
    assert code == "ResourceNotFoundException"


def test_a_stream_is_addressed_by_its_arn_as_well_as_its_name(aws: Any) -> None:
    kinesis = create(aws, shards=1)
    arn = "arn:aws:kinesis:us-east-1:123456789012:stream/orders"
    kinesis.put_record(StreamARN=arn, Data=b"by-arn", PartitionKey="k")
    assert [r["Data"] for r in read_all(kinesis, "shardId-000000000000")] == [b"by-arn"]


# --- writing ------------------------------------------------------------------------
def test_a_record_goes_to_the_shard_holding_the_md5_of_its_partition_key(aws: Any) -> None:
    kinesis = create(aws, shards=4)
    for key in ("alpha", "bravo", "charlie", "delta", "echo"):
        put = kinesis.put_record(StreamName="orders", Data=b"x", PartitionKey=key)
        assert put["ShardId"] == shard_of(kinesis, md5_hash_key(key)), key


def test_an_explicit_hash_key_overrides_the_partition_key(aws: Any) -> None:
    kinesis = create(aws, shards=2)
    low = kinesis.put_record(StreamName="orders", Data=b"x", PartitionKey="k", ExplicitHashKey="0")
    high = kinesis.put_record(
        StreamName="orders", Data=b"x", PartitionKey="k", ExplicitHashKey=str(3 * HASH_SPACE // 4)
    )
    assert (low["ShardId"], high["ShardId"]) == ("shardId-000000000000", "shardId-000000000001")


def test_put_records_answers_each_record_in_order_on_its_shard(aws: Any) -> None:
    kinesis = create(aws, shards=3)
    keys = [f"customer-{i}" for i in range(8)]
    response = kinesis.put_records(
        StreamName="orders", Records=[{"Data": k.encode(), "PartitionKey": k} for k in keys]
    )
    assert response["FailedRecordCount"] == 0
    assert [r["ShardId"] for r in response["Records"]] == [
        shard_of(kinesis, md5_hash_key(k)) for k in keys
    ]


def test_sequence_numbers_increase_within_a_shard(aws: Any) -> None:
    kinesis = create(aws, shards=1)
    numbers = [
        int(kinesis.put_record(StreamName="orders", Data=b"x", PartitionKey=str(i))["SequenceNumber"])
        for i in range(5)
    ]
    assert numbers == sorted(numbers) and len(set(numbers)) == 5


def test_put_records_refuses_more_than_500_records(aws: Any) -> None:
    kinesis = create(aws, shards=1)
    code, _ = error_of(
        lambda: kinesis.put_records(
            StreamName="orders", Records=[{"Data": b"x", "PartitionKey": "k"}] * 501
        )
    )
    assert code == "ValidationException"


@pytest.mark.fakes_only
def test_a_record_larger_than_1_mib_is_refused(aws: Any) -> None:
    # https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecord.html: Data is at most
    # 1 MiB (1048576 bytes); moto 5.2 checks it only in PutRecords.
    kinesis = create(aws, shards=1)
    code, message = error_of(
        lambda: kinesis.put_record(StreamName="orders", Data=b"x" * (1024 * 1024 + 1), PartitionKey="k")
    )
    assert code == "ValidationException"
    assert "less than or equal to 1048576" in message
    kinesis.put_record(StreamName="orders", Data=b"x" * (1024 * 1024 - 1), PartitionKey="k")


@pytest.mark.fakes_only
def test_an_unmodelled_parameter_is_refused_by_name(aws: Any) -> None:
    # The fakes refuse what they do not model rather than ignore it (moto stores tags).
    kinesis = aws.client("kinesis")
    code, message = error_of(
        lambda: kinesis.create_stream(StreamName="orders", ShardCount=1, Tags={"team": "a"})
    )
    assert code == "UnsupportedParameter" and "Tags" in message
