"""ProcessOrder and RefundOrder: the article's order commands, done so they work on AWS.

The seed's RefundOrder writes ``SET status = :status``; ``status`` is a
DynamoDB reserved word, so AWS refuses that expression. We name it through
``ExpressionAttributeNames`` (``#status``).

Each command writes the order, then sends a message: two calls that cannot
be one transaction. The order item remembers whether its message went out
(``paymentRequested``, ``refundNotified``), so a redelivered command that
finds the write done but the message unsent (the first attempt died between
the two calls) sends it, and one that finds both done sends nothing. A crash
after the send but before the flag is set sends twice; consumers
deduplicate on the ids, which stay the same.
"""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

from reference_impl.command_dispatch.commands import CommandContext, CommandRefused
from reference_impl.shared import Clock, epoch_millis, iso, load_validator, to_dynamo
from reference_impl.shared.checks import is_uuid

# ProcessPayment ids derive from the order id, so a redelivered ProcessOrder asks for the same payment.
PAYMENT_NAMESPACE = uuid.UUID("6f0c5f43-2b51-4cfb-9b8e-6d1f4c3a2e10")
_CURRENCIES = {"EUR", "USD", "GBP"}


class ProcessOrder:
    """Record the order as PROCESSING once, then ask the payment service to charge it."""

    command_type = "PROCESS_ORDER"

    def __init__(self, orders_table: Any, sqs: Any, payment_queue_url: str, clock: Clock) -> None:
        self.orders = orders_table
        self.sqs = sqs
        self.payment_queue_url = payment_queue_url
        self.clock = clock
        self.contract = load_validator("command_dispatch/ProcessOrder.schema.json")

    def validate(self, payload: dict[str, Any]) -> list[str]:
        return self.contract.violations(payload)

    def execute(self, context: CommandContext) -> dict[str, Any]:
        order, now = context.payload, self.clock()
        item = to_dynamo(
            {**order, "status": "PROCESSING", "timestamp": iso(now), "paymentRequested": False}
        )
        status = "PROCESSING"
        try:
            self.orders.put_item(Item=item, ConditionExpression="attribute_not_exists(orderId)")
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            status = "ALREADY_DONE"
            stored = self.orders.get_item(Key={"orderId": order["orderId"]}, ConsistentRead=True)
            if stored.get("Item", {}).get("paymentRequested", True):
                return {"status": status, "orderId": order["orderId"]}
        self.sqs.send_message(
            QueueUrl=self.payment_queue_url,
            MessageBody=json.dumps(process_payment(order, now)),
            MessageAttributes={"type": {"DataType": "String", "StringValue": "ProcessPayment"}},
        )
        self.orders.update_item(
            Key={"orderId": order["orderId"]},
            UpdateExpression="SET paymentRequested = :sent",
            ExpressionAttributeValues={":sent": True},
        )
        return {"status": status, "orderId": order["orderId"]}


def process_payment(order: dict[str, Any], now: float) -> dict[str, Any]:
    """The ProcessPayment command for an order (contracts/command_bus/ProcessPayment.avsc)."""
    return {
        "paymentId": str(uuid.uuid5(PAYMENT_NAMESPACE, order["orderId"])),
        "orderId": order["orderId"],
        "customerId": order["userId"],
        "amount": order["amount"],
        "requestedAt": epoch_millis(now),
    }


class RefundOrder:
    """Mark an order REFUNDED with its refund amount, once, and tell the refund-notification topic."""

    command_type = "REFUND_ORDER"

    def __init__(self, orders_table: Any, sns: Any, refund_topic_arn: str, clock: Clock) -> None:
        self.orders = orders_table
        self.sns = sns
        self.refund_topic_arn = refund_topic_arn
        self.clock = clock

    def validate(self, payload: dict[str, Any]) -> list[str]:
        # RefundOrder's contract is Avro (contracts/command_dispatch/RefundOrder.avsc): checked by hand.
        problems = [f"/{field}: is not allowed" for field in sorted(set(payload) - {"orderId", "refundAmount", "reason"})]
        if not is_uuid(payload.get("orderId")):
            problems.append("/orderId: expected a uuid string")
        problems += _money_problems(payload.get("refundAmount"), "/refundAmount")
        if payload.get("reason") is not None and not isinstance(payload["reason"], str):
            problems.append("/reason: expected null or a string")
        return problems

    def execute(self, context: CommandContext) -> dict[str, Any]:
        refund, now = context.payload, self.clock()
        status = "REFUNDED"
        try:
            self.orders.update_item(
                Key={"orderId": refund["orderId"]},
                UpdateExpression=(
                    "SET #status = :refunded, refundAmount = :amount, refundedAt = :at, "
                    "refundNotified = :no"
                ),
                ConditionExpression="attribute_exists(orderId) AND #status <> :refunded",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=to_dynamo(
                    {":refunded": "REFUNDED", ":amount": refund["refundAmount"], ":at": iso(now), ":no": False}
                ),
            )
            refunded_at = iso(now)
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            stored = self._refunded_order(refund["orderId"])
            status = "ALREADY_DONE"
            if stored.get("refundNotified", True):
                return {"status": status, "orderId": refund["orderId"]}
            refunded_at = stored["refundedAt"]
        notification = {
            "orderId": refund["orderId"],
            "refundAmount": refund["refundAmount"],
            "reason": refund.get("reason"),
            "status": "REFUNDED",
            "refundedAt": refunded_at,
        }
        self.sns.publish(
            TopicArn=self.refund_topic_arn,
            Message=json.dumps(notification),
            MessageAttributes={"type": {"DataType": "String", "StringValue": "OrderRefunded"}},
        )
        self.orders.update_item(
            Key={"orderId": refund["orderId"]},
            UpdateExpression="SET refundNotified = :sent",
            ExpressionAttributeValues={":sent": True},
        )
        return {"status": status, "orderId": refund["orderId"]}

    def _refunded_order(self, order_id: str) -> dict[str, Any]:
        existing = self.orders.get_item(Key={"orderId": order_id}, ConsistentRead=True).get("Item")
        if existing is None:
            raise CommandRefused(f"there is no order {order_id}")
        return dict(existing)


def _money_problems(money: Any, where: str) -> list[str]:
    if not isinstance(money, dict) or set(money) != {"amount", "currency"}:
        return [f"{where}: expected an object with exactly 'amount' and 'currency'"]
    problems = []
    amount = money["amount"]
    if isinstance(amount, bool) or not isinstance(amount, int | float) or amount <= 0:
        problems.append(f"{where}/amount: expected a positive number")
    elif Decimal(str(amount)).as_tuple().exponent < -2:  # type: ignore[operator]
        problems.append(f"{where}/amount: expected at most 2 decimals")
    if money["currency"] not in _CURRENCIES:
        problems.append(f"{where}/currency: expected one of {sorted(_CURRENCIES)}")
    return problems
