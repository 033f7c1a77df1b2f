"""Delivery kinds: everything the bench needs to feed a handler through one AWS trigger.

A kind says how to wire a trigger of the bench's own, how to list the ones
a deployed function already has (``find``) and pick its own (``own``), how
to send one message through it, how AWS retries a failed handling (for
stories) and what counts as the handler rejecting a message. The bench holds no per-trigger branches: it
looks the kind up here. A new delivery is one module in this package that
calls ``register_delivery`` on import, and one import line in its
``__init__``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eventproof.errors import ConfigError, EventproofError

if TYPE_CHECKING:
    from eventproof.properties.system import Bench, Delivery, Run
    from eventproof.properties.triggers import Deployed, Found, Trigger

__all__ = [
    "DeliveryKind",
    "Undeliverable",
    "delivery_kind",
    "delivery_names",
    "failed_any",
    "register_delivery",
]

# (bench, delivery, the run's messages) -> the trigger to send through
Wire = Callable[["Bench", "Delivery", Sequence[Any]], "Trigger"]
# (a deployed function, the delivery) -> its triggers of this kind that ``own`` chooses among
Find = Callable[["Deployed", "Delivery"], "list[Found]"]


class Undeliverable(EventproofError):
    """The channel cannot carry this message at all (e.g. an item without the table's key)."""

    area = "delivery"


def failed_any(run: Run) -> bool:
    """The default sign of a rejection: some invocation ended in an error."""
    return bool(run.failures)


@dataclass(frozen=True)
class DeliveryKind:
    """One way messages reach a handler (``via=<name>``)."""

    name: str
    summary: str  # one line: the trigger and what the handler receives
    wire: Wire  # a trigger of the bench's own, for a handler or a system without one
    send: Callable[[Bench, Delivery, Trigger, Any], None]
    redelivery: str  # how AWS tries again after a failed handling
    own: Callable[[Bench, Delivery], Trigger] | None = None  # the system's own trigger
    # the function's triggers of this kind (``own`` is the one of them): what
    # eventproof.project infers a handler's ``via`` from and checks a configured one against
    find: Find | None = None
    rejected: Callable[[Run], bool] = failed_any  # the handler refused the message
    rejection: str = "the invocation fails (an error)"  # what rejects-invalid expects
    later_copies: bool = True  # a copy sent seconds later reaches the handler again
    duplicate: str = "duplicate injected"  # what an extra copy is, for stories
    # what another order is on this channel, for stories
    reordering: str = "reordering (standard queues and async invokes promise no order)"
    # an event on a bus that is the input itself, not an effect of the handler
    input_event: Callable[[dict[str, Any], Delivery], bool] | None = None
    # ``wire`` shapes the trigger after the run's messages (the bench snapshots it per run, not once)
    wire_reads_messages: bool = False


_KINDS: dict[str, DeliveryKind] = {}


def register_delivery(kind: DeliveryKind) -> DeliveryKind:
    """Register (or replace) the delivery ``via=kind.name``."""
    _KINDS[kind.name] = kind
    return kind


def delivery_names() -> tuple[str, ...]:
    """The ``via`` names registered, in registration order."""
    return tuple(_KINDS)


def delivery_kind(name: str) -> DeliveryKind:
    kind = _KINDS.get(name) if isinstance(name, str) else None
    if kind is None:
        raise ConfigError(f"unknown delivery via={name!r}",
                          hint=f"use one of {', '.join(_KINDS)}")
    return kind
