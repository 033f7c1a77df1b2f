"""Commands vs events: ProcessPayment on an SQS command queue, outcomes broadcast on EventBridge."""

from __future__ import annotations

from reference_impl.command_bus.app import Handlers, Names, wire
from reference_impl.command_bus.infrastructure import RULES, Provisioned, provision
from reference_impl.command_bus.payments import (
    PaymentProcessor,
    decline_reason,
    parse_process_payment,
)

__all__ = [
    "RULES",
    "Handlers",
    "Names",
    "PaymentProcessor",
    "Provisioned",
    "decline_reason",
    "parse_process_payment",
    "provision",
    "wire",
]
