"""Each deliberately broken consumer is caught, and the story says how."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventproof.catalog import Catalog
from eventproof.properties import (
    Projection,
    PropertyFailed,
    System,
    assert_idempotent,
    assert_order_insensitive,
    assert_survives_crashes,
)
from tests.properties import broken_handlers as handlers

CATALOG = Catalog.load(Path(__file__).resolve().parents[2] / "contracts")
PAYMENT = CATALOG["ProcessPayment"]


def test_a_non_idempotent_payment_consumer_is_caught_with_two_deliveries() -> None:
    with pytest.raises(PropertyFailed) as caught:
        assert_idempotent(handlers.non_idempotent_payment_consumer, PAYMENT,
                          setup=handlers.ledger_setup, max_examples=10)
    story = caught.value.counterexample.render()
    assert "delivered 2 times via sqs" in story  # shrunk from up to 5 copies
    assert "after 1 delivery" in story and "after 2 deliveries" in story
    assert "+        \"paymentId\"" in story and "<generated uuid>" in story
    assert caught.value.counterexample.messages[0]["amount"]["amount"] > 0  # Money is positive (x-eventproof.constraints)


def test_a_dual_write_consumer_loses_its_event_when_it_crashes_between_the_writes() -> None:
    with pytest.raises(PropertyFailed) as caught:
        assert_survives_crashes(handlers.dual_write_consumer, PAYMENT,
                                setup=handlers.books_setup, max_examples=5)
    story = caught.value.counterexample.render()
    assert "crash at AWS call #1 (dynamodb.PutItem), after it took effect" in story
    assert "lost from events default" in story and "PaymentTaken" in story


def test_an_order_dependent_consumer_is_caught() -> None:
    with pytest.raises(PropertyFailed) as caught:
        assert_order_insensitive(handlers.order_dependent_consumer, PAYMENT,
                                 setup=handlers.last_payment_setup, messages=(2, 3),
                                 max_examples=20)
    example = caught.value.counterexample
    assert len(example.messages) == 2
    assert "order [1, 0]" in example.render()


def test_a_dedup_consumer_whose_memory_is_shorter_than_redelivery_is_caught() -> None:
    system = System(build=handlers.short_memory_system, name="short-memory-dedup")
    # The broken consumer passes while duplicates come together...
    assert_idempotent(system, PAYMENT, max_examples=5,
                      projection=Projection(ignore_fields=frozenset({"expiresAt"})))
    # ...and is caught once a duplicate may come up to an hour later.
    with pytest.raises(PropertyFailed) as caught:
        assert_idempotent(system, PAYMENT, late_by=3600, max_examples=50,
                          projection=Projection(ignore_fields=frozenset({"expiresAt"})))
    example = caught.value.counterexample
    story = example.render()
    ttl = handlers.SHORT_DEDUP_TTL_SECONDS
    assert f"1 more copy arrives {ttl} s later (redelivery)" in story  # the shortest such delay
    assert '-        "times": 1' in story and '+        "times": 2' in story
    assert example.messages[0]["amount"]["amount"] > 0  # Money is positive (x-eventproof.constraints)
