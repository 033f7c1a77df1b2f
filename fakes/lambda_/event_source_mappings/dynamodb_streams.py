"""The DynamoDB Streams event source: its poller and its registration.

Simplified: one shard per stream (the DynamoDB fake's streams have one);
``ParallelizationFactor`` above 1 is refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventproof_fakes import observe
from eventproof_fakes.lambda_.errors import invalid_parameter
from eventproof_fakes.lambda_.event_source_mappings.mapping import EventSourceMapping
from eventproof_fakes.lambda_.event_source_mappings.registry import (
    EventSourceKind,
    register_event_source,
)
from eventproof_fakes.lambda_.event_source_mappings.stream_settings import (
    configure_stream,
    describe_stream,
    require_starting_position,
)
from eventproof_fakes.lambda_.event_source_mappings.streams import (
    ShardLane,
    ShardSource,
    iso_seconds,
)
from eventproof_fakes.limits import DYNAMODB_STREAM_RETENTION_SECONDS

if TYPE_CHECKING:
    from eventproof_fakes.lambda_.backend import Lambda

DEFAULT_SHARD_ID = "shardId-00000001767225600000-00000000"


class StreamPoller(ShardLane):
    """A ``Pump`` reading one DynamoDB stream from its checkpoint."""

    def __init__(self, lambda_: Lambda, mapping: EventSourceMapping) -> None:
        env = lambda_.env
        arn = mapping.source_arn

        def read(after: str | None, limit: int) -> list[Any]:
            return list(env.dynamodb.read_stream(arn, after, limit))

        source = ShardSource(
            read=read,
            shard_id=DEFAULT_SHARD_ID,
            # The fault channel names the table: arn:...:table/<name>/stream/<label>.
            channel="stream:" + arn.split("/")[1],
            trigger="stream",
            retention=lambda: DYNAMODB_STREAM_RETENTION_SECONDS,
            batch_info_key="DDBStreamBatchInfo",
            failure_kind=observe.STREAM_BATCH_INFO,
            arrival_text=iso_seconds,
            to_event=lambda record: record.to_lambda_event(),
            filter_view=lambda record: record.to_lambda_event(),
        )
        start_after = _latest(read) if mapping.starting_position == "LATEST" else None
        super().__init__(lambda_, mapping, source, start_after)


def _latest(read: Any) -> str | None:
    last: str | None = None
    while True:
        records = read(last, 1000)
        if not records:
            return last
        last = records[-1].sequence_number


def _check_stream(lambda_: Lambda, source: str, params: dict[str, Any]) -> None:
    require_starting_position(params, ("TRIM_HORIZON", "LATEST"), "DynamoDB streams")
    if "/stream/" not in source:
        raise invalid_parameter(f"Stream not found: {source}")


DYNAMODB_STREAMS = register_event_source(
    EventSourceKind(
        service="dynamodb",
        conflict_label="event source",
        trigger="stream",
        record_contract="DynamoDBStreamRecord",
        default_batch_size=100,
        check_source=_check_stream,
        configure=lambda mapping, params: configure_stream(mapping, params, parallel=False),
        make_poller=StreamPoller,
        describe=describe_stream,
        failure_kind=observe.STREAM_BATCH_INFO,
        failure_contract="LambdaStreamOnFailure",
    )
)

__all__ = ["DYNAMODB_STREAMS", "StreamPoller"]
