"""The outbox scenarios, and the steps only this pattern needs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import cast

from pytest_bdd import given, parsers, scenarios, when

from eventproof.steps import World
from reference_impl import outbox
from reference_impl.outbox import lambdas

scenarios("outbox.feature")

TEMPLATE = Path(str(outbox.__file__)).parent / "template.yaml"


@given(parsers.parse('the bookshop is deployed with the "{variant}" outbox'))
def the_bookshop_is_deployed(eventproof_world: World, deployment: str, variant: str) -> None:
    world = eventproof_world
    if variant not in ("cdc", "pipes"):
        raise world.fail(f"unknown outbox variant {variant!r}; use cdc or pipes")
    if deployment == "template":
        world.deploy_template(TEMPLATE, {"Variant": variant})
        if variant == "cdc":
            world.observe_bus(outbox.Names().bus)
        return
    chosen = cast(outbox.Variant, variant)
    # The fakes do not model Lambda resource policies, so AddPermission is skipped there.
    provisioned = outbox.provision(
        world.session, variant=chosen, with_functions=world.aws is not None, resource_policies=False
    )
    handlers = lambdas.app.use(outbox.wire(world.session, variant=chosen, clock=world.now))
    world.local_handler("AddBook", handlers.add_book)
    world.local_handler("RemoveBook", handlers.remove_book)
    if variant == "cdc":
        world.observe_bus(provisioned.names.bus)


@given("the book is posted")
@when("the book is posted")
def the_book_is_posted(eventproof_world: World) -> None:
    world = eventproof_world
    world.response = world.invoke("AddBook", {"httpMethod": "POST", "body": json.dumps(world.message)})


@given(parsers.parse('the book "{name}" is deleted'))
@when(parsers.parse('the book "{name}" is deleted'))
def the_book_is_deleted(eventproof_world: World, name: str) -> None:
    world = eventproof_world
    world.response = world.invoke("RemoveBook", {"httpMethod": "DELETE", "body": json.dumps({"name": name})})


@when("the last BookAdded is delivered to its consumer again")
def the_last_book_added_is_delivered_again(eventproof_world: World) -> None:
    aws = eventproof_world.require_fakes("redelivering what a pipe delivered")
    last = aws.invocations("BookAdded")[-1]
    eventproof_world.invoke("BookAdded", last.event)
