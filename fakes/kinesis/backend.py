"""``Kinesis``: the fake Kinesis Data Streams service (control plane; records in ``records``).

Follows https://docs.aws.amazon.com/kinesis/latest/APIReference/. Simplified:
a stream is ACTIVE as soon as CreateStream returns (AWS passes through
CREATING); an on-demand stream keeps its 4 initial shards (AWS rescales
them with the load); enhanced fan-out consumers, tags, encryption and
throughput limits are not modelled and are refused. SplitShard,
MergeShards and UpdateShardCount are in ``resharding``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventproof_fakes.errors import AWSError
from eventproof_fakes.kinesis.errors import invalid_argument, stream_not_found
from eventproof_fakes.kinesis.records import RecordsAPI
from eventproof_fakes.kinesis.resharding import ReshardingAPI
from eventproof_fakes.kinesis.streams import Stream
from eventproof_fakes.limits import (
    KINESIS_DEFAULT_RETENTION_HOURS,
    KINESIS_MAX_RETENTION_HOURS,
    KINESIS_MAX_SHARDS_PER_ACCOUNT,
    KINESIS_ON_DEMAND_SHARDS,
)
from eventproof_fakes.operations import operation

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

_UNMODELLED = ("StreamId", "DryRun")


class Kinesis(RecordsAPI, ReshardingAPI):
    def __init__(self, env: FakeAWS) -> None:
        self.env = env
        self.streams: dict[str, Stream] = {}

    def __repr__(self) -> str:
        return f"<fake Kinesis: {len(self.streams)} streams>"

    # --- streams ------------------------------------------------------------
    @operation(
        refuses=("Tags", "WarmThroughputMiBps", "MaxRecordSizeInKiB", "RecordDistributionStrategy")
    )
    def create_stream(self, params: dict[str, Any]) -> dict[str, Any]:
        name = params["StreamName"]
        mode = (params.get("StreamModeDetails") or {}).get(
            "StreamMode", "PROVISIONED" if "ShardCount" in params else "ON_DEMAND"
        )
        if name in self.streams:
            raise AWSError(
                "ResourceInUseException",
                f"Stream {name} under account {self.env.account_id} already exists.",
            )
        if mode == "ON_DEMAND":
            if "ShardCount" in params:
                raise invalid_argument("ShardCount is not supported for ON_DEMAND streams.")
            count = KINESIS_ON_DEMAND_SHARDS
        else:
            if "ShardCount" not in params:
                raise invalid_argument("ShardCount is required for PROVISIONED streams.")
            count = params["ShardCount"]
            if count < 1:
                raise invalid_argument(f"Invalid ShardCount {count}: must be at least 1.")
        in_use = sum(len(stream.open_shards) for stream in self.streams.values())
        if in_use + count > KINESIS_MAX_SHARDS_PER_ACCOUNT:
            raise AWSError(
                "LimitExceededException",
                f"This request would exceed the shard limit for the account {self.env.account_id} "
                f"in {self.env.region}. Current shard count for the account: {in_use}. Limit: "
                f"{KINESIS_MAX_SHARDS_PER_ACCOUNT}. Number of additional shards that would have "
                f"resulted from this request: {count}.",
            )
        self.streams[name] = Stream.with_shards(
            name,
            self.env.arn("kinesis", f"stream/{name}"),
            mode,
            self.env.clock.now_datetime(),
            count,
        )
        return {}

    @operation(refuses=_UNMODELLED)
    def delete_stream(self, params: dict[str, Any]) -> dict[str, Any]:
        # EnforceConsumerDeletion has nothing to act on: no consumers are modelled.
        stream = self._stream(params)
        del self.streams[stream.name]
        return {}

    @operation(refuses=_UNMODELLED)
    def describe_stream(self, params: dict[str, Any]) -> dict[str, Any]:
        stream = self._stream(params)
        stream.trim(self.env.clock.now())
        shards = stream.shards
        start = params.get("ExclusiveStartShardId")
        if start is not None:
            shards = [s for s in shards if s.shard_id > start]
        limit = params.get("Limit", 100)
        description = self._summary(stream)
        del description["OpenShardCount"], description["ConsumerCount"]
        description["Shards"] = [s.describe() for s in shards[:limit]]
        description["HasMoreShards"] = len(shards) > limit
        return {"StreamDescription": description}

    @operation(refuses=_UNMODELLED)
    def describe_stream_summary(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"StreamDescriptionSummary": self._summary(self._stream(params))}

    @operation
    def list_streams(self, params: dict[str, Any]) -> dict[str, Any]:
        names = sorted(self.streams)
        start = params.get("ExclusiveStartStreamName") or params.get("NextToken")
        if start is not None:
            names = [n for n in names if n > start]
        limit = params.get("Limit", 100)
        page = names[:limit]
        response: dict[str, Any] = {
            "StreamNames": page,
            "HasMoreStreams": len(names) > limit,
            "StreamSummaries": [
                {
                    "StreamName": name,
                    "StreamARN": self.streams[name].arn,
                    "StreamStatus": "ACTIVE",
                    "StreamModeDetails": {"StreamMode": self.streams[name].mode},
                    "StreamCreationTimestamp": self.streams[name].created,
                }
                for name in page
            ],
        }
        if len(names) > limit:
            response["NextToken"] = page[-1]
        return response

    @operation(refuses=(*_UNMODELLED, "ShardFilter", "StreamCreationTimestamp"))
    def list_shards(self, params: dict[str, Any]) -> dict[str, Any]:
        token = params.get("NextToken")
        if token is not None:
            if "StreamName" in params or "StreamARN" in params:
                raise invalid_argument(
                    "NextToken and StreamName cannot be provided together."
                )
            name, _, start = token.partition("|")
            stream = self._named(name)
        else:
            stream = self._stream(params)
            start = params.get("ExclusiveStartShardId") or ""
        stream.trim(self.env.clock.now())
        shards = [s for s in stream.shards if s.shard_id > start]
        limit = params.get("MaxResults", 1000)
        response: dict[str, Any] = {"Shards": [s.describe() for s in shards[:limit]]}
        if len(shards) > limit:
            response["NextToken"] = f"{stream.name}|{shards[limit - 1].shard_id}"
        return response

    # --- retention ----------------------------------------------------------
    @operation(refuses=_UNMODELLED)
    def increase_stream_retention_period(self, params: dict[str, Any]) -> dict[str, Any]:
        stream = self._stream(params)
        hours = self._retention(params["RetentionPeriodHours"])
        if hours < stream.retention_hours:
            raise invalid_argument(
                f"Requested retention period ({hours} hours) for stream {stream.name} can not be "
                f"shorter than existing retention period ({stream.retention_hours} hours). "
                "Use DecreaseRetentionPeriod API."
            )
        stream.retention_hours = hours
        return {}

    @operation(refuses=_UNMODELLED)
    def decrease_stream_retention_period(self, params: dict[str, Any]) -> dict[str, Any]:
        stream = self._stream(params)
        hours = self._retention(params["RetentionPeriodHours"])
        if hours > stream.retention_hours:
            raise invalid_argument(
                f"Requested retention period ({hours} hours) for stream {stream.name} can not be "
                f"longer than existing retention period ({stream.retention_hours} hours). "
                "Use IncreaseRetentionPeriod API."
            )
        stream.retention_hours = hours
        stream.trim(self.env.clock.now())
        return {}

    # --- helpers ------------------------------------------------------------
    def stream_by_arn(self, arn: str) -> Stream | None:
        """The stream of ``arn``, if it exists (for event source mappings)."""
        stream = self.streams.get(arn.rpartition("/")[2])
        return stream if stream is not None and stream.arn == arn else None

    def _stream(self, params: dict[str, Any]) -> Stream:
        if "StreamARN" in params:
            arn = params["StreamARN"]
            stream = self.stream_by_arn(arn)
            if stream is None:
                raise stream_not_found(arn.rpartition("/")[2], self.env.account_id)
            return stream
        if "StreamName" not in params:
            raise invalid_argument("Either StreamName or StreamARN should be provided.")
        return self._named(params["StreamName"])

    def _named(self, name: str) -> Stream:
        stream = self.streams.get(name)
        if stream is None:
            raise stream_not_found(name, self.env.account_id)
        return stream

    def _summary(self, stream: Stream) -> dict[str, Any]:
        return {
            "StreamName": stream.name,
            "StreamARN": stream.arn,
            "StreamStatus": "ACTIVE",
            "StreamModeDetails": {"StreamMode": stream.mode},
            "RetentionPeriodHours": stream.retention_hours,
            "StreamCreationTimestamp": stream.created,
            "EnhancedMonitoring": [{"ShardLevelMetrics": []}],
            "EncryptionType": "NONE",
            "OpenShardCount": len(stream.open_shards),
            "ConsumerCount": 0,
        }

    @staticmethod
    def _retention(hours: int) -> int:
        if hours < KINESIS_DEFAULT_RETENTION_HOURS:
            raise invalid_argument(
                f"Minimum allowed retention period is {KINESIS_DEFAULT_RETENTION_HOURS} hours. "
                f"Requested retention period ({hours} hours) is too short."
            )
        if hours > KINESIS_MAX_RETENTION_HOURS:
            raise invalid_argument(
                f"Maximum allowed retention period is {KINESIS_MAX_RETENTION_HOURS} hours. "
                f"Requested retention period ({hours} hours) is too long."
            )
        return hours
