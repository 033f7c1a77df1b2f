"""The command dispatcher's scenarios, and the few steps only this pattern needs."""

from __future__ import annotations

import json
from pathlib import Path

from pytest_bdd import given, parsers, scenarios, then

from eventproof.steps import World
from reference_impl import command_dispatch
from reference_impl.shared.aws import topic_arn

scenarios("command_dispatch.feature")

DISPATCHER = "command-dispatcher"
TEMPLATE = Path(str(command_dispatch.__file__)).parent / "template.yaml"


def process_order(order_id: str) -> dict[str, object]:
    return {
        "commandType": "PROCESS_ORDER",
        "payload": {
            "orderId": order_id,
            "userId": "3f1c2b9a-8d4e-4f6a-9b7c-1e2d3c4b5a69",
            "amount": {"amount": 39.9, "currency": "EUR"},
            "items": [{"sku": "BOK-0001", "quantity": 1, "unitPrice": {"amount": 39.9, "currency": "EUR"}}],
        },
    }


@given("the command dispatcher is deployed")
def the_command_dispatcher_is_deployed(eventproof_world: World, deployment: str) -> None:
    world = eventproof_world
    if deployment == "template":
        world.observe_topic(world.deploy_template(TEMPLATE).physical_id("RefundTopic"))
        return
    names = command_dispatch.provision(world.session)
    handlers = command_dispatch.wire(world.session, clock=world.now)
    world.deploy_function(DISPATCHER, handlers.dispatch)
    world.observe_topic(topic_arn(world.session.client("sns"), names.refund_topic))


@given(parsers.parse('a "DispatchCommand" request for the order "{order_id}"'))
def a_request_for_the_order(eventproof_world: World, order_id: str) -> None:
    eventproof_world.message, eventproof_world.message_name = process_order(order_id), "DispatchCommand"


@given("the order in the request has no items")
def the_order_has_no_items(eventproof_world: World) -> None:
    eventproof_world.message["payload"]["items"] = []


@given(parsers.parse('the order "{order_id}" is being processed'))
def the_order_is_being_processed(eventproof_world: World, order_id: str) -> None:
    answer = eventproof_world.invoke(DISPATCHER, process_order(order_id))
    assert answer["statusCode"] == 200, answer


@given(parsers.parse('the "{table}" table has been deleted'))
def the_table_has_been_deleted(eventproof_world: World, table: str) -> None:
    eventproof_world.session.client("dynamodb").delete_table(TableName=table)


@then(parsers.parse('the answer reports a violation at "{pointer}"'))
def the_answer_reports_a_violation_at(eventproof_world: World, pointer: str) -> None:
    violations = eventproof_world.response["body"].get("violations", [])
    if not any(line.startswith(f"{pointer}:") or line.startswith(f"{pointer}/") for line in violations):
        raise eventproof_world.fail(f"no violation at {pointer}: {violations}")


@then(parsers.parse("the answer lists the known command types {types}"))
def the_answer_lists_the_known_types(eventproof_world: World, types: str) -> None:
    expected = [name.strip() for name in types.split(",")]
    known = eventproof_world.response["body"].get("knownCommandTypes")
    if known != expected:
        raise eventproof_world.fail(f"known types are {known}, expected {expected}")


@then(parsers.parse('the answer does not mention "{text}"'))
def the_answer_does_not_mention(eventproof_world: World, text: str) -> None:
    if text in json.dumps(eventproof_world.response):
        raise eventproof_world.fail(f"the answer leaks {text!r}: {eventproof_world.response}")
