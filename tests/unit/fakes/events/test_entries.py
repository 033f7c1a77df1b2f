from __future__ import annotations

from datetime import UTC, datetime

from eventproof_fakes.events.entries import entry_error, entry_size, envelope


def test_entry_size_follows_the_documented_calculation() -> None:
    entry = {
        "Source": "é",
        "DetailType": "T",
        "Detail": "{}",
        "Resources": ["ab"],
        "Time": datetime(2026, 1, 1, tzinfo=UTC),
    }
    assert entry_size(entry) == 14 + 2 + 1 + 2 + 2


def test_missing_fields_are_reported_in_order() -> None:
    assert entry_error({})[1].startswith("Parameter Source")  # type: ignore[index]
    assert entry_error({"Source": "s"})[1].startswith("Parameter DetailType")  # type: ignore[index]
    assert entry_error({"Source": "s", "DetailType": "T", "Detail": '"text"'}) == (
        "MalformedDetail",
        "Detail is malformed.",
    )


def test_the_envelope_keeps_an_entry_time() -> None:
    entry = {
        "Source": "s",
        "DetailType": "T",
        "Detail": "{}",
        "Time": datetime(2025, 5, 1, 12, tzinfo=UTC),
    }
    event = envelope(entry, event_id="i", account="1", region="r", now="now")
    assert event["time"] == "2025-05-01T12:00:00Z"
