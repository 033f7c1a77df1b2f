"""What a pipe reads: a DynamoDB stream (checkpointed, in order) or an SQS queue.

A source hands out one batch at a time; the pipe answers with ``ack`` (the
batch is done: checkpoint past it, delete its messages) or ``nack`` (keep it:
the stream batch is read again, the messages become visible again after
their visibility timeout and the queue's own redrive policy applies).

Simplifications: one shard per stream (records come in table order);
``ParallelizationFactor`` and ``MaximumRecordAgeInSeconds`` are accepted
but not modelled.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

__all__ = ["Batch", "QueueSource", "Source", "StreamSource", "source_for"]

@dataclass
class Batch:
    """Records in the event shape the pipe works with, plus what identifies each."""

    events: list[dict[str, Any]]
    ids: list[str]
    handles: list[str] = field(default_factory=list)


class Source(Protocol):
    kind: str  # "aws:dynamodb" / "aws:sqs": the detail-type suffix on an event bus

    def poll(self, limit: int) -> Batch | None: ...
    def ack(self, batch: Batch, count: int | None = None) -> None: ...
    def nack(self, batch: Batch) -> None: ...
    def next_ready(self) -> float | None: ...
    def match_view(self, event: dict[str, Any]) -> dict[str, Any]: ...
    def item_id(self, event: dict[str, Any]) -> str: ...


class StreamSource:
    """A DynamoDB stream read from a checkpoint; nothing is skipped, nothing reordered."""

    kind = "aws:dynamodb"

    def __init__(self, env: FakeAWS, stream_arn: str, starting_position: str) -> None:
        self._env = env
        # The backend lives as long as this pipe (FakeAWS.reset drops both): look it up once.
        self._dynamodb = env.dynamodb
        self.arn = stream_arn
        self.checkpoint: str | None = None
        if starting_position == "LATEST":
            self.checkpoint = self._latest()

    def _latest(self) -> str | None:
        latest = None
        while True:
            records = self._dynamodb.read_stream(self.arn, latest, 1000)
            if not records:
                return latest
            latest = records[-1].sequence_number

    def poll(self, limit: int) -> Batch | None:
        records = self._dynamodb.read_stream(self.arn, self.checkpoint, limit)
        if not records:
            return None
        events = [record.to_lambda_event() for record in records]
        return Batch(events, [record.sequence_number for record in records])

    def ack(self, batch: Batch, count: int | None = None) -> None:
        done = len(batch.ids) if count is None else count
        if done:
            self.checkpoint = batch.ids[done - 1]

    def nack(self, batch: Batch) -> None:
        """The checkpoint stays; the same records are read again."""

    def next_ready(self) -> float | None:
        return None

    def match_view(self, event: dict[str, Any]) -> dict[str, Any]:
        return event

    def item_id(self, event: dict[str, Any]) -> str:
        return str(event["dynamodb"].get("SequenceNumber", ""))


class QueueSource:
    """An SQS queue: received messages are deleted once the target took them."""

    kind = "aws:sqs"

    def __init__(self, env: FakeAWS, queue_arn: str) -> None:
        self._env = env
        self.arn = queue_arn

    def poll(self, limit: int) -> Batch | None:
        received = self._env.sqs.receive(self.arn, max_messages=limit)
        if not received:
            return None
        region = self._env.region
        events = [message.to_lambda_record(self.arn, region) for message in received]
        return Batch(
            events,
            [message.message_id for message in received],
            [message.receipt_handle for message in received],
        )

    def ack(self, batch: Batch, count: int | None = None) -> None:
        for handle in batch.handles[: len(batch.handles) if count is None else count]:
            self._env.sqs.delete(self.arn, handle)

    def ack_ids(self, batch: Batch, keep: set[str]) -> None:
        """Delete every message of the batch except the ones in ``keep`` (batch item failures)."""
        for message_id, handle in zip(batch.ids, batch.handles, strict=True):
            if message_id not in keep:
                self._env.sqs.delete(self.arn, handle)

    def nack(self, batch: Batch) -> None:
        """Nothing to do: the messages reappear when their visibility timeout ends."""

    def next_ready(self) -> float | None:
        return self._env.sqs.next_visible_at(self.arn)

    def match_view(self, event: dict[str, Any]) -> dict[str, Any]:
        """Filters see a JSON body as JSON, as AWS documents for SQS sources."""
        body = event.get("body")
        if isinstance(body, str) and body[:1] in ("{", "["):
            try:
                return {**event, "body": json.loads(body)}
            except ValueError:
                return event
        return event

    def item_id(self, event: dict[str, Any]) -> str:
        return str(event["messageId"])


def source_for(
    env: FakeAWS, arn: str, parameters: dict[str, Any]
) -> StreamSource | QueueSource:
    service = arn.split(":")[2] if arn.count(":") >= 5 else ""
    if service == "dynamodb" and "/stream/" in arn:
        stream = parameters.get("DynamoDBStreamParameters") or {}
        return StreamSource(env, arn, stream.get("StartingPosition", "LATEST"))
    if service == "sqs":
        return QueueSource(env, arn)
    raise ValueError(
        f"eventproof's fake pipes read DynamoDB streams and SQS queues; got Source {arn!r}"
    )
