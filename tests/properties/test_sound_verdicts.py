"""Properties that cannot pass vacuously (issue: a green property is worth what it exercised)."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from eventproof.catalog import Catalog
from eventproof.errors import ConfigError
from eventproof.properties import (
    PropertyFailed,
    VacuityWarning,
    VacuousProperty,
    assert_accepts_valid,
    assert_idempotent,
    assert_order_insensitive,
    assert_survives_crashes,
)
from eventproof.strategies import from_contract
from tests.properties import reference_systems as systems
from tests.properties.broken_handlers import create_table

ROOT = Path(__file__).resolve().parents[2]
CATALOG = Catalog.load(ROOT / "contracts")
PAYMENT = CATALOG["ProcessPayment"]


@pytest.fixture(autouse=True)
def _forget_wired_apps() -> Iterator[None]:
    from reference_impl.outbox import lambdas as outbox_lambdas

    yield
    outbox_lambdas.app.cold_start()


def always_failing(event: dict[str, Any], context: Any) -> None:
    raise RuntimeError("downstream is down")


def payments_setup(aws: Any) -> None:
    create_table(aws, "Payments", "paymentId")


def flaky_half(event: dict[str, Any], context: Any) -> None:
    """Handles payments whose customer id starts with 0-7, fails the rest: about half."""
    table = boto3.resource("dynamodb").Table("Payments")
    for record in event["Records"]:
        command = json.loads(record["body"])
        if command["customerId"][0] not in "01234567":
            raise ValueError("customer not migrated yet")
        table.put_item(Item={"paymentId": command["paymentId"]})


@pytest.mark.parametrize("check", [
    lambda: assert_idempotent(always_failing, PAYMENT, max_examples=10),
    lambda: assert_survives_crashes(always_failing, PAYMENT, max_examples=10),
    lambda: assert_order_insensitive(always_failing, PAYMENT, max_examples=10),
], ids=["idempotent", "crash-safe", "order-insensitive"])
def test_a_handler_that_fails_on_every_message_passes_no_property(check: Any) -> None:
    with pytest.raises(VacuousProperty) as raised:
        check()
    message = str(raised.value)
    assert "vacuous" in message and "RuntimeError" in message and "assert_accepts_valid" in message


def test_a_property_that_mostly_ran_the_failure_path_warns_with_the_commonest_error() -> None:
    with pytest.warns(VacuityWarning, match="ValueError"):
        assert_idempotent(flaky_half, PAYMENT, setup=payments_setup, max_examples=40,
                          min_success=0.9)


def test_accepts_valid_finds_the_valid_message_a_handler_rejects() -> None:
    def small_payments_only(event: dict[str, Any], context: Any) -> None:
        for record in event["Records"]:
            if json.loads(record["body"])["amount"]["amount"] > 100:
                raise ValueError("amount over the limit")

    with pytest.raises(PropertyFailed) as caught:
        assert_accepts_valid(small_payments_only, PAYMENT, max_examples=100)
    example = caught.value.counterexample
    assert example.property_name == "acceptance of valid input"
    assert 100 < example.messages[0]["amount"]["amount"] <= 101  # shrunk to the edge
    assert "ValueError" in example.render() and "x-eventproof.constraints" in example.render()


@pytest.mark.parametrize(("system", "contract", "via"), [
    (systems.PAYMENT_PROCESSOR, "ProcessPayment", "sqs"),
    (systems.BOOK_ADDED_CONSUMER, "BookAdded", "eventbridge"),
    (systems.CDC_OUTBOX_WRITER, "AddBook", "async"),
])
def test_the_reference_consumers_accept_every_message_their_contract_admits(
        system: Any, contract: str, via: Any) -> None:
    assert_accepts_valid(system, CATALOG[contract], via=via, max_examples=30)


def test_the_money_contract_now_says_positive() -> None:
    zero = {e.name: e for e in PAYMENT.examples}[
        "a zero amount (Avro's decimal cannot say positive; x-eventproof.constraints does)"]
    [violation] = PAYMENT.violations(zero.message)
    assert violation.pointer == "/amount/amount" and violation.keyword == "exclusiveMinimum"
    from hypothesis import given, settings

    @settings(max_examples=50, database=None)
    @given(from_contract(PAYMENT))
    def positive(message: Any) -> None:
        assert message["amount"]["amount"] > 0

    positive()


def routes_on_detail_type(event: dict[str, Any], context: Any) -> None:
    """The norm: a consumer dispatches on detail-type and ignores what it does not know."""
    if event["detail-type"] != "ProcessPayment":
        return
    boto3.resource("dynamodb").Table("Payments").put_item(
        Item={"paymentId": event["detail"]["paymentId"], "source": event["source"]})


def test_eventbridge_deliveries_carry_the_contract_name_as_detail_type() -> None:
    # With the old fixed "message" detail-type this handler did nothing, and passed vacuously.
    assert_idempotent(routes_on_detail_type, PAYMENT, via="eventbridge", setup=payments_setup,
                      max_examples=5, min_success=1.0)


def test_eventbridge_source_and_detail_type_can_be_given() -> None:
    with pytest.raises(VacuousProperty):
        assert_idempotent(routes_on_detail_type, PAYMENT, via="eventbridge", setup=payments_setup,
                          detail_type="PaymentRequested", max_examples=5)
    assert_idempotent(routes_on_detail_type, PAYMENT, via="eventbridge", setup=payments_setup,
                      source="checkout", max_examples=5, min_success=1.0)


@pytest.mark.parametrize(("kwargs", "expected"), [
    ({"via": "eventbridge", "source": ""}, "source must be a non-empty string"),
    ({"via": "sqs", "detail_type": "X"}, "use them with via='eventbridge'"),
    ({"min_success": 1.5}, "min_success must be a fraction"),
])
def test_bad_delivery_arguments_fail_before_any_example(kwargs: dict[str, Any], expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        assert_idempotent(always_failing, PAYMENT, **kwargs)


def last_writer_wins(event: dict[str, Any], context: Any) -> None:
    """Bug: the order's status is whatever message came last (on a standard queue)."""
    table = boto3.resource("dynamodb").Table("Orders")
    for record in event["Records"]:
        command = json.loads(record["body"])
        table.put_item(Item={"orderId": command["orderId"], "paymentId": command["paymentId"]})


def test_a_last_writer_wins_consumer_keyed_by_a_uuid_is_caught() -> None:
    # orderId is format uuid: independently generated ones never repeat.
    with pytest.raises(PropertyFailed) as caught:
        assert_order_insensitive(last_writer_wins, PAYMENT, max_examples=50,
                                 setup=lambda aws: create_table(aws, "Orders", "orderId"))
    messages = caught.value.counterexample.messages
    assert len(messages) == 2 and messages[0]["orderId"] == messages[1]["orderId"]


def test_catalog_may_be_a_path_and_defaults_to_the_project_contracts(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def handled(event: dict[str, Any], context: Any) -> None:
        return None

    # A handler with no effect at all: min_success=0 says so (else the property is vacuous).
    assert_idempotent(handled, "ProcessPayment", catalog=str(ROOT / "contracts"), max_examples=3,
                      min_success=0)
    monkeypatch.chdir(ROOT / "tests" / "properties")  # not the project root
    assert_idempotent(handled, "ProcessPayment", max_examples=3, min_success=0)
    with pytest.raises(ConfigError, match="catalog must be a Catalog"):
        assert_idempotent(handled, "ProcessPayment", catalog=42)  # type: ignore[arg-type]


def test_no_warning_when_every_example_is_handled() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_idempotent(systems.PAYMENT_PROCESSOR, PAYMENT, max_examples=20)
