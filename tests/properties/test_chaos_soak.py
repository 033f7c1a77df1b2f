"""A small chaos soak (``benchmarks/chaos.py`` runs 10,000 schedules): conservation holds, and it can fail."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from reference_impl.async_controller.email_helper import EmailHelper
from tests.properties.chaos_soak import Soak, replay_command

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def soak() -> Iterator[Soak]:
    with Soak() as running:
        yield running


def test_sixty_schedules_lose_and_double_nothing(soak: Soak) -> None:
    outcomes = [soak.run_schedule(seed) for seed in range(60)]
    assert {o.pattern for o in outcomes} == {
        "async_controller", "command_bus", "command_dispatch", "destinations", "outbox"}
    assert [o.describe() for o in outcomes if o.violations] == []
    # Not vacuous: the schedules did inject faults.
    assert sum("crash on" in step for o in outcomes for step in o.steps) >= 10


def _send_without_checking_the_claim(self: EmailHelper, recipient: str, message_key: str,
                                     subject: str, body: str) -> int:
    """The helper as it was before the soak found it: a claim means "sent", even if it was not."""
    key = {"recipient": recipient, "messageKey": message_key}
    try:
        self.emails.put_item(Item={**key, "subject": subject},
                             ConditionExpression="attribute_not_exists(messageKey)")
    except ClientError:
        return 0
    sent = self.ses.send_email(Source=self.sender, Destination={"ToAddresses": [recipient]},
                               Message={"Subject": {"Data": subject}, "Body": {"Text": {"Data": body}}})
    self.emails.update_item(Key=key, UpdateExpression="SET sesMessageId = :id",
                            ExpressionAttributeValues={":id": sent["MessageId"]})
    return 1


def test_the_soak_finds_an_email_lost_between_claim_and_send(
    soak: Soak, monkeypatch: Any
) -> None:
    monkeypatch.setattr(EmailHelper, "_send", _send_without_checking_the_claim)
    # Schedule 57 (one of the sixty above): the helper dies after claiming the seller's email
    # and before SES takes it; its retry finds the claim and sends nothing.
    outcome = soak.run_schedule(57)
    assert outcome.pattern == "async_controller"
    assert any("never sent" in v for v in outcome.violations), outcome.describe()
    assert replay_command(57) in outcome.describe()
    # A replay is exact: the same schedule gives the same story.
    assert soak.run_schedule(57).describe() == outcome.describe()
