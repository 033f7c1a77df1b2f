"""``via="async"``: an asynchronous invocation (``InvocationType=Event``) with the message as event."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from eventproof.properties.deliveries.common import body
from eventproof.properties.deliveries.registry import DeliveryKind, register_delivery
from eventproof.properties.triggers import Trigger

if TYPE_CHECKING:
    from eventproof.properties.system import Bench, Delivery


def wire(bench: Bench, delivery: Delivery, messages: Sequence[Any]) -> Trigger:
    return Trigger(f"lambda:{bench.system.name}")


def send(bench: Bench, delivery: Delivery, trigger: Trigger, message: Any) -> None:
    bench.aws.lambda_.invoke_async(bench.system.name, body(message))


register_delivery(DeliveryKind(
    name="async", summary="an asynchronous invocation; the message is the event",
    wire=wire, send=send, redelivery="Lambda's asynchronous retries"))
