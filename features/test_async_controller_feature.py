"""The async controller scenarios, and the steps only this pattern needs."""

from __future__ import annotations

from pathlib import Path

from pytest_bdd import given, parsers, scenarios, then

from eventproof.steps import World
from reference_impl import async_controller
from reference_impl.async_controller import lambdas
from reference_impl.async_controller.add_leed import booking_key

scenarios("async_controller.feature")

TEMPLATE = Path(str(async_controller.__file__)).parent / "template.yaml"


@given("the leedz app is deployed")
def the_leedz_app_is_deployed(eventproof_world: World, deployment: str) -> None:
    world = eventproof_world
    if deployment == "template":
        world.deploy_template(TEMPLATE)
        return
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


@given(parsers.parse('"{address}" is verified with SES only after {minutes:d} minutes'))
def verified_only_after(eventproof_world: World, address: str, minutes: int) -> None:
    aws = eventproof_world.require_fakes("SES verification on the virtual clock")
    aws.ses.verify_later(address, minutes * 60)


@then(parsers.re(r"SES sent (?P<count>\d+) emails?"))
def ses_sent_emails(eventproof_world: World, count: str) -> None:
    # Each email here has one recipient, and SES counts recipients: fakes and moto both answer this.
    sent = eventproof_world.session.client("ses").get_send_quota()["SentLast24Hours"]
    if int(sent) != int(count):
        raise eventproof_world.fail(f"SES sent {int(sent)} email(s), expected {count}")


@then(parsers.parse('SES sent "{recipient}" an email from "{sender}" with subject "{subject}"'))
def ses_sent_an_email(eventproof_world: World, recipient: str, sender: str, subject: str) -> None:
    aws = eventproof_world.require_fakes("reading SES's outbox")
    mails = aws.ses.sent(to=recipient)
    if not any(mail.sender == sender and mail.subject == subject for mail in mails):
        seen = [(mail.sender, mail.subject) for mail in mails] or "nothing"
        raise eventproof_world.fail(f"SES sent {recipient} {seen}, not {subject!r} from {sender}")
