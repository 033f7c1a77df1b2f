"""DynamoDB Streams: one stream per table, records on the virtual clock.

Simplifications, each documented by AWS as an implementation detail a
reader must not rely on: a stream has exactly one shard, which stays open
while the stream is enabled (AWS splits and rolls shards over every few
hours); ``ApproximateCreationDateTime`` is the virtual write time, rounded
down to the second. Retention is AWS's 24 hours, measured on the virtual
clock.
"""

from __future__ import annotations

import base64
import bisect
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from eventproof_fakes.dynamodb.attributes import Item, copy_item, copy_value, item_size
from eventproof_fakes.limits import DYNAMODB_STREAM_RETENTION_SECONDS

VIEW_TYPES = ("KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES")
TTL_IDENTITY = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}


@dataclass(frozen=True)
class StreamRecord:
    """One change, as GetRecords returns it (``record``) and as Lambda delivers it."""

    sequence_number: str
    created_at: float
    record: dict[str, Any]
    event_source_arn: str

    def to_lambda_event(self) -> dict[str, Any]:
        """The record in a Lambda event: epoch-seconds time, base64 binaries, the stream ARN."""
        event = {key: value for key, value in self.record.items() if key != "dynamodb"}
        body = dict(self.record["dynamodb"])
        body["ApproximateCreationDateTime"] = float(int(self.created_at))
        for image in ("Keys", "NewImage", "OldImage"):
            if image in body:
                body[image] = {name: _json_value(v) for name, v in body[image].items()}
        event["dynamodb"] = body
        event["eventSourceARN"] = self.event_source_arn
        return event


def _json_value(value: dict[str, Any]) -> dict[str, Any]:
    ((kind, inner),) = value.items()
    if kind == "B":
        return {"B": base64.b64encode(inner).decode("ascii")}
    if kind == "BS":
        return {"BS": [base64.b64encode(b).decode("ascii") for b in inner]}
    if kind == "M":
        return {"M": {k: _json_value(v) for k, v in inner.items()}}
    if kind == "L":
        return {"L": [_json_value(v) for v in inner]}
    if kind in ("SS", "NS"):
        return {kind: list(inner)}
    return {kind: inner}


@dataclass
class Stream:
    arn: str
    label: str
    table_name: str
    view_type: str
    key_schema: list[dict[str, str]]
    created: datetime
    shard_id: str
    region: str
    enabled: bool = True
    records: list[StreamRecord] = field(default_factory=list)
    trimmed_through: int = -1  # highest sequence number dropped by retention
    # The records' sequence numbers as integers, ascending: readers bisect them.
    positions: list[int] = field(default_factory=list)
    # Writes in the same virtual second share one (immutable) creation datetime.
    _second: tuple[int, datetime] | None = field(default=None, repr=False, compare=False)

    def append(
        self,
        sequence_number: str,
        event_id: str,
        now: float,
        event_name: str,
        key_names: tuple[str, ...],
        old: Item | None,
        new: Item | None,
        user_identity: dict[str, str] | None = None,
        new_size: int | None = None,
    ) -> StreamRecord:
        """Record a change; ``new_size`` is ``item_size(new)`` if the writer already has it.

        The record keeps its own copies of the images, so no later write can
        reach it; ``Keys`` shares the (never mutated) key values of those
        copies, and every reader gets a fresh copy of the record.
        """
        second = int(now)
        if self._second is None or self._second[0] != second:
            self._second = (second, datetime.fromtimestamp(second, tz=UTC))
        view_type = self.view_type
        new_image = old_image = None
        size = 0
        if new is not None and view_type in ("NEW_IMAGE", "NEW_AND_OLD_IMAGES"):
            new_image = copy_item(new)
            size += item_size(new) if new_size is None else new_size
        if old is not None and view_type in ("OLD_IMAGE", "NEW_AND_OLD_IMAGES"):
            old_image = copy_item(old)
            size += item_size(old)
        image = new_image if new_image is not None else old_image
        if image is None:
            source = new if new is not None else old
            assert source is not None
            keys = {name: copy_value(source[name]) for name in key_names}
        else:
            keys = {name: image[name] for name in key_names}
        size += item_size(keys)
        body: dict[str, Any] = {"ApproximateCreationDateTime": self._second[1], "Keys": keys}
        if new_image is not None:
            body["NewImage"] = new_image
        if old_image is not None:
            body["OldImage"] = old_image
        body["SequenceNumber"] = sequence_number
        body["SizeBytes"] = size
        body["StreamViewType"] = self.view_type
        record: dict[str, Any] = {
            "eventID": event_id,
            "eventName": event_name,
            "eventVersion": "1.1",
            "eventSource": "aws:dynamodb",
            "awsRegion": self.region,
            "dynamodb": body,
        }
        if user_identity is not None:
            record["userIdentity"] = dict(user_identity)
        stream_record = StreamRecord(sequence_number, now, record, self.arn)
        self.records.append(stream_record)
        self.positions.append(int(sequence_number))
        return stream_record

    def trim(self, now: float) -> None:
        """Drop records older than the retention period."""
        cutoff = now - DYNAMODB_STREAM_RETENTION_SECONDS
        dropped = 0
        for stream_record in self.records:
            if stream_record.created_at > cutoff:
                break
            dropped += 1
        if dropped:
            self.trimmed_through = int(self.records[dropped - 1].sequence_number)
            del self.records[:dropped]
            del self.positions[:dropped]

    def after(self, position: int, limit: int) -> list[StreamRecord]:
        """Up to ``limit`` records with a sequence number above ``position``."""
        start = bisect.bisect_right(self.positions, position)
        return self.records[start : start + limit]

    def describe(self) -> dict[str, Any]:
        shard: dict[str, Any] = {
            "ShardId": self.shard_id,
            "SequenceNumberRange": {
                "StartingSequenceNumber": (
                    self.records[0].sequence_number if self.records else "000000000000000000000"
                )
            },
        }
        if not self.enabled and self.records:
            shard["SequenceNumberRange"]["EndingSequenceNumber"] = self.records[-1].sequence_number
        return {
            "StreamArn": self.arn,
            "StreamLabel": self.label,
            "StreamStatus": "ENABLED" if self.enabled else "DISABLED",
            "StreamViewType": self.view_type,
            "CreationRequestDateTime": self.created,
            "TableName": self.table_name,
            "KeySchema": [dict(k) for k in self.key_schema],
            "Shards": [shard],
        }


def copy_record(record: dict[str, Any]) -> dict[str, Any]:
    """A copy of a GetRecords record that a caller may mutate freely."""
    copied = dict(record)
    body = dict(record["dynamodb"])
    for image in ("Keys", "NewImage", "OldImage"):
        if image in body:
            body[image] = copy_item(body[image])
    copied["dynamodb"] = body
    if "userIdentity" in record:
        copied["userIdentity"] = dict(record["userIdentity"])
    return copied
