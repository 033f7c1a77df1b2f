"""Kinesis as a Lambda event source: the poller and its registration, as
https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html,
https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html and
https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis-filtering.html describe it.

Each shard is read in order (the shared ``ShardLane`` machinery: batches,
batching window, retries blocking the shard, bisect, record age, OnFailure
with ``KinesisBatchInfo``, ReportBatchItemFailures checkpoints, tumbling
windows). With
``ParallelizationFactor`` N each shard is read by N lanes, a partition key
always in the same lane: records of one key stay in order and a failing
batch blocks only its lane. Filters see only ``data``, parsed as JSON when
it is JSON. Handler runs happen one at a time on the virtual clock, so
"concurrent" batches are interleaved, never simultaneous.
After a split or merge the children are read once their parents have been
read to the end, as AWS does. Simplified: a changed ParallelizationFactor
re-forms the lanes from the lowest checkpoint of each shard, redelivering
what other lanes had passed (at-least-once).
"""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any

from eventproof_fakes.kinesis.records import epoch_of
from eventproof_fakes.kinesis.streams import KinesisRecord, Shard, Stream, hash_key_of
from eventproof_fakes.lambda_.errors import invalid_parameter
from eventproof_fakes.lambda_.event_source_mappings import (
    EventSourceKind,
    EventSourceMapping,
    ShardLane,
    ShardSource,
    register_event_source,
)
from eventproof_fakes.lambda_.event_source_mappings.stream_settings import (
    configure_stream,
    describe_stream,
    require_starting_position,
)
from eventproof_fakes.lambda_.event_source_mappings.streams import iso_millis

if TYPE_CHECKING:
    from eventproof_fakes.kinesis.backend import Kinesis
    from eventproof_fakes.lambda_.backend import Lambda

KINESIS_EVENT = "lambda:kinesis"
KINESIS_BATCH_INFO = "lambda:kinesis-batch-info"
STARTING_POSITIONS = ("TRIM_HORIZON", "LATEST", "AT_TIMESTAMP")


class KinesisPoller:
    """A ``Pump``: one ``ShardLane`` per shard and parallel lane; parents before children."""

    def __init__(self, lambda_: Lambda, mapping: EventSourceMapping) -> None:
        self._lambda = lambda_
        self._env = lambda_.env
        self.mapping = mapping
        stream = self._kinesis.stream_by_arn(mapping.source_arn)
        assert stream is not None  # checked by _check_stream
        self._stream = stream
        self._role = self._function_role()
        self._factor = mapping.parallelization_factor
        # Shards present now start at StartingPosition; later children at their start.
        self._initial = {shard.shard_id for shard in stream.shards}
        self._lanes_of: dict[str, list[ShardLane]] = {}
        self._lanes: list[ShardLane] = []
        self._next = 0
        self._add_ready_shards()

    @property
    def _kinesis(self) -> Kinesis:
        return self._env.kinesis

    def pump(self) -> bool:
        if self._kinesis.stream_by_arn(self.mapping.source_arn) is not self._stream:
            return False  # the stream was deleted: nothing more to read
        if self.mapping.parallelization_factor != self._factor:
            self._reform_lanes()
        self._stream.trim(self._env.clock.now())
        self._add_ready_shards()
        # Round robin: every lane gets its turn, as concurrent pollers would.
        count = len(self._lanes)
        for offset in range(count):
            lane = self._lanes[(self._next + offset) % count]
            if lane.pump():
                self._next = (self._next + offset + 1) % count
                return True
        return False

    def next_wakeup(self) -> float | None:
        if self._kinesis.stream_by_arn(self.mapping.source_arn) is not self._stream:
            return None
        wakeups = [w for w in (lane.next_wakeup() for lane in self._lanes) if w is not None]
        return min(wakeups) if wakeups else None

    # --- lanes --------------------------------------------------------------
    def _add_ready_shards(self) -> None:
        """Start reading every shard whose parents have been read to their end."""
        for shard in self._stream.shards:
            if shard.shard_id in self._lanes_of:
                continue
            if all(self._finished(parent) for parent in shard.parents):
                start = self._start_after(shard) if shard.shard_id in self._initial else None
                lanes = [self._lane(shard, lane, start) for lane in range(self._factor)]
                self._lanes_of[shard.shard_id] = lanes
                self._lanes += lanes

    def _finished(self, shard_id: str) -> bool:
        shard = self._stream.shard(shard_id)
        if shard is None:
            return True  # trimmed away with all its records
        lanes = self._lanes_of.get(shard_id)
        return lanes is not None and not shard.is_open and all(lane.at_end() for lane in lanes)

    def _lane(self, shard: Shard, lane: int, start_after: str | None) -> ShardLane:
        factor = self._factor
        stream = self._stream

        def read(after: str | None, limit: int) -> list[KinesisRecord]:
            position = int(after) if after is not None else int(shard.starting_sequence_number)
            if factor == 1:
                return shard.after(position, limit)
            found: list[KinesisRecord] = []
            step = max(limit, 100)
            while len(found) < limit:
                chunk = shard.after(position, step)
                if not chunk:
                    break
                found += [r for r in chunk if hash_key_of(r.partition_key) % factor == lane]
                position = chunk[-1].position
            return found[:limit]

        source = ShardSource(
            read=read,
            shard_id=shard.shard_id,
            channel="kinesis:" + stream.name,
            trigger="kinesis",
            retention=lambda: stream.retention_hours * 3600,
            batch_info_key="KinesisBatchInfo",
            failure_kind=KINESIS_BATCH_INFO,
            arrival_text=iso_millis,
            to_event=self._event,
            filter_view=_filter_view,
        )
        return ShardLane(self._lambda, self.mapping, source, start_after)

    def _reform_lanes(self) -> None:
        self._factor = self.mapping.parallelization_factor
        lanes_of: dict[str, list[ShardLane]] = {}
        for shard_id, old in self._lanes_of.items():
            shard = self._stream.shard(shard_id)
            if shard is None:
                continue
            checkpoints = [lane.checkpoint for lane in old]
            start = None
            if None not in checkpoints:
                start = min((c for c in checkpoints if c is not None), key=int)
            lanes_of[shard_id] = [self._lane(shard, lane, start) for lane in range(self._factor)]
        self._lanes_of = lanes_of
        self._lanes = [lane for lanes in lanes_of.values() for lane in lanes]
        self._next = 0

    def _start_after(self, shard: Shard) -> str | None:
        position = self.mapping.starting_position
        if position == "LATEST":
            return shard.records[-1].sequence_number if shard.records else None
        if position == "AT_TIMESTAMP":
            moment = epoch_of(self.mapping.starting_position_timestamp)
            before = [r for r in shard.records if r.created_at < moment]
            return before[-1].sequence_number if before else None
        return None

    # --- shapes -------------------------------------------------------------
    def _event(self, record: KinesisRecord) -> dict[str, Any]:
        """The record as Lambda hands it over (the with-kinesis.html example event)."""
        return {
            "kinesis": {
                "kinesisSchemaVersion": "1.0",
                "partitionKey": record.partition_key,
                "sequenceNumber": record.sequence_number,
                "data": base64.b64encode(record.data).decode("ascii"),
                "approximateArrivalTimestamp": round(record.created_at, 3),
            },
            "eventSource": "aws:kinesis",
            "eventVersion": "1.0",
            "eventID": f"{record.shard_id}:{record.sequence_number}",
            "eventName": "aws:kinesis:record",
            "invokeIdentityArn": self._role,
            "awsRegion": self._env.region,
            "eventSourceARN": self.mapping.source_arn,
        }

    def _function_role(self) -> str:
        function = self._lambda.functions.get(self.mapping.function_name)
        role = function.role if function is not None else ""
        return role or f"arn:aws:iam::{self._env.account_id}:role/lambda-role"


def _filter_view(record: KinesisRecord) -> dict[str, Any]:
    """Kinesis filters see only ``data``: the JSON value if it is JSON, else its base64 text."""
    try:
        return {"data": json.loads(record.data)}
    except (UnicodeDecodeError, ValueError):
        return {"data": base64.b64encode(record.data).decode("ascii")}


def _check_stream(lambda_: Lambda, source: str, params: dict[str, Any]) -> None:
    require_starting_position(params, STARTING_POSITIONS, "Kinesis streams")
    if params["StartingPosition"] == "AT_TIMESTAMP" and "StartingPositionTimestamp" not in params:
        raise invalid_parameter(
            "StartingPositionTimestamp must be provided when StartingPosition is AT_TIMESTAMP."
        )
    stream: Stream | None = lambda_.env.kinesis.stream_by_arn(source)
    if stream is None:
        raise invalid_parameter(f"Stream not found: {source}")


KINESIS_STREAMS = register_event_source(
    EventSourceKind(
        service="kinesis",
        conflict_label="event source",
        trigger="kinesis",
        record_contract="KinesisRecord",
        default_batch_size=100,
        check_source=_check_stream,
        configure=lambda mapping, params: configure_stream(mapping, params, parallel=True),
        make_poller=KinesisPoller,
        describe=describe_stream,
        failure_kind=KINESIS_BATCH_INFO,
        failure_contract="LambdaKinesisOnFailure",
    )
)

__all__ = ["KINESIS_BATCH_INFO", "KINESIS_EVENT", "KINESIS_STREAMS", "KinesisPoller"]
