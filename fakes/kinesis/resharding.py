"""SplitShard and MergeShards, as the Kinesis API reference describes them.

https://docs.aws.amazon.com/kinesis/latest/APIReference/API_SplitShard.html and
https://docs.aws.amazon.com/kinesis/latest/APIReference/API_MergeShards.html:
the parents close at once (AWS passes through UPDATING for a few seconds;
here the stream stays ACTIVE), the children take every later write, and a
consumer reads a parent to its end before its children. On-demand streams
reshard themselves and refuse all three.
UpdateShardCount (UNIFORM_SCALING) is modelled for doubling (every open
shard splits in half) and halving (adjacent pairs merge), where the lineage
is one generation as AWS's would be; other targets are refused: AWS reaches
them through intermediate shards it does not document.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventproof_fakes.errors import AWSError
from eventproof_fakes.kinesis.errors import invalid_argument
from eventproof_fakes.kinesis.streams import Shard, Stream
from eventproof_fakes.operations import operation

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

_UNMODELLED = ("StreamId",)


class ReshardingAPI:
    """Mixed into ``Kinesis``."""

    env: FakeAWS

    def _stream(self, params: dict[str, Any]) -> Stream:
        raise NotImplementedError  # provided by Kinesis

    @operation(refuses=_UNMODELLED)
    def split_shard(self, params: dict[str, Any]) -> dict[str, Any]:
        stream = self._provisioned(params)
        parent = self._open_shard(stream, params["ShardToSplit"])
        text = params["NewStartingHashKey"]
        new_key = int(text) if text.isdigit() else -1
        if not parent.starting_hash_key < new_key <= parent.ending_hash_key:
            raise invalid_argument(
                f"NewStartingHashKey {text} used in SplitShard() on shard {parent.shard_id} in "
                f"stream {stream.name} under account {self.env.account_id} is not both greater "
                f"than one plus the shard's StartingHashKey {parent.starting_hash_key} and less "
                f"than the shard's EndingHashKey {parent.ending_hash_key}."
            )
        stream.split(parent, new_key, self.env.clock.now())
        return {}

    @operation(refuses=_UNMODELLED)
    def merge_shards(self, params: dict[str, Any]) -> dict[str, Any]:
        stream = self._provisioned(params)
        shard = self._open_shard(stream, params["ShardToMerge"])
        adjacent = self._open_shard(stream, params["AdjacentShardToMerge"])
        low, high = sorted((shard, adjacent), key=lambda s: s.starting_hash_key)
        if shard is adjacent or low.ending_hash_key + 1 != high.starting_hash_key:
            raise invalid_argument(
                f"Shards {shard.shard_id} and {adjacent.shard_id} in stream {stream.name} under "
                f"account {self.env.account_id} are not an adjacent pair of shards eligible "
                "for merging"
            )
        stream.merge(shard, adjacent, self.env.clock.now())
        return {}

    @operation(refuses=_UNMODELLED)
    def update_shard_count(self, params: dict[str, Any]) -> dict[str, Any]:
        stream = self._provisioned(params)
        shards = sorted(stream.open_shards, key=lambda s: s.starting_hash_key)
        current, target = len(shards), params["TargetShardCount"]
        if params["ScalingType"] != "UNIFORM_SCALING":
            raise invalid_argument(f"Unsupported ScalingType {params['ScalingType']}.")
        now = self.env.clock.now()
        if target == 2 * current:
            for shard in shards:
                middle = (shard.starting_hash_key + shard.ending_hash_key + 1) // 2
                stream.split(shard, middle, now)
        elif current % 2 == 0 and target * 2 == current:
            for low, high in zip(shards[::2], shards[1::2], strict=True):
                stream.merge(low, high, now)
        else:
            raise invalid_argument(
                f"eventproof's fake kinesis models UpdateShardCount only to double or halve the "
                f"open shards ({current} -> {2 * current} or {current // 2 if current % 2 == 0 else 'n/a'}); "
                f"use SplitShard and MergeShards to reach {target}"
            )
        return {
            "StreamName": stream.name,
            "CurrentShardCount": current,
            "TargetShardCount": target,
            "StreamARN": stream.arn,
        }

    def _provisioned(self, params: dict[str, Any]) -> Stream:
        stream = self._stream(params)
        if stream.mode == "ON_DEMAND":
            raise AWSError(
                "ValidationException",
                f"Request is invalid. Stream {stream.name} under account "
                f"{self.env.account_id} is in On-Demand mode.",
            )
        return stream

    def _open_shard(self, stream: Stream, shard_id: str) -> Shard:
        shard = stream.shard(shard_id)
        if shard is None:
            raise AWSError(
                "ResourceNotFoundException",
                f"Could not find shard {shard_id} in stream {stream.name} under account "
                f"{self.env.account_id}.",
            )
        if not shard.is_open:
            raise AWSError(
                "ResourceInUseException",
                f"Shard {shard_id} in stream {stream.name} under account {self.env.account_id} "
                "has already been merged or split, and thus is not eligible for merging or "
                "splitting.",
            )
        return shard
