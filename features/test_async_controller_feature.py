"""The async controller scenarios, and the steps only this pattern needs."""

from __future__ import annotations

from pytest_bdd import given, parsers, scenarios

from eventproof.steps import World
from reference_impl import async_controller
from reference_impl.async_controller import lambdas
from reference_impl.async_controller.add_leed import booking_key

scenarios("async_controller.feature")


@given("the leedz app is deployed")
def the_leedz_app_is_deployed(eventproof_world: World) -> None:
    world = eventproof_world
    names = async_controller.provision(world.session, with_functions=world.aws is not None)
    handlers = lambdas.app.use(async_controller.wire(world.session, clock=world.now))
    world.local_handler(names.add_leed_function, handlers.add_leed)
    world.local_handler(names.helper_function, handlers.async_email_helper)


@given(parsers.parse('"{user}" with "{email}" subscribes to "{trade}"'))
def a_user_subscribes(eventproof_world: World, user: str, email: str, trade: str) -> None:
    async_controller.subscribe(eventproof_world.session, trade, user, email)


@given(parsers.parse("{trade} is already booked on {date} in {zip_code}"))
def the_slot_is_booked(eventproof_world: World, trade: str, date: str, zip_code: str) -> None:
    table = eventproof_world.session.resource("dynamodb").Table("Bookings")
    key = booking_key({"trade": trade, "date": date, "zip": zip_code})
    table.put_item(Item={"bookingKey": key, "leedId": "00000000-0000-4000-8000-000000000000"})
