"""ChangeProcessor (CDC variant): Books stream records in, BookAdded / BookRemoved on EventBridge out."""

from __future__ import annotations

import json
import uuid
from typing import Any

from boto3.dynamodb.types import TypeDeserializer

from reference_impl.outbox.writers import EVENT_NAMESPACE
from reference_impl.shared import iso

EVENT_SOURCE = "outbox-demo.books"
_deserialize = TypeDeserializer().deserialize


def event_for(record: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The event a stream record stands for; None for a MODIFY (not part of this outbox)."""
    # The stream record's id is stable across redeliveries, so the event id is too.
    event_id = str(uuid.uuid5(EVENT_NAMESPACE, record["eventID"]))
    change = record["dynamodb"]
    if record["eventName"] == "INSERT":
        book = {key: _deserialize(value) for key, value in change["NewImage"].items()}
        detail = {key: book[key] for key in ("name", "author", "isbn")}
        return "BookAdded", {"eventId": event_id, **detail, "addedAt": book["addedAt"]}
    if record["eventName"] == "REMOVE":
        removed_at = iso(float(change["ApproximateCreationDateTime"]))
        return "BookRemoved", {"eventId": event_id, "name": change["Keys"]["name"]["S"], "removedAt": removed_at}
    return None


class ChangeProcessor:
    def __init__(self, events: Any, bus_name: str) -> None:
        self.events = events
        self.bus_name = bus_name

    def handle(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        entries = []
        for record in event.get("Records", []):
            translated = event_for(record)
            if translated:
                detail_type, detail = translated
                entries.append({
                    "EventBusName": self.bus_name, "Source": EVENT_SOURCE,
                    "DetailType": detail_type, "Detail": json.dumps(detail),
                })
        # PutEvents takes at most 10 entries a call.
        for start in range(0, len(entries), 10):
            response = self.events.put_events(Entries=entries[start : start + 10])
            if response.get("FailedEntryCount"):
                # Failing the batch makes the stream redeliver it: events are never dropped.
                raise RuntimeError(f"EventBridge refused entries: {response['Entries']}")
        return {"published": len(entries)}
