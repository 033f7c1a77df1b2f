"""A Kinesis data stream: shards over the 128-bit hash key space, records with sequence numbers.

As https://docs.aws.amazon.com/streams/latest/dev/key-concepts.html describes:
the partition key's MD5 digest, read as a 128-bit unsigned integer, is the
record's hash key (or ``ExplicitHashKey`` if given), and the open shard whose
hash key range holds it receives the record. A new stream's shards split the
key space evenly. Sequence numbers are decimal strings, increasing within a
shard; here each one encodes its shard, so a sequence number used on the
wrong shard is recognised as on AWS. Records older than the retention period
(24 hours by default, on the virtual clock) are trimmed.

Resharding (https://docs.aws.amazon.com/streams/latest/dev/kinesis-using-sdk-java-resharding.html):
a split or merge closes its parent shards (they keep their records, readable
until retention trims them, and take no more writes) and opens children
that name their parents. A closed shard leaves the listing once its last
record has outlived the retention period.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

HASH_KEY_SPACE = 2**128
# 56-digit sequence numbers like AWS's: a fixed prefix, the shard, a counter.
_SEQUENCE_BASE = 4959 * 10**52
_SHARD_STRIDE = 10**36


def hash_key_of(partition_key: str) -> int:
    """The MD5 of the partition key as a 128-bit unsigned integer (AWS's mapping)."""
    return int.from_bytes(hashlib.md5(partition_key.encode("utf-8")).digest(), "big")


def shard_id(index: int) -> str:
    return f"shardId-{index:012d}"


def sequence_number(shard_index: int, counter: int) -> str:
    return str(_SEQUENCE_BASE + shard_index * _SHARD_STRIDE + counter)


def shard_index_of(sequence: str) -> int | None:
    """The shard a sequence number of ours belongs to; None if it is none of ours."""
    if not sequence.isdigit():
        return None
    index, counter = divmod(int(sequence) - _SEQUENCE_BASE, _SHARD_STRIDE)
    return index if index >= 0 and counter >= 0 else None


@dataclass(frozen=True, slots=True)
class KinesisRecord:
    sequence_number: str
    created_at: float  # virtual time of arrival
    partition_key: str
    data: bytes
    shard_id: str
    position: int  # int(sequence_number)


@dataclass
class Shard:
    index: int
    starting_hash_key: int
    ending_hash_key: int
    parent_shard_id: str | None = None
    adjacent_parent_shard_id: str | None = None
    records: list[KinesisRecord] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    counter: int = 0
    closed_at: float | None = None  # virtual time of the split or merge that closed it

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def parents(self) -> tuple[str, ...]:
        return tuple(p for p in (self.parent_shard_id, self.adjacent_parent_shard_id) if p)

    @property
    def ending_sequence_number(self) -> str:
        """The last sequence number a closed shard holds (its starting one if it holds none)."""
        return sequence_number(self.index, self.counter)

    @property
    def shard_id(self) -> str:
        return shard_id(self.index)

    @property
    def starting_sequence_number(self) -> str:
        return sequence_number(self.index, 0)

    def append(self, partition_key: str, data: bytes, now: float) -> KinesisRecord:
        self.counter += 1
        sequence = sequence_number(self.index, self.counter)
        record = KinesisRecord(
            sequence, now, partition_key, data, self.shard_id, int(sequence)
        )
        self.records.append(record)
        self.positions.append(record.position)
        return record

    def after(self, position: int, limit: int) -> list[KinesisRecord]:
        """Up to ``limit`` records with a sequence number above ``position``."""
        start = bisect.bisect_right(self.positions, position)
        return self.records[start : start + limit]

    def trim(self, cutoff: float) -> None:
        dropped = 0
        for record in self.records:
            if record.created_at > cutoff:
                break
            dropped += 1
        if dropped:
            del self.records[:dropped]
            del self.positions[:dropped]

    def describe(self) -> dict[str, Any]:
        description: dict[str, Any] = {"ShardId": self.shard_id}
        if self.parent_shard_id:
            description["ParentShardId"] = self.parent_shard_id
        if self.adjacent_parent_shard_id:
            description["AdjacentParentShardId"] = self.adjacent_parent_shard_id
        description["HashKeyRange"] = self.hash_key_range()
        description["SequenceNumberRange"] = {
            "StartingSequenceNumber": self.starting_sequence_number
        }
        if not self.is_open:
            description["SequenceNumberRange"]["EndingSequenceNumber"] = (
                self.ending_sequence_number
            )
        return description

    def hash_key_range(self) -> dict[str, str]:
        return {
            "StartingHashKey": str(self.starting_hash_key),
            "EndingHashKey": str(self.ending_hash_key),
        }


@dataclass
class Stream:
    name: str
    arn: str
    mode: str  # "PROVISIONED" | "ON_DEMAND"
    created: datetime
    shards: list[Shard]
    retention_hours: int = 24

    @classmethod
    def with_shards(
        cls, name: str, arn: str, mode: str, created: datetime, count: int
    ) -> Stream:
        """A new stream: ``count`` shards splitting the hash key space evenly."""
        width = HASH_KEY_SPACE // count
        shards = [
            Shard(
                index,
                index * width,
                HASH_KEY_SPACE - 1 if index == count - 1 else (index + 1) * width - 1,
            )
            for index in range(count)
        ]
        return cls(name, arn, mode, created, shards)

    @property
    def open_shards(self) -> list[Shard]:
        return [shard for shard in self.shards if shard.is_open]

    def children_of(self, shard: Shard) -> list[Shard]:
        return [child for child in self.shards if shard.shard_id in child.parents]

    def split(self, parent: Shard, new_starting_hash_key: int, now: float) -> None:
        parent.closed_at = now
        index = max(s.index for s in self.shards) + 1
        self.shards += [
            Shard(index, parent.starting_hash_key, new_starting_hash_key - 1, parent.shard_id),
            Shard(index + 1, new_starting_hash_key, parent.ending_hash_key, parent.shard_id),
        ]

    def merge(self, shard: Shard, adjacent: Shard, now: float) -> None:
        shard.closed_at = adjacent.closed_at = now
        low, high = sorted((shard, adjacent), key=lambda s: s.starting_hash_key)
        index = max(s.index for s in self.shards) + 1
        self.shards.append(
            Shard(
                index,
                low.starting_hash_key,
                high.ending_hash_key,
                shard.shard_id,
                adjacent.shard_id,
            )
        )

    def shard_for(self, hash_key: int) -> Shard:
        for shard in self.open_shards:
            if shard.starting_hash_key <= hash_key <= shard.ending_hash_key:
                return shard
        raise AssertionError(f"no shard holds hash key {hash_key}")  # the ranges cover 0..2**128-1

    def shard(self, shard_id_: str) -> Shard | None:
        for shard in self.shards:
            if shard.shard_id == shard_id_:
                return shard
        return None

    def trim(self, now: float) -> None:
        cutoff = now - self.retention_hours * 3600
        for shard in self.shards:
            shard.trim(cutoff)
        self.shards = [
            s for s in self.shards if s.is_open or s.records or (s.closed_at or 0) > cutoff
        ]
