"""What the fakes deliver, as they deliver it: the observation seam.

Each fake appends a ``Delivery`` to ``FakeAWS.deliveries`` at the point it
hands an AWS-shaped record to a consumer: a handler event, an SQS body
that carries an envelope, an execution record sent to a destination. Tests
and the engine read the log (or subscribe to it) to check every record
against AWS's own contracts; the fakes never look at it themselves, so an
unobserved run pays only for an append.

``kind`` names the AWS shape, not the consumer: one of ``KINDS``, or one a
service registered with ``register_kind`` (an event source's handler event
and OnFailure record, see ``eventproof_fakes.lambda_.event_source_mappings.registry``);
``kinds()`` lists both.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from eventproof_fakes.records import RecordLimit, Records

__all__ = [
    "APIGATEWAY_PROXY_EVENT",
    "DESTINATION_RECORD",
    "EVENTBRIDGE_EVENT",
    "KINDS",
    "LAMBDA_ASYNC_EVENT",
    "LAMBDA_SQS_EVENT",
    "LAMBDA_STREAM_EVENT",
    "LAMBDA_SYNC_EVENT",
    "PIPE_SOURCE_RECORDS",
    "S3_NOTIFICATION",
    "S3_TEST_EVENT",
    "SNS_LAMBDA_EVENT",
    "SNS_SQS_ENVELOPE",
    "STREAM_BATCH_INFO",
    "Delivery",
    "DeliveryLog",
    "kinds",
    "register_kind",
]

# A handler's event, by what triggered it (Lambda's own event shapes).
LAMBDA_SQS_EVENT = "lambda:sqs"  # {"Records": [SQS record, ...]} from an SQS event source mapping
LAMBDA_STREAM_EVENT = "lambda:stream"  # {"Records": [stream record, ...]} from a DynamoDB stream mapping
LAMBDA_ASYNC_EVENT = "lambda:async"  # whatever the asynchronous caller sent
LAMBDA_SYNC_EVENT = "lambda:sync"  # whatever the synchronous caller sent
# A Lambda proxy integration's request event: payload format 1.0 (REST APIs) or 2.0 ("version": "2.0")
APIGATEWAY_PROXY_EVENT = "lambda:apigateway"
# Envelopes and records made by a service for someone else's consumer.
SNS_LAMBDA_EVENT = "sns:lambda-event"  # {"Records": [{"EventSource": "aws:sns", "Sns": {...}}]}
SNS_SQS_ENVELOPE = "sns:sqs-envelope"  # the JSON envelope in an SQS body (not raw delivery)
EVENTBRIDGE_EVENT = "events:event"  # the full event a rule hands a target (no Input* transform)
DESTINATION_RECORD = "lambda:destination-record"  # async execution record at a destination
STREAM_BATCH_INFO = "lambda:stream-batch-info"  # OnFailure record of a stream poller (Lambda, Pipes)
PIPE_SOURCE_RECORDS = "pipes:source-records"  # [stream or SQS record, ...] a pipe passes on untransformed
S3_NOTIFICATION = "s3:notification"  # {"Records": [S3 event record]} to an SQS, SNS or Lambda destination
S3_TEST_EVENT = "s3:test-event"  # the s3:TestEvent message a queue or topic gets on configuration

KINDS = (
    LAMBDA_SQS_EVENT,
    LAMBDA_STREAM_EVENT,
    LAMBDA_ASYNC_EVENT,
    LAMBDA_SYNC_EVENT,
    APIGATEWAY_PROXY_EVENT,
    SNS_LAMBDA_EVENT,
    SNS_SQS_ENVELOPE,
    EVENTBRIDGE_EVENT,
    DESTINATION_RECORD,
    STREAM_BATCH_INFO,
    PIPE_SOURCE_RECORDS,
    S3_NOTIFICATION,
    S3_TEST_EVENT,
)

_registered: list[str] = []


def register_kind(kind: str) -> str:
    """Declare a delivery kind a service adds (idempotent); returns it."""
    if kind not in KINDS and kind not in _registered:
        _registered.append(kind)
    return kind


def kinds() -> tuple[str, ...]:
    """Every delivery kind: the built-in ``KINDS`` and those services registered."""
    return KINDS + tuple(_registered)


class Delivery:
    """One record handed over: its shape (``kind``), who got it (an ARN or name), the record.

    ``payload`` is the JSON value as the consumer sees it (an SQS body that
    holds an envelope is recorded parsed). ``at`` is the virtual time. A
    delivery recorded from its JSON text (``DeliveryLog.record_json``)
    parses it on first read: the consumer cannot reach it, and an unread
    log keeps no object tree alive.
    """

    __slots__ = ("_payload", "_text", "at", "kind", "target")

    def __init__(self, kind: str, target: str, payload: Any, at: float, text: str | None = None) -> None:
        self.kind = kind
        self.target = target
        self.at = at
        self._payload = payload
        self._text = text

    @property
    def payload(self) -> Any:
        if self._text is not None:
            self._payload = json.loads(self._text)
            self._text = None
        return self._payload

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Delivery):
            return NotImplemented
        return (self.kind, self.target, self.payload, self.at) == (
            other.kind,
            other.target,
            other.payload,
            other.at,
        )

    __hash__ = None  # type: ignore[assignment]  # payloads are dicts and lists

    def __repr__(self) -> str:
        return (
            f"Delivery(kind={self.kind!r}, target={self.target!r}, payload={self.payload!r}, "
            f"at={self.at!r})"
        )


Listener = Callable[[Delivery], None]


class DeliveryLog:
    """A log of deliveries, oldest first, with optional listeners.

    ``limit`` (``FakeAWS(max_records=...)``) keeps only the newest deliveries
    (0 keeps none, for long runs); ``dropped`` counts those no longer kept.
    Listeners are called with every delivery, kept or not.
    """

    def __init__(self, limit: RecordLimit = None) -> None:
        self._entries: Records[Delivery] = Records(limit)
        self._keeps_none = limit == 0
        self._listeners: list[Listener] = []

    @property
    def dropped(self) -> int:
        """How many deliveries were recorded but are no longer kept (``max_records``)."""
        return self._entries.dropped

    @property
    def total(self) -> int:
        """Every delivery recorded, kept or dropped."""
        return self._entries.total

    def record(self, kind: str, target: str, payload: Any, at: float) -> None:
        """Called by the fakes at each delivery point."""
        if self._keeps_none and not self._listeners:
            self._entries.skip()  # record=False and nobody listening: not even the object
            return
        delivery = Delivery(kind, target, payload, at)
        self._entries.append(delivery)
        for listener in self._listeners:
            listener(delivery)

    def record_json(self, kind: str, target: str, text: str, at: float) -> None:
        """Like ``record``, for a payload the fake already holds as JSON text."""
        if self._keeps_none and not self._listeners:
            self._entries.skip()  # record=False and nobody listening: not even the object
            return
        delivery = Delivery(kind, target, None, at, text)
        self._entries.append(delivery)
        for listener in self._listeners:
            listener(delivery)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with every later delivery; returns the function that unsubscribes."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def of_kind(self, kind: str) -> list[Delivery]:
        return [d for d in self._entries if d.kind == kind]

    def clear(self) -> None:
        self._entries.clear()

    def __iter__(self) -> Iterator[Delivery]:
        return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, index: int) -> Delivery:
        return self._entries[index]

    def __repr__(self) -> str:
        dropped = f", {self.dropped} dropped" if self.dropped else ""
        return f"<DeliveryLog: {len(self._entries)} deliveries{dropped}>"
