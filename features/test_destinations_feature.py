"""The Lambda Destinations scenarios, and the steps only this pattern needs."""

from __future__ import annotations

from pathlib import Path

from pytest_bdd import given, parsers, scenarios, then

from eventproof.steps import World
from reference_impl import destinations
from reference_impl.destinations import lambdas

scenarios("destinations.feature")

TEMPLATE = Path(str(destinations.__file__)).parent / "template.yaml"

ORDER_ID = "0f6f1a9e-5d3b-4c2a-9e8f-7a6b5c4d3e2f"


@given(parsers.parse('the order system is deployed with {count:d} of "{sku}" in stock'))
def the_order_system_is_deployed(eventproof_world: World, deployment: str, count: int, sku: str) -> None:
    world = eventproof_world
    if deployment == "template":
        stack = world.deploy_template(TEMPLATE)
        # The stock is data, not infrastructure: the template creates the table empty.
        world.session.resource("dynamodb").Table(stack.physical_id("InventoryTable")).put_item(
            Item={"sku": sku, "stock": count})
        world.observe_topic(stack.physical_id("NotificationsTopic"))
        return
    provisioned = destinations.provision(world.session, with_functions=world.aws is not None, stock={sku: count})
    handlers = lambdas.app.use(destinations.wire(world.session, clock=world.now))
    names = provisioned.names
    world.local_handler(names.order_function, handlers.order)
    world.observe_topic(provisioned.topic_arn)


@given(parsers.parse('an order of {quantity:d} "{sku}" at {price:f} {currency}'))
def an_order_of(eventproof_world: World, quantity: int, sku: str, price: float, currency: str) -> None:
    eventproof_world.message_name = "OrderPlaced"
    eventproof_world.message = {
        "orderId": ORDER_ID,
        "customerId": "3f1c2b9a-8d4e-4f6a-9b7c-1e2d3c4b5a69",
        "items": [{"sku": sku, "quantity": quantity, "unitPrice": {"amount": price, "currency": currency}}],
        "total": {"amount": round(price * quantity, 2), "currency": currency},
        "placedAt": "2026-01-15T10:00:00Z",
    }


@then(parsers.parse('the order-notifications topic announced one "{name}"'))
def the_topic_announced(eventproof_world: World, name: str) -> None:
    world = eventproof_world
    records = [o.body for o in world.collect() if o.type == "LambdaDestinationOnSuccess"]
    if len(records) != 1:
        raise world.fail(f"expected one success record on the topic, saw {len(records)}")
    violations = world.catalog[name].violations(records[0]["responsePayload"])
    if violations:
        raise world.fail(f"the announced {name} breaks its contract: {violations}")
