"""The Kinesis stream model: hash keys, shard ranges, sequence numbers."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from eventproof_fakes.kinesis.streams import (
    HASH_KEY_SPACE,
    Stream,
    hash_key_of,
    sequence_number,
    shard_index_of,
)

CREATED = datetime(2026, 1, 1, tzinfo=UTC)


def test_the_hash_key_is_the_md5_digest_read_as_a_big_endian_128_bit_integer() -> None:
    digest = hashlib.md5(b"customer-42").hexdigest()
    assert hash_key_of("customer-42") == int(digest, 16)
    assert 0 <= hash_key_of("") < HASH_KEY_SPACE


def test_partition_keys_are_hashed_as_utf8() -> None:
    assert hash_key_of("café") == int(hashlib.md5("café".encode()).hexdigest(), 16)


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_shards_cover_the_key_space_without_gaps_or_overlaps(count: int) -> None:
    stream = Stream.with_shards("s", "arn", "PROVISIONED", CREATED, count)
    assert stream.shards[0].starting_hash_key == 0
    assert stream.shards[-1].ending_hash_key == HASH_KEY_SPACE - 1
    for left, right in zip(stream.shards, stream.shards[1:], strict=False):
        assert left.ending_hash_key + 1 == right.starting_hash_key
    for key in (0, HASH_KEY_SPACE // 2, HASH_KEY_SPACE - 1):
        assert stream.shard_for(key) in stream.shards


def test_sequence_numbers_are_56_digits_increase_per_shard_and_name_their_shard() -> None:
    stream = Stream.with_shards("s", "arn", "PROVISIONED", CREATED, 2)
    first = stream.shards[1].append("k", b"a", 0.0)
    second = stream.shards[1].append("k", b"b", 0.0)
    assert len(first.sequence_number) == 56
    assert int(second.sequence_number) > int(first.sequence_number)
    assert shard_index_of(first.sequence_number) == 1
    assert shard_index_of(sequence_number(0, 5)) == 0
    assert shard_index_of("12") is None and shard_index_of("abc") is None


def test_trimming_drops_only_records_at_or_before_the_cutoff() -> None:
    stream = Stream.with_shards("s", "arn", "PROVISIONED", CREATED, 1)
    shard = stream.shards[0]
    shard.append("k", b"old", 0.0)
    shard.append("k", b"new", 10.0)
    stream.trim(now=24 * 3600 + 5.0)
    assert [r.data for r in shard.records] == [b"new"]
    assert shard.after(0, 10) == shard.records
