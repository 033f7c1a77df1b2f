"""PutRecord(s), GetShardIterator and GetRecords: the data plane of the Kinesis fake.

``Data`` is a blob: boto3 callers pass bytes (or text, which botocore
encodes as UTF-8) and get bytes back, as botocore's parser gives them after
base64-decoding AWS's JSON. A shard iterator is an opaque string that names
the stream, the shard, the position and when it was issued; it expires
after 5 minutes of virtual time, as on AWS.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from botocore.utils import parse_timestamp

from eventproof_fakes.errors import AWSError
from eventproof_fakes.kinesis.errors import invalid_argument, validation
from eventproof_fakes.kinesis.streams import (
    HASH_KEY_SPACE,
    Shard,
    Stream,
    hash_key_of,
    shard_index_of,
)
from eventproof_fakes.limits import (
    KINESIS_ITERATOR_LIFETIME_SECONDS,
    KINESIS_MAX_GET_RECORDS,
    KINESIS_MAX_PARTITION_KEY_LENGTH,
    KINESIS_MAX_PUT_RECORDS_ENTRIES,
    KINESIS_MAX_PUT_RECORDS_SIZE,
    KINESIS_MAX_RECORD_SIZE,
)
from eventproof_fakes.operations import operation

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

ITERATOR_TYPES = (
    "AT_SEQUENCE_NUMBER",
    "AFTER_SEQUENCE_NUMBER",
    "TRIM_HORIZON",
    "LATEST",
    "AT_TIMESTAMP",
)
_UNMODELLED = ("StreamId", "DryRun")


def blob(value: Any) -> bytes:
    """A blob parameter as bytes: what botocore would send, base64-decoded by AWS."""
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    data: bytes = value.read()  # botocore accepts file-like objects for blobs
    return data


def epoch_of(value: Any) -> float:
    """A timestamp parameter (datetime, epoch number or ISO text) as epoch seconds."""
    moment = value if isinstance(value, datetime) else parse_timestamp(value)
    if moment.tzinfo is None:  # botocore sends naive datetimes as UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def arrival(timestamp: float) -> datetime:
    """ApproximateArrivalTimestamp: millisecond precision."""
    return datetime.fromtimestamp(round(timestamp, 3), tz=UTC)


class RecordsAPI:
    """Mixed into ``Kinesis``."""

    env: FakeAWS

    def _stream(self, params: dict[str, Any]) -> Stream:
        raise NotImplementedError  # provided by Kinesis

    # --- writing ------------------------------------------------------------
    @operation(refuses=_UNMODELLED)
    def put_record(self, params: dict[str, Any]) -> dict[str, Any]:
        # SequenceNumberForOrdering needs nothing more: sequence numbers here
        # always increase within a shard.
        stream = self._stream(params)
        data = blob(params["Data"])
        self._check_record(params.get("PartitionKey"), data, "")
        shard = self._target_shard(stream, params["PartitionKey"], params.get("ExplicitHashKey"))
        record = shard.append(params["PartitionKey"], data, self.env.clock.now())
        return {"ShardId": record.shard_id, "SequenceNumber": record.sequence_number}

    @operation(refuses=_UNMODELLED)
    def put_records(self, params: dict[str, Any]) -> dict[str, Any]:
        stream = self._stream(params)
        entries = params["Records"]
        if len(entries) > KINESIS_MAX_PUT_RECORDS_ENTRIES:
            raise validation(
                "[...]",
                "records",
                f"Member must have length less than or equal to {KINESIS_MAX_PUT_RECORDS_ENTRIES}",
            )
        blobs = [blob(entry["Data"]) for entry in entries]
        for position, (entry, data) in enumerate(zip(entries, blobs, strict=True), start=1):
            self._check_record(entry.get("PartitionKey"), data, f"records.{position}.member.")
        total = sum(len(d) + len(e["PartitionKey"].encode()) for e, d in zip(entries, blobs, strict=True))
        if total > KINESIS_MAX_PUT_RECORDS_SIZE:
            raise invalid_argument("Records size exceeds 5 MB limit")
        shards = [
            self._target_shard(stream, e["PartitionKey"], e.get("ExplicitHashKey")) for e in entries
        ]
        now = self.env.clock.now()
        results = []
        for entry, data, shard in zip(entries, blobs, shards, strict=True):
            record = shard.append(entry["PartitionKey"], data, now)
            results.append({"SequenceNumber": record.sequence_number, "ShardId": record.shard_id})
        return {"FailedRecordCount": 0, "Records": results}

    def _check_record(self, partition_key: str | None, data: bytes, where: str) -> None:
        if partition_key is None:
            raise validation("null", f"{where}partitionKey", "Member must not be null")
        if len(partition_key) > KINESIS_MAX_PARTITION_KEY_LENGTH:
            raise validation(
                partition_key,
                f"{where}partitionKey",
                f"Member must have length less than or equal to {KINESIS_MAX_PARTITION_KEY_LENGTH}",
            )
        if len(data) > KINESIS_MAX_RECORD_SIZE:
            raise AWSError(
                "ValidationException",
                f"1 validation error detected: Value at '{where}data' failed to satisfy "
                f"constraint: Member must have length less than or equal to {KINESIS_MAX_RECORD_SIZE}",
            )
        if len(data) + len(partition_key.encode("utf-8")) > KINESIS_MAX_RECORD_SIZE:
            raise invalid_argument(
                "The size of the record (data plus partition key) exceeds the maximum of "
                f"{KINESIS_MAX_RECORD_SIZE} bytes."
            )

    @staticmethod
    def _target_shard(stream: Stream, partition_key: str, explicit: str | None) -> Shard:
        if explicit is None:
            return stream.shard_for(hash_key_of(partition_key))
        if not explicit.isdigit() or int(explicit) >= HASH_KEY_SPACE:
            raise invalid_argument(
                "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. "
                f"Specified value was {explicit}"
            )
        return stream.shard_for(int(explicit))

    # --- reading ------------------------------------------------------------
    @operation(refuses=_UNMODELLED)
    def get_shard_iterator(self, params: dict[str, Any]) -> dict[str, Any]:
        stream = self._stream(params)
        shard = stream.shard(params["ShardId"])
        if shard is None:
            raise AWSError(
                "ResourceNotFoundException",
                f"Shard {params['ShardId']} in stream {stream.name} under account "
                f"{self.env.account_id} does not exist",
            )
        stream.trim(self.env.clock.now())
        kind = params["ShardIteratorType"]
        if kind not in ITERATOR_TYPES:
            raise validation(
                kind,
                "shardIteratorType",
                "Member must satisfy enum value set: [" + ", ".join(ITERATOR_TYPES) + "]",
            )
        position = self._position(shard, kind, params)
        return {"ShardIterator": self._iterator(stream, shard, position)}

    def _position(self, shard: Shard, kind: str, params: dict[str, Any]) -> int:
        """The sequence number (as an int) after which the iterator reads."""
        start = int(shard.starting_sequence_number)
        if kind == "TRIM_HORIZON":
            return start
        if kind == "LATEST":
            return shard.positions[-1] if shard.positions else start
        if kind == "AT_TIMESTAMP":
            if "Timestamp" not in params:
                raise invalid_argument(
                    "Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. "
                    "Current request has no timestamp parameter."
                )
            moment = epoch_of(params["Timestamp"])
            before = [r.position for r in shard.records if r.created_at < moment]
            return before[-1] if before else start
        sequence = params.get("StartingSequenceNumber")
        if sequence is None:
            raise invalid_argument(
                f"Must specify StartingSequenceNumber for iterator of type {kind}."
            )
        owner = shard_index_of(sequence)
        if owner is None:
            raise invalid_argument(f"Invalid StartingSequenceNumber: {sequence}.")
        if owner != shard.index:
            raise invalid_argument(
                f"Invalid StartingSequenceNumber. It encodes shardId-{owner:012d}, while it was "
                f"used in a call to a shard with {shard.shard_id}"
            )
        return int(sequence) - 1 if kind == "AT_SEQUENCE_NUMBER" else int(sequence)

    @operation(refuses=_UNMODELLED)
    def get_records(self, params: dict[str, Any]) -> dict[str, Any]:
        stream, shard, position = self._read_iterator(params["ShardIterator"])
        if params.get("StreamARN", stream.arn) != stream.arn:
            raise invalid_argument(
                f"StreamARN {params['StreamARN']} does not match the stream of the ShardIterator."
            )
        limit = params.get("Limit", KINESIS_MAX_GET_RECORDS)
        if limit > KINESIS_MAX_GET_RECORDS:
            raise validation(
                limit, "limit", f"Member must have value less than or equal to {KINESIS_MAX_GET_RECORDS}"
            )
        now = self.env.clock.now()
        stream.trim(now)
        records = shard.after(position, limit)
        if records:
            position = records[-1].position
        unread = shard.after(position, 1)
        behind = int((now - unread[0].created_at) * 1000) if unread else 0
        response: dict[str, Any] = {
            "Records": [
                {
                    "SequenceNumber": r.sequence_number,
                    "ApproximateArrivalTimestamp": arrival(r.created_at),
                    "Data": r.data,
                    "PartitionKey": r.partition_key,
                }
                for r in records
            ],
            "MillisBehindLatest": behind,
        }
        if shard.is_open or unread:
            response["NextShardIterator"] = self._iterator(stream, shard, position)
        else:
            # The end of a closed shard: no next iterator; read its children next.
            response["ChildShards"] = [
                {
                    "ShardId": child.shard_id,
                    "ParentShards": list(child.parents),
                    "HashKeyRange": child.hash_key_range(),
                }
                for child in stream.children_of(shard)
            ]
        return response

    def _iterator(self, stream: Stream, shard: Shard, position: int) -> str:
        # Opaque to callers; "|" cannot occur in a stream ARN or a shard id.
        state = f"{stream.arn}|{shard.shard_id}|{position}|{self.env.clock.now()!r}"
        return base64.b64encode(state.encode()).decode("ascii")

    def _read_iterator(self, iterator: str) -> tuple[Stream, Shard, int]:
        try:
            arn, shard_id, position_text, issued_text = (
                base64.b64decode(iterator, validate=True).decode().split("|")
            )
            position, issued = int(position_text), float(issued_text)
        except (ValueError, TypeError):
            raise invalid_argument(f"Invalid ShardIterator: {iterator}") from None
        now = self.env.clock.now()
        if now - issued > KINESIS_ITERATOR_LIFETIME_SECONDS:
            raise AWSError(
                "ExpiredIteratorException",
                f"Iterator expired. The iterator was created at time {_java_time(issued)} while "
                f"right now it is {_java_time(now)} which is further in the future than the "
                f"tolerated delay of {KINESIS_ITERATOR_LIFETIME_SECONDS * 1000} milliseconds.",
            )
        stream = self._stream({"StreamARN": arn})
        shard = stream.shard(shard_id)
        if shard is None:
            raise invalid_argument(f"Invalid ShardIterator: {iterator}")
        return stream, shard, position


def _java_time(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%a %b %d %H:%M:%S UTC %Y")
