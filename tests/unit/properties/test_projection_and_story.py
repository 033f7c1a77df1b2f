"""The projection that makes two runs comparable, and the story a counterexample tells."""

from __future__ import annotations

from eventproof.properties import Counterexample, Projection, PropertyFailed

INPUT_ID = "7d8b1c2e-0f4a-4b6c-9d1e-2a3b4c5d6e7f"
GENERATED_ID = "0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b"


def outcome(*items: dict[str, object]) -> dict[str, object]:
    return {"tables": {"Ledger": list(items)}, "queues": {}, "events": {}}


def test_generated_ids_and_times_are_masked_but_the_messages_own_are_kept() -> None:
    message = {"paymentId": INPUT_ID, "at": "2026-01-15T10:00:00Z"}
    projected = Projection().apply(outcome(
        {"entryId": GENERATED_ID, "paymentId": INPUT_ID, "bookedAt": "2026-01-15T10:00:01.123Z",
         "at": "2026-01-15T10:00:00Z"}), message)
    assert projected["tables"]["Ledger"] == [{
        "entryId": "<generated uuid>", "paymentId": INPUT_ID,
        "bookedAt": "<generated time>", "at": "2026-01-15T10:00:00Z"}]


def test_masking_can_be_turned_off_and_fields_ignored_anywhere() -> None:
    projection = Projection(ignore_fields=frozenset({"expiresAt"}), mask_generated=False)
    projected = projection.apply(outcome({"id": GENERATED_ID, "nested": {"expiresAt": 5}}), {})
    assert projected["tables"]["Ledger"] == [{"id": GENERATED_ID, "nested": {}}]


def test_entries_compare_as_multisets_whatever_their_order() -> None:
    first = Projection().apply(outcome({"n": 1}, {"n": 2}, {"n": 2}), {})
    second = Projection().apply(outcome({"n": 2}, {"n": 1}, {"n": 2}), {})
    fewer = Projection().apply(outcome({"n": 2}, {"n": 1}), {})
    assert first == second
    assert first != fewer


def test_the_story_tells_message_schedule_fault_and_diff_in_that_order() -> None:
    example = Counterexample(
        property_name="idempotency (k deliveries = one delivery)", target="payments",
        messages=[{"paymentId": INPUT_ID}],
        schedule=["the message is delivered via sqs", "1 more copy arrives 60 s later (redelivery)"],
        fault="none besides the duplicates",
        expected=outcome({"times": 1}), actual=outcome({"times": 2}),
        expected_label="after 1 delivery", actual_label="after 2 deliveries",
        notes=["[t=60.000] duplicate on sqs:input"],
    )
    story = example.render()
    assert story.startswith("idempotency (k deliveries = one delivery) does not hold for payments.")
    positions = [story.index(part) for part in (
        "Message(s):", f'"paymentId": "{INPUT_ID}"', "Delivery schedule:",
        "1. the message is delivered via sqs", "2. 1 more copy arrives 60 s later",
        "Fault: none besides the duplicates", "Outcome (after 1 delivery vs after 2 deliveries):",
        "--- after 1 delivery", "+++ after 2 deliveries", "Note: [t=60.000]")]
    assert positions == sorted(positions)
    assert '  -        "times": 1' in story and '  +        "times": 2' in story


def test_equal_outcomes_say_so_and_the_error_carries_the_story() -> None:
    example = Counterexample(
        property_name="order insensitivity", target="h", messages=[], schedule=[],
        fault="reordering", expected={"a": 1}, actual={"a": 1},
    )
    assert "  (no difference)" in example.render()
    error = PropertyFailed(example)
    assert isinstance(error, AssertionError)
    assert error.counterexample is example and "order insensitivity" in str(error)
