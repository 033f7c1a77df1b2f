"""async_email_helper: one controller for every email task, dispatching on ``function``.

There is no SES in eventproof's fakes, so "sending" an email records it in
an Emails table (recipient, message key); a real deployment would call
``ses.send_email`` at the same place. The conditional write also makes a
duplicate asynchronous delivery send nothing twice.
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
    def __init__(self, subscriptions_table: Any, emails_table: Any, clock: Clock) -> None:
        self.subscriptions = subscriptions_table
        self.emails = emails_table
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
        return sum(
            self._send(subscriber["email"], f"{leed_id}#notifyUsers", subject)
            for subscriber in subscribers
            if subscriber.get("user") != seller
        )

    def confirm_posting(self, leed_id: str, seller_email: str, title: str) -> int:
        return self._send(seller_email, f"{leed_id}#confirmPosting", f"Your leed is posted: {title}")

    def _send(self, recipient: str, message_key: str, subject: str) -> int:
        try:
            self.emails.put_item(
                Item={"recipient": recipient, "messageKey": message_key, "subject": subject, "sentAt": iso(self.clock())},
                ConditionExpression="attribute_not_exists(messageKey)",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            logger.info("%s was sent to %s already", message_key, recipient)
            return 0
        return 1
