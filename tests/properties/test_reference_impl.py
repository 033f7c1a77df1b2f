"""The reference implementation passes the properties its patterns promise."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from eventproof.catalog import Catalog
from eventproof.properties import Projection, assert_idempotent, assert_survives_crashes
from eventproof.properties.system import Bench
from reference_impl.outbox import lambdas as outbox_lambdas
from tests.properties import reference_systems as systems

CATALOG = Catalog.load(Path(__file__).resolve().parents[2] / "contracts")


@pytest.fixture(autouse=True)
def _forget_wired_apps() -> Iterator[None]:
    yield
    outbox_lambdas.app.cold_start()


def test_the_payment_processor_charges_once_however_often_sqs_delivers() -> None:
    assert_idempotent(systems.PAYMENT_PROCESSOR, CATALOG["ProcessPayment"], via="sqs",
                      max_examples=25)


def test_the_payment_processor_announces_what_it_charges() -> None:
    """Guards the property above: a run that did nothing would be idempotent too."""
    message = {"paymentId": "7d8b1c2e-0f4a-4b6c-9d1e-2a3b4c5d6e7f",
               "orderId": "0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b",
               "customerId": "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d",
               "amount": {"amount": 25.5, "currency": "EUR"}, "requestedAt": 0}
    with Bench(systems.PAYMENT_PROCESSOR) as bench:
        outcome = bench.run([message], via="sqs", copies=3).outcome
    assert [e["detail-type"] for e in outcome["events"]["payments"]] == ["PaymentSucceeded"]
    assert [p["paymentId"] for p in outcome["tables"]["Payments"]] == [message["paymentId"]]
    assert len(outcome["queues"]["shipping"]) == 1


def test_the_book_added_consumer_dedupes_eventbridge_duplicates() -> None:
    assert_idempotent(systems.BOOK_ADDED_CONSUMER, CATALOG["BookAdded"], via="eventbridge",
                      max_examples=25)


def test_the_cdc_outbox_publishes_even_when_the_writer_crashes() -> None:
    # The retry runs a minute later, so the dedup record's TTL (an epoch second) is later too.
    later_is_fine = Projection(ignore_fields=frozenset({"expiresAt"}))
    assert_survives_crashes(systems.CDC_OUTBOX_WRITER, CATALOG["AddBook"], via="async",
                            projection=later_is_fine, max_examples=10)


def test_the_cdc_outbox_run_reaches_the_consumer() -> None:
    """Guards the property above: the whole chain ran, and a crash after the write still publishes."""
    book = {"name": "Dune", "author": "Frank Herbert", "isbn": "9780441013593"}
    with Bench(systems.CDC_OUTBOX_WRITER) as bench:
        run = bench.run([book], via="async", crash=(1, "after"))
    assert run.calls == ["dynamodb.PutItem", "dynamodb.PutItem"]  # the crash, then the retry
    assert [e["detail-type"] for e in run.outcome["events"]["outbox-demo"]] == ["BookAdded"]
    assert run.outcome["tables"]["Catalogue"][0]["timesListed"] == 1
