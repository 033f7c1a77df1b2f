"""async_email_helper: one controller for every email task, dispatching on ``function``.

Emails go out through SES (``send_email``). Lambda may deliver an
asynchronous event more than once, so each message first claims its key
(recipient, ``<leed id>#<function>``) in the Emails ledger with a
conditional write: a duplicate delivery finds the claim and sends nothing.
If SES refuses the message the claim is released and the error raised, so
Lambda's retry sends it; the ledger keeps SES's MessageId of every message
that went out.

A claim without a MessageId is an attempt that died between claiming and
recording what SES answered (a timeout): the retry sends the message. SES
has no idempotency token, so a death after SES accepted it sends it twice;
an email twice is better than none (the chaos soak found claims whose
email never went out).
"""

from __future__ import annotations

import logging
from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from reference_impl.shared import Clock, iso

logger = logging.getLogger(__name__)


class UnknownControllerFunction(ValueError):
    """The payload names no task this controller has; Lambda retries, then gives up."""


class EmailHelper:
    def __init__(self, subscriptions_table: Any, emails_table: Any, ses_client: Any, sender: str, clock: Clock) -> None:
        self.subscriptions = subscriptions_table
        self.emails = emails_table
        self.ses = ses_client
        self.sender = sender
        self.clock = clock

    def handle(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        match event.get("function"):
            case "notifyUsers":
                sent = self.notify_users(event["id"], event["trade"], event["seller"], event["title"], event["date"])
            case "confirmPosting":
                sent = self.confirm_posting(event["id"], event["sellerEmail"], event["title"])
            case other:
                raise UnknownControllerFunction(f"async_email_helper has no function {other!r}")
        return {"function": event["function"], "sent": sent}

    def notify_users(self, leed_id: str, trade: str, seller: str, title: str, date: str) -> int:
        """Email every user subscribed to ``trade``, except the seller."""
        subscribers = self.subscriptions.query(KeyConditionExpression=Key("trade").eq(trade))["Items"]
        subject = f"New {trade} leed on {date}: {title}"
        body = f"A new {trade} leed was posted for {date}: {title}."
        return sum(
            self._send(subscriber["email"], f"{leed_id}#notifyUsers", subject, body)
            for subscriber in subscribers
            if subscriber.get("user") != seller
        )

    def confirm_posting(self, leed_id: str, seller_email: str, title: str) -> int:
        subject = f"Your leed is posted: {title}"
        return self._send(seller_email, f"{leed_id}#confirmPosting", subject, f"{subject}. Thank you.")

    def _send(self, recipient: str, message_key: str, subject: str, body: str) -> int:
        key = {"recipient": recipient, "messageKey": message_key}
        try:
            self.emails.put_item(
                Item={**key, "subject": subject, "sentAt": iso(self.clock())},
                ConditionExpression="attribute_not_exists(messageKey)",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            claim = self.emails.get_item(Key=key, ConsistentRead=True).get("Item", {})
            if "sesMessageId" in claim:
                logger.info("%s was sent to %s already", message_key, recipient)
                return 0
            logger.info("%s to %s was claimed but never recorded as sent: sending", message_key, recipient)
        try:
            sent = self.ses.send_email(
                Source=self.sender,
                Destination={"ToAddresses": [recipient]},
                Message={"Subject": {"Data": subject}, "Body": {"Text": {"Data": body}}},
            )
        except ClientError:
            self.emails.delete_item(Key=key)  # release the claim: Lambda's retry sends it
            raise
        self.emails.update_item(
            Key=key,
            UpdateExpression="SET sesMessageId = :id",
            ExpressionAttributeValues={":id": sent["MessageId"]},
        )
        return 1
