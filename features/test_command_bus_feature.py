"""The command bus scenarios, and the steps only this pattern needs."""

from __future__ import annotations

import uuid
from pathlib import Path

from pytest_bdd import given, parsers, scenarios

from eventproof.steps import World
from reference_impl import command_bus
from reference_impl.command_bus import lambdas

scenarios("command_bus.feature")

TEMPLATE = Path(str(command_bus.__file__)).parent / "template.yaml"


@given("the payment service is deployed")
def the_payment_service_is_deployed(eventproof_world: World, deployment: str) -> None:
    world = eventproof_world
    if deployment == "template":
        world.observe_bus(world.deploy_template(TEMPLATE).physical_id("PaymentsBus"))
        return
    provisioned = command_bus.provision(world.session, with_functions=world.aws is not None)
    handlers = lambdas.app.use(command_bus.wire(world.session, clock=world.now))
    world.local_handler(provisioned.names.processor_function, handlers.process_payment)
    world.observe_bus(provisioned.names.bus)


@given(parsers.parse("a payment of {amount:f} {currency} is requested"))
def a_payment_is_requested(eventproof_world: World, amount: float, currency: str) -> None:
    order_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"order/{amount}/{currency}"))
    eventproof_world.message_name = "ProcessPayment"
    eventproof_world.message = {
        "paymentId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"payment/{order_id}")),
        "orderId": order_id,
        "customerId": "3f1c2b9a-8d4e-4f6a-9b7c-1e2d3c4b5a69",
        "amount": {"amount": amount, "currency": currency},
        "requestedAt": 1768471200000,
    }
