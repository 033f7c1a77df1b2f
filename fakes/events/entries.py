"""PutEvents' per-entry validation and the event envelope EventBridge delivers.

https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from eventproof_fakes.errors import AWSError
from eventproof_fakes.limits import EVENTBRIDGE_MAX_EVENT_SIZE, EVENTBRIDGE_MAX_PUT_EVENTS_ENTRIES

TIME_SIZE = 14  # the docs count a Time parameter as 14 bytes


def check_request(entries: list[dict[str, Any]]) -> None:
    """Whole-request checks: the number of entries and their total size."""
    if not 1 <= len(entries) <= EVENTBRIDGE_MAX_PUT_EVENTS_ENTRIES:
        raise AWSError(
            "ValidationException",
            "1 validation error detected: Value at 'entries' failed to satisfy constraint: "
            f"Member must have length less than or equal to {EVENTBRIDGE_MAX_PUT_EVENTS_ENTRIES}"
            if entries
            else "1 validation error detected: Value at 'entries' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1",
        )
    if sum(entry_size(entry) for entry in entries) > EVENTBRIDGE_MAX_EVENT_SIZE:
        raise AWSError(
            "ValidationException", "Total size of the entries in the request is over the limit."
        )


def entry_size(entry: dict[str, Any]) -> int:
    """AWS's documented calculation: Time 14 bytes, then UTF-8 lengths of the strings."""
    size = TIME_SIZE if entry.get("Time") is not None else 0
    for key in ("Source", "DetailType", "Detail"):
        value = entry.get(key)
        if isinstance(value, str):
            size += len(value.encode("utf-8"))
    for resource in entry.get("Resources") or []:
        size += len(str(resource).encode("utf-8"))
    return size


def entry_error(entry: dict[str, Any]) -> tuple[str, str] | None:
    """(ErrorCode, ErrorMessage) for a rejected entry, checked in AWS's order."""
    for key in ("Source", "DetailType", "Detail"):
        if not entry.get(key):
            return (
                "InvalidArgument",
                f"Parameter {key} is not valid. Reason: {key} is a required argument.",
            )
    try:
        detail = json.loads(entry["Detail"])
    except ValueError:
        return "MalformedDetail", "Detail is malformed."
    if not isinstance(detail, dict):
        return "MalformedDetail", "Detail is malformed."
    return None


def envelope(
    entry: dict[str, Any], *, event_id: str, account: str, region: str, now: str
) -> dict[str, Any]:
    return {
        "version": "0",
        "id": event_id,
        "detail-type": entry["DetailType"],
        "source": entry["Source"],
        "account": account,
        "time": _entry_time(entry.get("Time")) or now,
        "region": region,
        "resources": list(entry.get("Resources") or []),
        "detail": json.loads(entry["Detail"]),
    }


def _entry_time(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)
