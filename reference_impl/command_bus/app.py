"""Wiring of the command bus example: the payment processor with its clients."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3

from reference_impl.command_bus.payments import PaymentProcessor
from reference_impl.shared import Clock, system_clock
from reference_impl.shared.aws import session_or_default


@dataclass(frozen=True)
class Names:
    payments_table: str = "Payments"
    command_queue: str = "payment-processing"
    dead_letter_queue: str = "payment-processing-dlq"
    bus: str = "payments"
    processor_function: str = "payment-processor"
    # Subscriber queues, one per rule: each shows what its subscribers would receive.
    notifications_queue: str = "customer-notifications"
    shipping_queue: str = "shipping"
    audit_queue: str = "large-payment-audit"


@dataclass(frozen=True)
class Handlers:
    process_payment: Callable[[Any, Any], dict[str, Any]]
    processor: PaymentProcessor


def wire(
    session: boto3.session.Session | None = None,
    *,
    names: Names = Names(),
    clock: Clock = system_clock,
) -> Handlers:
    session = session_or_default(session)
    processor = PaymentProcessor(
        session.resource("dynamodb").Table(names.payments_table),
        session.client("events"),
        names.bus,
        clock,
    )
    return Handlers(process_payment=processor.handle_sqs, processor=processor)
