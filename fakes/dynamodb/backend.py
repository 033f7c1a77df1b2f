"""The DynamoDB backend: every operation group, plus the inspection API.

``items``, ``stream_records``, ``stream_arn``, ``read_stream`` and
``stream_listeners`` are the Python API other fakes (Lambda event source
mappings, Pipes) and tests use without going through boto3.
"""

from __future__ import annotations

from typing import Any

from eventproof_fakes.dynamodb.attributes import copy_item
from eventproof_fakes.dynamodb.backups import BackupOperations
from eventproof_fakes.dynamodb.operations.batch import BatchOperations
from eventproof_fakes.dynamodb.operations.items import ItemOperations
from eventproof_fakes.dynamodb.operations.reads import ReadOperations
from eventproof_fakes.dynamodb.operations.tables import TableOperations
from eventproof_fakes.dynamodb.operations.transactions import TransactionOperations
from eventproof_fakes.dynamodb.streams import StreamRecord, copy_record
from eventproof_fakes.dynamodb.tags import TagOperations
from eventproof_fakes.dynamodb.ttl import TimeToLiveOperations
from eventproof_fakes.errors import AWSError


class DynamoDB(
    TableOperations,
    ItemOperations,
    ReadOperations,
    BatchOperations,
    TransactionOperations,
    TimeToLiveOperations,
    TagOperations,
    BackupOperations,
):
    """In-memory DynamoDB for one account and region (see each module for simplifications)."""

    # --- inspection API -----------------------------------------------------
    def items(self, table_name: str) -> list[dict[str, Any]]:
        """Every item of the table, in AttributeValue form, ordered by key."""
        table = self.table(table_name)
        ordered = sorted(table.items.values(), key=table.key.sort_key)
        return [copy_item(item) for item in ordered]

    def stream_arn(self, table_name: str) -> str:
        table = self.table(table_name)
        if table.stream is None:
            raise AWSError("ResourceNotFoundException", f"Table {table_name} has no stream")
        return table.stream.arn

    def stream_records(self, table_name: str) -> list[dict[str, Any]]:
        """The table's retained stream records, in GetRecords form."""
        stream = self._stream(self.stream_arn(table_name))
        stream.trim(self.env.clock.now())
        return [copy_record(r.record) for r in stream.records]

    def read_stream(
        self, stream_arn: str, after_sequence_number: str | None, limit: int
    ) -> list[StreamRecord]:
        """Up to ``limit`` retained records after ``after_sequence_number`` (None: the oldest)."""
        if stream_arn in self.expired_streams:
            return []  # its retention ran out after the table (or stream) went away
        stream = self._stream(stream_arn)
        stream.trim(self.env.clock.now())
        position = -1 if after_sequence_number is None else int(after_sequence_number)
        return stream.after(position, limit)

    def _stream(self, stream_arn: str) -> Any:
        stream = self.streams.get(stream_arn)
        if stream is None:
            raise AWSError(
                "ResourceNotFoundException",
                f"Requested resource not found: Stream: {stream_arn} not found",
            )
        return stream
