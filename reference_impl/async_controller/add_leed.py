"""addLeed: validate and book synchronously, answer at once, hand the bookkeeping to a controller.

The client waits only for what it must know (is the leed valid, is the slot
free); the emails go to ``async_email_helper`` with ``InvocationType='Event'``,
so Lambda queues them and returns 202 before the helper runs.

The booking remembers whether the helpers were asked (``helpersAsked``): a
client that retries after an attempt died between booking and asking gets
the leed stored and the helpers asked; one that retries a finished post
changes nothing. (A death after asking but before marking asks twice; the
helper deduplicates on the leed id and function.)
"""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from reference_impl.shared import load_validator, to_dynamo


def booking_key(leed: dict[str, Any]) -> str:
    """One booking per trade, date and place: the stand-in for the article's location lookup."""
    return f"{leed['trade']}#{leed['date']}#{leed['zip']}"


def notify_users_payload(leed: dict[str, Any]) -> dict[str, Any]:
    """contracts/async_controller/NotifyUsers.avsc"""
    fields = ("id", "trade", "seller", "title", "date")
    return {"function": "notifyUsers", **{key: leed[key] for key in fields}}


def confirm_posting_payload(leed: dict[str, Any]) -> dict[str, Any]:
    """contracts/async_controller/ConfirmPosting.schema.json"""
    fields = ("id", "seller", "sellerEmail", "title")
    return {"function": "confirmPosting", **{key: leed[key] for key in fields}}


class AddLeed:
    def __init__(self, bookings_table: Any, leeds_table: Any, lambda_client: Any, helper_function: str) -> None:
        self.bookings = bookings_table
        self.leeds = leeds_table
        self.lambda_client = lambda_client
        self.helper_function = helper_function
        self.contract = load_validator("async_controller/AddLeed.schema.json")

    def handle(self, event: Any, context: Any) -> dict[str, Any]:
        violations = self.contract.violations(event)
        if violations:
            return _answer(400, error="InvalidLeed", message="the leed breaks the AddLeed contract", violations=violations)
        leed = event
        try:
            previous = self.bookings.put_item(
                Item={"bookingKey": booking_key(leed), "leedId": leed["id"]},
                ConditionExpression="attribute_not_exists(bookingKey) OR leedId = :id",
                ExpressionAttributeValues={":id": leed["id"]},
                ReturnValues="ALL_OLD",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            message = f"{leed['trade']} is already booked on {leed['date']} in {leed['zip']}"
            return _answer(409, error="BookingConflict", message=message)
        if previous.get("Attributes", {}).get("helpersAsked"):
            return _answer(200, id=leed["id"], status="ALREADY_POSTED")
        self.leeds.put_item(Item=to_dynamo({**leed, "leedId": leed["id"]}))
        for payload in (notify_users_payload(leed), confirm_posting_payload(leed)):
            self.lambda_client.invoke(
                FunctionName=self.helper_function, InvocationType="Event", Payload=json.dumps(payload)
            )
        self.bookings.update_item(
            Key={"bookingKey": booking_key(leed)},
            UpdateExpression="SET helpersAsked = :asked",
            ExpressionAttributeValues={":asked": True},
        )
        return _answer(201, id=leed["id"], status="POSTED")


def _answer(status_code: int, **body: Any) -> dict[str, Any]:
    return {"statusCode": status_code, "body": body}
