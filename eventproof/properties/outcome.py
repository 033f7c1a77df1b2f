"""The observable outcome of a run, and the projection that makes two runs comparable.

An outcome is what the outside world can see after the handler ran: the
items of every DynamoDB table, the messages left in every SQS queue (a DLQ
included) other than the input queue, and the events published on every
EventBridge bus (source, detail-type and detail; AWS's own event id and
time are never part of it). Lists are compared as multisets.

``Projection`` says what else to ignore: ``ignore_fields`` drops keys
anywhere (e.g. ``succeededAt``), and ``mask_generated`` replaces UUIDs and
RFC 3339 timestamps that do not occur in the input message with a
placeholder, so ids and times a handler generates do not count as a change.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer

__all__ = ["Outcome", "Projection", "observe"]

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})?")
_DESERIALIZE = TypeDeserializer()

Outcome = dict[str, Any]


@dataclass(frozen=True)
class Projection:
    """Which parts of an outcome count. The default masks generated ids and times."""

    ignore_fields: frozenset[str] = field(default_factory=frozenset)
    mask_generated: bool = True

    def apply(self, outcome: Outcome, message: Any) -> Outcome:
        known = set(_strings(message))

        def project(value: Any) -> Any:
            if isinstance(value, dict):
                return {k: project(v) for k, v in value.items() if k not in self.ignore_fields}
            if isinstance(value, list):
                return [project(item) for item in value]
            if isinstance(value, str) and self.mask_generated and value not in known:
                if _UUID.fullmatch(value):
                    return "<generated uuid>"
                if _TIME.fullmatch(value):
                    return "<generated time>"
            return value

        projected = project(outcome)
        return {
            section: {name: sorted(entries, key=_canonical) for name, entries in places.items()}
            for section, places in projected.items()
        }


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, set, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("latin-1")
    return value


def _maybe_json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def observe(aws: Any, *, input_queues: tuple[str, ...] = ()) -> Outcome:
    """The raw outcome of ``aws`` (a ``FakeAWS``) now, through the fakes' inspection APIs."""
    # The backends' own API, not clients: observing is no AWS call of the handler's.
    tables = {
        name: [_plain({k: _DESERIALIZE.deserialize(v) for k, v in item.items()})
               for item in aws.dynamodb.items(name)]
        for name in aws.dynamodb.list_tables({}).get("TableNames", [])
    }
    queues = {
        name: [_maybe_json(m.body) for m in aws.sqs.messages(name) if not m.deleted]
        for name in aws.sqs.queue_names()
        if name not in input_queues
    }
    events = {}
    for bus in aws.events.list_event_buses({}).get("EventBuses", []):
        published = aws.events.events(bus["Name"])
        if published:
            events[bus["Name"]] = [
                {"source": e.get("source"), "detail-type": e.get("detail-type"),
                 "detail": e.get("detail")}
                for e in published
            ]
    return {"tables": tables, "queues": queues, "events": events}
