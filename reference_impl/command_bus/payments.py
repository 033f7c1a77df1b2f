"""The payment processor: the command queue's one consumer, and the events it announces.

A command (ProcessPayment) is addressed to one service and waits on its
SQS queue until it is processed; the outcome is an event (PaymentSucceeded
or PaymentFailed) that EventBridge broadcasts to whoever subscribed.
"""

from __future__ import annotations

import json
import logging
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

from reference_impl.shared import Clock, epoch_millis, to_dynamo
from reference_impl.shared.checks import is_uuid

logger = logging.getLogger(__name__)

EVENT_SOURCE = "payments.processor"
# The card gateway's rules in this example: it charges at most this much, and not in pounds.
CHARGE_LIMIT = Decimal("5000")
CURRENCIES = {"EUR", "USD", "GBP"}  # contracts/common/Money.avsc
UNSUPPORTED_CURRENCIES = {"GBP"}  # valid Money, declined by this processor


class InvalidProcessPayment(ValueError):
    """A message on the command queue that is not a ProcessPayment: it must end up on the DLQ."""


def parse_process_payment(body: str) -> dict[str, Any]:
    """The ProcessPayment in an SQS body, checked against contracts/command_bus/ProcessPayment.avsc."""
    try:
        command = json.loads(body)
    except json.JSONDecodeError as error:
        raise InvalidProcessPayment(f"the body is not JSON: {error}") from None
    expected = {"paymentId", "orderId", "customerId", "amount", "requestedAt"}
    if not isinstance(command, dict) or set(command) != expected:
        raise InvalidProcessPayment(f"expected exactly the fields {sorted(expected)}")
    if not all(is_uuid(command[key]) for key in ("paymentId", "orderId", "customerId")):
        raise InvalidProcessPayment("paymentId, orderId and customerId must be uuids")
    amount = command["amount"]
    if not isinstance(amount, dict) or set(amount) != {"amount", "currency"}:
        raise InvalidProcessPayment("amount must be a Money: exactly amount and currency")
    value = amount["amount"]
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise InvalidProcessPayment("amount must be a Money with a positive amount")
    # Money.avsc: decimal(9, 2) -- cents, at most 7 digits before the point
    exact = Decimal(str(value))
    exponent = exact.as_tuple().exponent
    if not isinstance(exponent, int) or exponent < -2 or exact >= Decimal(10) ** 7:
        raise InvalidProcessPayment(f"amount {value} is not a decimal(9, 2)")
    if amount["currency"] not in CURRENCIES:
        raise InvalidProcessPayment(f"currency must be one of {sorted(CURRENCIES)}")
    if isinstance(command["requestedAt"], bool) or not isinstance(command["requestedAt"], int):
        raise InvalidProcessPayment("requestedAt must be epoch milliseconds")
    return command


def decline_reason(command: dict[str, Any]) -> str | None:
    amount = command["amount"]
    if amount["currency"] in UNSUPPORTED_CURRENCIES:
        return "CURRENCY_NOT_SUPPORTED"
    if Decimal(str(amount["amount"])) > CHARGE_LIMIT:
        return "LIMIT_EXCEEDED"
    return None


class PaymentProcessor:
    """Charges each ProcessPayment once (a Payments table remembers it) and announces the outcome."""

    def __init__(self, payments_table: Any, events: Any, bus_name: str, clock: Clock) -> None:
        self.payments = payments_table
        self.events = events
        self.bus_name = bus_name
        self.clock = clock

    def handle_sqs(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        """SQS batch handler; failed records are reported so only they return to the queue."""
        failures = []
        for record in event.get("Records", []):
            try:
                self.process(parse_process_payment(record["body"]))
            except Exception:
                logger.exception("ProcessPayment %s failed", record.get("messageId"))
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}

    def process(self, command: dict[str, Any]) -> str:
        """Charge (or decline) once, then announce the outcome; returns its event type.

        The charge is recorded before the announcement and marked once announced,
        so a redelivery after a crash in between announces without charging again.
        """
        reason = decline_reason(command)
        outcome = "PaymentFailed" if reason else "PaymentSucceeded"
        try:
            self.payments.put_item(
                Item=to_dynamo({**command, "outcome": outcome, "announced": False}),
                ConditionExpression="attribute_not_exists(paymentId)",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            recorded = self.payments.get_item(
                Key={"paymentId": command["paymentId"]}, ConsistentRead=True
            )["Item"]
            if recorded.get("announced"):
                logger.info("payment %s was processed already", command["paymentId"])
                return str(recorded["outcome"])
        self._announce(outcome, command, reason)
        self.payments.update_item(
            Key={"paymentId": command["paymentId"]},
            UpdateExpression="SET announced = :yes",
            ExpressionAttributeValues={":yes": True},
        )
        return outcome

    def _announce(self, outcome: str, command: dict[str, Any], reason: str | None) -> None:
        detail = {key: command[key] for key in ("paymentId", "orderId", "customerId", "amount")}
        now = epoch_millis(self.clock())
        if reason:
            detail.update(reason=reason, failedAt=now)
        else:
            detail["succeededAt"] = now
        response = self.events.put_events(
            Entries=[{
                "EventBusName": self.bus_name,
                "Source": EVENT_SOURCE,
                "DetailType": outcome,
                "Detail": json.dumps(detail),
            }]
        )
        if response.get("FailedEntryCount"):
            # Raising returns the command to the queue: the event must not be lost.
            raise RuntimeError(f"EventBridge refused {outcome}: {response['Entries']}")
