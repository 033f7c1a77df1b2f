"""SES v1 and v2: identities, the sandbox check, simple/raw/templated mail, one shared outbox."""

from __future__ import annotations

import json
from email.message import EmailMessage
from typing import Any

import pytest
from botocore.exceptions import ClientError

SENDER = "noreply@shop.example"
CUSTOMER = "ann@customers.example"


def _code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


@pytest.fixture
def ses(aws: Any) -> Any:
    return aws.client("ses")


@pytest.fixture
def sesv2(aws: Any) -> Any:
    return aws.client("sesv2")


def _verified(ses: Any) -> Any:
    ses.verify_email_identity(EmailAddress=SENDER)
    ses.verify_email_identity(EmailAddress=CUSTOMER)
    return ses


def _simple(subject: str = "Hi", text: str = "Hello") -> dict[str, Any]:
    return {"Subject": {"Data": subject}, "Body": {"Text": {"Data": text}}}


def _sent(aws: Any) -> list[Any]:
    return list(aws.env.ses.sent())


def test_verified_identities_are_listed_with_their_status(ses: Any) -> None:
    ses.verify_email_identity(EmailAddress=SENDER)
    token = ses.verify_domain_identity(Domain="shop.example")["VerificationToken"]
    assert token
    assert sorted(ses.list_identities()["Identities"]) == sorted([SENDER, "shop.example"])
    assert ses.list_identities(IdentityType="Domain")["Identities"] == ["shop.example"]
    attributes = ses.get_identity_verification_attributes(Identities=[SENDER, "shop.example"])
    assert attributes["VerificationAttributes"][SENDER]["VerificationStatus"] == "Success"


def test_an_unverified_sender_is_rejected_naming_the_identity(ses: Any) -> None:
    with pytest.raises(ClientError) as error:
        ses.send_email(Source=SENDER, Destination={"ToAddresses": [CUSTOMER]}, Message=_simple())
    assert _code(error) == "MessageRejected"
    assert SENDER in str(error.value)


@pytest.mark.fakes_only  # moto checks only the sender; the sandbox checks recipients too:
# https://docs.aws.amazon.com/ses/latest/dg/request-production-access.html
def test_the_sandbox_rejects_an_unverified_recipient(aws: Any, ses: Any) -> None:
    ses.verify_email_identity(EmailAddress=SENDER)
    with pytest.raises(ClientError) as error:
        ses.send_email(Source=SENDER, Destination={"ToAddresses": ["bob@else.example"]}, Message=_simple())
    assert str(error.value).endswith(
        "Email address is not verified. The following identities failed the check in region "
        "US-EAST-1: bob@else.example"
    )
    aws.env.ses.sandbox = False  # production access: recipients are no longer checked
    ses.send_email(Source=SENDER, Destination={"ToAddresses": ["bob@else.example"]}, Message=_simple())
    assert [mail.to for mail in _sent(aws)] == [["bob@else.example"]]


@pytest.mark.fakes_only  # the outbox is the fake's Python API
def test_a_verified_domain_covers_its_addresses_and_the_mail_is_recorded(aws: Any, ses: Any) -> None:
    ses.verify_domain_identity(Domain="shop.example")
    ses.verify_domain_identity(Domain="customers.example")
    message_id = ses.send_email(
        Source=f"Shop <{SENDER}>", Destination={"ToAddresses": [CUSTOMER], "BccAddresses": ["audit@shop.example"]},
        Message={"Subject": {"Data": "Order 7"}, "Body": {"Text": {"Data": "t"}, "Html": {"Data": "<b>h</b>"}}},
        ReplyToAddresses=["help@shop.example"],
    )["MessageId"]
    [mail] = _sent(aws)
    assert (mail.message_id, mail.api, mail.sender, mail.subject) == (message_id, "ses", SENDER, "Order 7")
    assert (mail.to, mail.bcc, mail.text, mail.html) == ([CUSTOMER], ["audit@shop.example"], "t", "<b>h</b>")
    assert mail.reply_to == ["help@shop.example"]
    assert aws.env.ses.sent(to="audit@shop.example") == [mail]


def test_send_email_returns_a_message_id(ses: Any) -> None:
    _verified(ses)
    response = ses.send_email(Source=SENDER, Destination={"ToAddresses": [CUSTOMER]}, Message=_simple())
    assert response["MessageId"]


def test_an_address_without_a_domain_is_refused(ses: Any) -> None:
    _verified(ses)
    with pytest.raises(ClientError) as error:
        ses.send_email(Source=SENDER, Destination={"ToAddresses": ["not-an-address"]}, Message=_simple())
    assert _code(error) in ("InvalidParameterValue", "MessageRejected")


def _raw(to: str = CUSTOMER) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = SENDER, to, "Raw hello"
    message.set_content("plain body")
    message.add_alternative("<p>html body</p>", subtype="html")
    return bytes(message)


def test_send_raw_email_takes_sender_and_recipients_from_the_headers(aws: Any, ses: Any) -> None:
    _verified(ses)
    assert ses.send_raw_email(RawMessage={"Data": _raw()})["MessageId"]
    if hasattr(aws, "env"):
        [mail] = _sent(aws)
        assert (mail.sender, mail.to, mail.subject) == (SENDER, [CUSTOMER], "Raw hello")
        assert mail.text.strip() == "plain body" and mail.html.strip() == "<p>html body</p>"


def test_templates_are_created_read_and_deleted(ses: Any) -> None:
    template = {"TemplateName": "welcome", "SubjectPart": "Hi {{name}}", "TextPart": "Welcome, {{name}}!"}
    ses.create_template(Template=template)
    assert ses.get_template(TemplateName="welcome")["Template"]["SubjectPart"] == "Hi {{name}}"
    with pytest.raises(ClientError) as error:
        ses.create_template(Template=template)
    assert _code(error) == "AlreadyExists"
    ses.delete_template(TemplateName="welcome")
    with pytest.raises(ClientError) as error:
        ses.get_template(TemplateName="welcome")
    assert _code(error) == "TemplateDoesNotExist"


def test_a_templated_email_is_rendered_with_its_data(aws: Any, ses: Any) -> None:
    _verified(ses)
    ses.create_template(Template={
        "TemplateName": "order", "SubjectPart": "Order {{order.id}}",
        "TextPart": "Dear {{name}}", "HtmlPart": "<p>{{name}}</p>",
    })
    ses.send_templated_email(
        Source=SENDER, Destination={"ToAddresses": [CUSTOMER]}, Template="order",
        TemplateData=json.dumps({"name": "Ann & Co", "order": {"id": 7}}),
    )
    if hasattr(aws, "env"):
        [mail] = _sent(aws)
        assert (mail.subject, mail.text, mail.html) == ("Order 7", "Dear Ann & Co", "<p>Ann &amp; Co</p>")
        assert mail.template == "order"


def test_a_templated_email_needs_an_existing_template(ses: Any) -> None:
    _verified(ses)
    with pytest.raises(ClientError) as error:
        ses.send_templated_email(
            Source=SENDER, Destination={"ToAddresses": [CUSTOMER]}, Template="ghost", TemplateData="{}"
        )
    assert _code(error) == "TemplateDoesNotExist"


@pytest.mark.fakes_only  # missing data is a rendering failure: accepted, not delivered:
# https://docs.aws.amazon.com/ses/latest/dg/send-personalized-email-api.html
def test_missing_template_data_is_a_rendering_failure_not_a_delivery(aws: Any, ses: Any) -> None:
    _verified(ses)
    ses.create_template(Template={"TemplateName": "t", "SubjectPart": "Hi {{name}}", "TextPart": "x"})
    assert ses.send_templated_email(
        Source=SENDER, Destination={"ToAddresses": [CUSTOMER]}, Template="t", TemplateData="{}"
    )["MessageId"]
    assert _sent(aws) == []
    [failure] = aws.env.ses.store.rendering_failures
    assert "name" in failure.error


def test_the_send_quota_counts_what_was_sent(ses: Any) -> None:
    _verified(ses)
    before = ses.get_send_quota()
    ses.send_email(Source=SENDER, Destination={"ToAddresses": [CUSTOMER]}, Message=_simple())
    after = ses.get_send_quota()
    assert after["Max24HourSend"] > 0 and after["SentLast24Hours"] == before["SentLast24Hours"] + 1


@pytest.mark.fakes_only  # the 24-hour window runs on the virtual clock
def test_the_quota_window_slides_on_the_virtual_clock(aws: Any, ses: Any) -> None:
    _verified(ses)
    ses.send_email(Source=SENDER, Destination={"ToAddresses": [CUSTOMER]}, Message=_simple())
    aws.advance(86_400)
    assert ses.get_send_quota()["SentLast24Hours"] == 0


def test_v2_email_identity_is_created_and_read(sesv2: Any) -> None:
    created = sesv2.create_email_identity(EmailIdentity=SENDER)
    assert created["IdentityType"] == "EMAIL_ADDRESS"
    identity = sesv2.get_email_identity(EmailIdentity=SENDER)
    assert identity["IdentityType"] == "EMAIL_ADDRESS"
    with pytest.raises(ClientError) as error:
        sesv2.get_email_identity(EmailIdentity="nobody@nowhere.example")
    assert _code(error) == "NotFoundException"


def test_v2_simple_and_raw_content_are_sent(aws: Any, sesv2: Any) -> None:
    sesv2.create_email_identity(EmailIdentity=SENDER)
    sesv2.create_email_identity(EmailIdentity=CUSTOMER)
    simple = sesv2.send_email(
        FromEmailAddress=SENDER, Destination={"ToAddresses": [CUSTOMER]}, Content={"Simple": _simple("S2")}
    )
    raw = sesv2.send_email(Content={"Raw": {"Data": _raw()}})
    assert simple["MessageId"] and raw["MessageId"]
    if hasattr(aws, "env"):
        assert [(m.api, m.subject) for m in _sent(aws)] == [("sesv2", "S2"), ("sesv2", "Raw hello")]


@pytest.mark.fakes_only  # moto has no CreateEmailTemplate; AWS:
# https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_CreateEmailTemplate.html
def test_v2_template_content_uses_a_template_made_with_v2(aws: Any, sesv2: Any) -> None:
    sesv2.create_email_identity(EmailIdentity=SENDER)
    sesv2.create_email_identity(EmailIdentity=CUSTOMER)
    sesv2.create_email_template(
        TemplateName="v2t", TemplateContent={"Subject": "Hello {{who}}", "Text": "Body {{who}}"}
    )
    sesv2.send_email(
        FromEmailAddress=SENDER, Destination={"ToAddresses": [CUSTOMER]},
        Content={"Template": {"TemplateName": "v2t", "TemplateData": json.dumps({"who": "Ann"})}},
    )
    if hasattr(aws, "env"):
        assert [(m.subject, m.text) for m in _sent(aws)] == [("Hello Ann", "Body Ann")]


def test_v2_refuses_an_unverified_sender(sesv2: Any) -> None:
    with pytest.raises(ClientError) as error:
        sesv2.send_email(
            FromEmailAddress=SENDER, Destination={"ToAddresses": [CUSTOMER]}, Content={"Simple": _simple()}
        )
    assert _code(error) == "MessageRejected"


@pytest.mark.fakes_only  # v1 and v2 share identities and one outbox on AWS as on the fake
def test_an_identity_verified_with_v1_sends_with_v2_into_one_outbox(aws: Any, ses: Any, sesv2: Any) -> None:
    _verified(ses)
    ses.send_email(Source=SENDER, Destination={"ToAddresses": [CUSTOMER]}, Message=_simple("one"))
    sesv2.send_email(FromEmailAddress=SENDER, Destination={"ToAddresses": [CUSTOMER]}, Content={"Simple": _simple("two")})
    assert [(m.api, m.subject) for m in _sent(aws)] == [("ses", "one"), ("sesv2", "two")]


@pytest.mark.fakes_only  # verification on the fake's clock (AWS waits for a click or DNS)
def test_verification_can_wait_on_the_virtual_clock(aws: Any, ses: Any) -> None:
    aws.env.ses.store.verification_delay = 60
    ses.verify_email_identity(EmailAddress=SENDER)
    status = ses.get_identity_verification_attributes(Identities=[SENDER])["VerificationAttributes"]
    assert status[SENDER]["VerificationStatus"] == "Pending"
    aws.advance(60)
    status = ses.get_identity_verification_attributes(Identities=[SENDER])["VerificationAttributes"]
    assert status[SENDER]["VerificationStatus"] == "Success"
