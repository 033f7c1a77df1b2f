"""Kinesis Data Streams through boto3, on the fakes and on moto: splits, merges, shard counts.

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
    read_all,
)


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
