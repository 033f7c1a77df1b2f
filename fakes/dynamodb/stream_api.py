"""The ``dynamodbstreams`` service: ListStreams, DescribeStream, GetShardIterator, GetRecords.

Streams belong to the DynamoDB backend of the same environment; this class
only reads them. A shard iterator is an opaque string that encodes the
stream, the position and when it was issued; it expires after 15 minutes
of virtual time, as on AWS.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from eventproof_fakes.dynamodb.streams import Stream, copy_record
from eventproof_fakes.errors import AWSError, validation_error
from eventproof_fakes.limits import DYNAMODB_STREAM_MAX_GET_RECORDS
from eventproof_fakes.operations import operation

if TYPE_CHECKING:
    from eventproof_fakes.dynamodb.backend import DynamoDB
    from eventproof_fakes.environment import FakeAWS

ITERATOR_LIFETIME_SECONDS = 15 * 60


class DynamoDBStreams:
    def __init__(self, env: FakeAWS) -> None:
        self.env = env

    @property
    def _dynamodb(self) -> DynamoDB:
        return self.env.backend("dynamodb")

    def _stream(self, arn: str) -> Stream:
        return self._dynamodb._stream(arn)

    @operation
    def list_streams(self, params: dict[str, Any]) -> dict[str, Any]:
        table_name = params.get("TableName")
        streams = [
            {"StreamArn": s.arn, "TableName": s.table_name, "StreamLabel": s.label}
            for s in self._dynamodb.streams.values()
            if table_name is None or s.table_name == table_name
        ]
        start = params.get("ExclusiveStartStreamArn")
        if start is not None:
            arns = [s["StreamArn"] for s in streams]
            streams = streams[arns.index(start) + 1 :] if start in arns else streams
        limit = params.get("Limit", 100)
        response: dict[str, Any] = {"Streams": streams[:limit]}
        if len(streams) > limit:
            response["LastEvaluatedStreamArn"] = streams[limit - 1]["StreamArn"]
        return response

    @operation(refuses=("ShardFilter",))
    def describe_stream(self, params: dict[str, Any]) -> dict[str, Any]:
        stream = self._stream(params["StreamArn"])
        stream.trim(self.env.clock.now())
        description = stream.describe()
        start = params.get("ExclusiveStartShardId")
        if start is not None:
            # Shards are listed in order; the stream has one, so nothing follows it.
            shards = description["Shards"]
            ids = [shard["ShardId"] for shard in shards]
            description["Shards"] = shards[ids.index(start) + 1 :] if start in ids else []
        return {"StreamDescription": description}

    @operation(refuses=("Timestamp",))
    def get_shard_iterator(self, params: dict[str, Any]) -> dict[str, Any]:
        stream = self._stream(params["StreamArn"])
        if params["ShardId"] != stream.shard_id:
            raise AWSError(
                "ResourceNotFoundException",
                f"Requested resource not found: Shard: {params['ShardId']} in Stream: "
                f"{stream.arn} not found",
            )
        kind = params["ShardIteratorType"]
        sequence = params.get("SequenceNumber")
        if kind in ("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"):
            if sequence is None:
                raise validation_error(f"Must specify a sequence number for iterator type {kind}")
            position = int(sequence) - (1 if kind == "AT_SEQUENCE_NUMBER" else 0)
            if position < stream.trimmed_through:
                raise AWSError(
                    "TrimmedDataAccessException",
                    "The operation attempted to read past the oldest stream record in a shard.",
                )
        elif kind == "TRIM_HORIZON":
            position = -1
        else:  # LATEST
            position = int(stream.records[-1].sequence_number) if stream.records else -1
        return {"ShardIterator": self._iterator(stream, position)}

    @operation
    def get_records(self, params: dict[str, Any]) -> dict[str, Any]:
        stream, position, issued = self._decode(params["ShardIterator"])
        now = self.env.clock.now()
        if now - issued > ITERATOR_LIFETIME_SECONDS:
            raise AWSError(
                "ExpiredIteratorException",
                f"Iterator expired. The iterator was created at time {issued} while right now "
                f"it's {now} which is further in the future than the tolerated delay of "
                f"{ITERATOR_LIFETIME_SECONDS * 1000} milliseconds.",
            )
        limit = params.get("Limit", DYNAMODB_STREAM_MAX_GET_RECORDS)
        if not 1 <= limit <= DYNAMODB_STREAM_MAX_GET_RECORDS:
            raise validation_error(
                f"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy "
                f"constraint: Member must have value less than or equal to "
                f"{DYNAMODB_STREAM_MAX_GET_RECORDS}"
            )
        stream.trim(now)
        records = stream.after(position, limit)
        if records:
            position = int(records[-1].sequence_number)
        response: dict[str, Any] = {"Records": [copy_record(r.record) for r in records]}
        exhausted = not stream.enabled and not stream.after(position, 1)
        if not exhausted:
            response["NextShardIterator"] = self._iterator(stream, position)
        return response

    # --- iterators ----------------------------------------------------------
    def _iterator(self, stream: Stream, position: int) -> str:
        raw = f"{self.env.clock.now()}|{position}|{stream.arn}"
        return base64.urlsafe_b64encode(raw.encode()).decode()

    def _decode(self, iterator: str) -> tuple[Stream, int, float]:
        try:
            issued, position, arn = (
                base64.urlsafe_b64decode(iterator.encode()).decode().split("|", 2)
            )
            return self._stream(arn), int(position), float(issued)
        except (ValueError, UnicodeDecodeError):
            raise validation_error("Invalid ShardIterator") from None
