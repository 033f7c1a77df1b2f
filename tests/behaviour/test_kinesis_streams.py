"""Kinesis Data Streams through boto3, on the fakes and on moto.

What AWS documents: https://docs.aws.amazon.com/kinesis/latest/APIReference/
(CreateStream, PutRecord(s), GetShardIterator, GetRecords, retention) and
https://docs.aws.amazon.com/streams/latest/dev/key-concepts.html (the MD5 of
the partition key, as a 128-bit integer, picks the shard whose hash key
range holds it). Tests that need the virtual clock are skipped on moto by
``aws.advance``; those marked ``fakes_only`` cite where moto differs.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
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


# --- resharding ---------------------------------------------------------------------------
@pytest.mark.fakes_only
def test_splitting_a_shard_closes_it_and_opens_two_children_over_its_range(aws: Any) -> None:
    # https://docs.aws.amazon.com/streams/latest/dev/kinesis-using-sdk-java-after-resharding.html:
    # a closed parent takes no more records; moto 5.2 still routes writes to it.
    kinesis = create(aws, shards=1)
    kinesis.put_record(StreamName="orders", Data=b"before", PartitionKey="k")
    kinesis.split_shard(
        StreamName="orders", ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2**127)
    )
    shards = {s["ShardId"]: s for s in kinesis.list_shards(StreamName="orders")["Shards"]}
    parent = shards.pop("shardId-000000000000")
    assert "EndingSequenceNumber" in parent["SequenceNumberRange"]
    children = sorted(shards.values(), key=lambda s: int(s["HashKeyRange"]["StartingHashKey"]))
    assert [c["ParentShardId"] for c in children] == ["shardId-000000000000"] * 2
    assert [c["HashKeyRange"] for c in children] == [
        {"StartingHashKey": "0", "EndingHashKey": str(2**127 - 1)},
        {"StartingHashKey": str(2**127), "EndingHashKey": str(HASH_SPACE - 1)},
    ]
    put = kinesis.put_record(StreamName="orders", Data=b"after", PartitionKey="k")
    assert put["ShardId"] != "shardId-000000000000"
    assert [r["Data"] for r in read_all(kinesis, "shardId-000000000000")] == [b"before"]


@pytest.mark.fakes_only
def test_merging_two_adjacent_shards_opens_one_child_of_both(aws: Any) -> None:
    # As above: after the merge only the child takes writes; moto 5.2 writes to a parent.
    kinesis = create(aws, shards=2)
    kinesis.merge_shards(
        StreamName="orders",
        ShardToMerge="shardId-000000000000",
        AdjacentShardToMerge="shardId-000000000001",
    )
    shards = kinesis.list_shards(StreamName="orders")["Shards"]
    [child] = [s for s in shards if "ParentShardId" in s]
    assert (child["ParentShardId"], child["AdjacentParentShardId"]) == (
        "shardId-000000000000",
        "shardId-000000000001",
    )
    assert child["HashKeyRange"] == {"StartingHashKey": "0", "EndingHashKey": str(HASH_SPACE - 1)}
    put = kinesis.put_record(StreamName="orders", Data=b"x", PartitionKey="any")
    assert put["ShardId"] == child["ShardId"]


@pytest.mark.fakes_only
def test_reading_a_closed_shard_to_its_end_names_its_children_and_no_next_iterator(
    aws: Any,
) -> None:
    # https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetRecords.html: at the end of
    # a closed shard NextShardIterator is null and ChildShards lists its children; moto 5.2
    # keeps returning iterators and no ChildShards.
    kinesis = create(aws, shards=1)
    kinesis.put_record(StreamName="orders", Data=b"x", PartitionKey="k")
    kinesis.split_shard(
        StreamName="orders", ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2**127)
    )
    iterator = kinesis.get_shard_iterator(
        StreamName="orders", ShardId="shardId-000000000000", ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    page = kinesis.get_records(ShardIterator=iterator)
    assert [r["Data"] for r in page["Records"]] == [b"x"]
    assert "NextShardIterator" not in page
    assert [c["ShardId"] for c in page["ChildShards"]] == [
        "shardId-000000000001",
        "shardId-000000000002",
    ]
    assert page["ChildShards"][0]["ParentShards"] == ["shardId-000000000000"]


@pytest.mark.fakes_only
def test_resharding_refuses_non_adjacent_closed_and_out_of_range_shards(aws: Any) -> None:
    # https://docs.aws.amazon.com/kinesis/latest/APIReference/API_MergeShards.html and
    # API_SplitShard.html (InvalidArgumentException, ResourceInUseException); moto 5.2 merges
    # non-adjacent shards.
    kinesis = create(aws, shards=3)
    code, _ = error_of(
        lambda: kinesis.merge_shards(
            StreamName="orders",
            ShardToMerge="shardId-000000000000",
            AdjacentShardToMerge="shardId-000000000002",
        )
    )
    assert code == "InvalidArgumentException"
    code, _ = error_of(
        lambda: kinesis.split_shard(
            StreamName="orders", ShardToSplit="shardId-000000000000", NewStartingHashKey="0"
        )
    )
    assert code == "InvalidArgumentException"
    kinesis.split_shard(
        StreamName="orders", ShardToSplit="shardId-000000000000", NewStartingHashKey="100"
    )
    code, _ = error_of(
        lambda: kinesis.split_shard(
            StreamName="orders", ShardToSplit="shardId-000000000000", NewStartingHashKey="50"
        )
    )
    assert code == "ResourceInUseException"


@pytest.mark.fakes_only
def test_an_on_demand_stream_cannot_be_resharded_by_hand(aws: Any) -> None:
    # https://docs.aws.amazon.com/streams/latest/dev/how-do-i-size-a-stream.html: on-demand
    # streams scale themselves; SplitShard answers ValidationException. moto 5.2 splits them.
    kinesis = aws.client("kinesis")
    kinesis.create_stream(StreamName="orders", StreamModeDetails={"StreamMode": "ON_DEMAND"})
    code, message = error_of(
        lambda: kinesis.split_shard(
            StreamName="orders", ShardToSplit="shardId-000000000000", NewStartingHashKey="100"
        )
    )
    assert code == "ValidationException" and "On-Demand mode" in message


@pytest.mark.fakes_only
def test_a_garbled_shard_iterator_is_an_invalid_argument(aws: Any) -> None:
    # https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetRecords.html
    # (InvalidArgumentException); moto 5.2 answers a bare "Error".
    kinesis = create(aws, shards=1)
    code, _ = error_of(lambda: kinesis.get_records(ShardIterator="not-an-iterator"))
    assert code == "InvalidArgumentException"


def test_update_shard_count_doubles_the_open_shards_over_the_same_key_space(aws: Any) -> None:
    kinesis = create(aws, shards=2)
    response = kinesis.update_shard_count(
        StreamName="orders", TargetShardCount=4, ScalingType="UNIFORM_SCALING"
    )
    assert (response["CurrentShardCount"], response["TargetShardCount"]) == (2, 4)
    summary = kinesis.describe_stream_summary(StreamName="orders")["StreamDescriptionSummary"]
    assert summary["OpenShardCount"] == 4


@pytest.mark.fakes_only
def test_update_shard_count_halves_by_merging_neighbours_and_refuses_other_targets(
    aws: Any,
) -> None:
    # https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateShardCount.html; the
    # fakes model doubling and halving only and refuse the rest by name (moto re-creates shards).
    kinesis = create(aws, shards=4)
    kinesis.update_shard_count(StreamName="orders", TargetShardCount=2, ScalingType="UNIFORM_SCALING")
    shards = kinesis.list_shards(StreamName="orders")["Shards"]
    children = [s for s in shards if "AdjacentParentShardId" in s]
    assert [(c["ParentShardId"], c["AdjacentParentShardId"]) for c in children] == [
        ("shardId-000000000000", "shardId-000000000001"),
        ("shardId-000000000002", "shardId-000000000003"),
    ]
    code, message = error_of(
        lambda: kinesis.update_shard_count(
            StreamName="orders", TargetShardCount=3, ScalingType="UNIFORM_SCALING"
        )
    )
    assert code == "InvalidArgumentException" and "SplitShard and MergeShards" in message
