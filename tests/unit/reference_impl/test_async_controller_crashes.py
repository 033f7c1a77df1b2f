"""addLeed survives dying between its booking and asking the helper: the client's retry finishes the post."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from eventproof_fakes import FakeAWS
from reference_impl.async_controller import provision, wire

LEED = {
    "id": "7c1e2d3f-4a5b-4c6d-8e7f-8091a2b3c4d5", "trade": "caricatures", "seller": "scott.gross",
    "sellerEmail": "scott@theleedz.com", "title": "Wedding reception, 3 hours", "date": "2026-06-20",
    "zip": "90210", "price": {"amount": 450, "currency": "USD"},
}


def post_with_crash(at_call: int, when: Any) -> tuple[FakeAWS, list[Any]]:
    """Post once with a crash armed; the client retries after a failed attempt, as clients do."""
    aws = FakeAWS()
    answers: list[Any] = []
    with aws.patch_boto3():
        session = boto3.session.Session()
        provision(session, with_functions=False)
        handlers = wire(session)
        aws.lambda_.register("addLeed", handlers.add_leed)
        aws.lambda_.register("async_email_helper", handlers.async_email_helper)
        aws.faults.crash("addLeed", at_call=at_call, when=when)
        for _ in range(2):
            result = aws.lambda_.invoke_sync("addLeed", LEED)
            answers.append(result.payload)
            if result.error is None:
                break
        aws.run_until_idle()
    return aws, answers


@pytest.mark.parametrize(
    ("at_call", "when"),
    [(1, "after"), (2, "before"), (2, "after"), (3, "before"), (4, "before"), (4, "after"), (5, "before")],
)
def test_every_crash_point_ends_with_the_leed_stored_and_the_seller_emailed_once(
    at_call: int, when: str
) -> None:
    aws, answers = post_with_crash(at_call, when)

    assert answers[-1]["statusCode"] == 201
    assert [item["leedId"]["S"] for item in aws.dynamodb.items("Leeds")] == [LEED["id"]]
    confirmations = [
        email for email in aws.dynamodb.items("Emails")
        if email["messageKey"]["S"] == f"{LEED['id']}#confirmPosting"
    ]
    assert len(confirmations) == 1


def test_a_retry_of_a_finished_post_changes_nothing() -> None:
    aws, answers = post_with_crash(at_call=99, when="before")  # never reached: one clean post
    with aws.patch_boto3():
        again = aws.lambda_.invoke_sync("addLeed", LEED).payload
        aws.run_until_idle()
    assert answers[0]["statusCode"] == 201
    assert again == {"statusCode": 200, "body": {"id": LEED["id"], "status": "ALREADY_POSTED"}}
    assert len(aws.invocations("async_email_helper")) == 2


@pytest.mark.parametrize("when", ["before", "after"])
def test_the_helper_emails_the_seller_even_when_it_dies_between_claiming_and_sending(when: str) -> None:
    """Found by the chaos soak: a retry used to find the claim and send nothing, so the email was lost."""
    aws = FakeAWS()
    with aws.patch_boto3():
        session = boto3.session.Session()
        provision(session, with_functions=False)
        handlers = wire(session)
        aws.lambda_.register("async_email_helper", handlers.async_email_helper)
        # Calls of confirmPosting: PutItem (the claim), SendEmail, UpdateItem (SES's MessageId).
        aws.faults.crash("async_email_helper", at_call=2, when=when)
        aws.lambda_.invoke_async("async_email_helper", {
            "function": "confirmPosting", "id": LEED["id"], "sellerEmail": LEED["sellerEmail"],
            "title": LEED["title"]})
        aws.run_until_idle()
    sent = aws.ses.sent(to=LEED["sellerEmail"])
    # Before the call took effect: sent once, by the retry. After: SES took it, and the retry
    # cannot know, so it goes out twice (SES has no idempotency token).
    assert len(sent) == (1 if when == "before" else 2)
    (claim,) = aws.dynamodb.items("Emails")
    assert "sesMessageId" in claim
