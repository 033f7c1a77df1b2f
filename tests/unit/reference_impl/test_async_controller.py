from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from reference_impl.async_controller import provision, subscribe, wire
from reference_impl.async_controller.add_leed import (
    booking_key,
    confirm_posting_payload,
    notify_users_payload,
)
from reference_impl.async_controller.email_helper import UnknownControllerFunction

LEED = {
    "id": "7c1e2d3f-4a5b-4c6d-8e7f-8091a2b3c4d5", "trade": "caricatures", "seller": "scott.gross",
    "sellerEmail": "scott@theleedz.com", "title": "Wedding reception, 3 hours", "date": "2026-06-20",
    "zip": "90210", "price": {"amount": 450, "currency": "USD"},
}


def test_the_notify_users_payload_carries_the_controller_function() -> None:
    assert notify_users_payload(LEED) == {
        "function": "notifyUsers", "id": LEED["id"], "trade": "caricatures",
        "seller": "scott.gross", "title": LEED["title"], "date": "2026-06-20",
    }
    assert booking_key(LEED) == "caricatures#2026-06-20#90210"


def test_an_invalid_leed_answers_400_with_its_violations(moto_session: boto3.session.Session) -> None:
    provision(moto_session, with_functions=False)
    answer = wire(moto_session).add_leed({**LEED, "date": "20/06/2026"}, None)
    assert answer["statusCode"] == 400
    assert any(line.startswith("/date") for line in answer["body"]["violations"])


def test_a_booked_slot_answers_409(moto_session: boto3.session.Session) -> None:
    provision(moto_session, with_functions=False)
    moto_session.resource("dynamodb").Table("Bookings").put_item(
        Item={"bookingKey": booking_key(LEED), "leedId": "00000000-0000-4000-8000-000000000000"}
    )
    assert wire(moto_session).add_leed(LEED, None)["statusCode"] == 409


def test_the_helper_emails_each_subscriber_once_but_not_the_seller(moto_session: boto3.session.Session) -> None:
    provision(moto_session, with_functions=False)
    subscribe(moto_session, "caricatures", "ann", "ann@example.com")
    subscribe(moto_session, "caricatures", "scott.gross", "scott@theleedz.com")
    subscribe(moto_session, "face-painting", "bob", "bob@example.com")
    helper = wire(moto_session).async_email_helper
    assert helper(notify_users_payload(LEED), None) == {"function": "notifyUsers", "sent": 1}
    assert helper(notify_users_payload(LEED), None) == {"function": "notifyUsers", "sent": 0}
    emails = moto_session.resource("dynamodb").Table("Emails").scan()["Items"]
    assert [e["recipient"] for e in emails] == ["ann@example.com"]
    assert emails[0]["sesMessageId"]
    assert moto_session.client("ses").get_send_quota()["SentLast24Hours"] == 1


def test_a_message_ses_rejects_releases_its_claim(moto_session: boto3.session.Session) -> None:
    names = provision(moto_session, with_functions=False)
    ses = moto_session.client("ses")
    ses.delete_identity(Identity=names.sender_domain)  # the sender is no longer verified
    with pytest.raises(ClientError) as error:
        wire(moto_session).async_email_helper(confirm_posting_payload(LEED), None)
    assert error.value.response["Error"]["Code"] == "MessageRejected"
    assert moto_session.resource("dynamodb").Table("Emails").scan()["Items"] == []


def test_the_helper_refuses_a_function_it_does_not_have(moto_session: boto3.session.Session) -> None:
    provision(moto_session, with_functions=False)
    with pytest.raises(UnknownControllerFunction, match="sendInvoice"):
        wire(moto_session).async_email_helper({"function": "sendInvoice"}, None)
