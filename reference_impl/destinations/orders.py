"""The three functions of the Lambda Destinations example, and the records they read.

``order`` is invoked asynchronously with an OrderPlaced; Lambda sends its
result as an execution record to the OnSuccess destination
(``update-inventory``) or, after the configured retries, to the OnFailure
destination (``rollback``). None of them calls the next one: the wiring is
configuration. ``update-inventory``'s own OnSuccess record goes to the
order-notifications topic, so every processed order is announced.
"""

from __future__ import annotations

import json
import logging
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

from reference_impl.shared import Clock, epoch_millis, iso, load_validator, to_dynamo

logger = logging.getLogger(__name__)


class InvalidOrder(ValueError):
    """An OrderPlaced that breaks its contract or does not add up."""


class OutOfStock(RuntimeError):
    """Some line cannot be served; update-inventory fails and, after its retries, the order rolls back."""


class PlaceOrder:
    """The ``order`` function: record a valid order and return the OrderConfirmed its destination carries."""

    def __init__(self, orders_table: Any, clock: Clock) -> None:
        self.orders = orders_table
        self.clock = clock
        self.contract = load_validator("destinations/OrderPlaced.schema.json")

    def handle(self, event: Any, context: Any) -> dict[str, Any]:
        violations = self.contract.violations(event)
        if violations:
            raise InvalidOrder("; ".join(violations))
        lines_total = sum(Decimal(str(line["unitPrice"]["amount"])) * line["quantity"] for line in event["items"])
        if lines_total != Decimal(str(event["total"]["amount"])):
            raise InvalidOrder(f"the lines add up to {lines_total}, the total says {event['total']['amount']}")
        confirmed = {
            "orderId": event["orderId"],
            "items": event["items"],
            "total": event["total"],
            "status": "CONFIRMED",
            "confirmedAt": iso(self.clock()),
        }
        # A repeated delivery writes the same order again: nothing changes, nothing is lost.
        self.orders.put_item(Item=to_dynamo({**confirmed, "customerId": event["customerId"]}))
        return confirmed


class UpdateInventory:
    """``update-inventory``: take stock for every line, once per order, all or nothing."""

    def __init__(self, dynamodb_client: Any, inventory_table: str, reservations_table: str, clock: Clock) -> None:
        self.dynamodb = dynamodb_client
        self.inventory_table = inventory_table
        self.reservations_table = reservations_table
        self.clock = clock

    def handle(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        # Lambda invokes a destination function with the whole execution record.
        order = event["responsePayload"]
        lines = {line["sku"]: line["quantity"] for line in order["items"]}
        if not self._already_reserved(order["orderId"]):
            self._reserve(order["orderId"], lines)
        return {
            "orderId": order["orderId"],
            "lines": [{"sku": sku, "taken": taken, "remaining": self._stock(sku)} for sku, taken in lines.items()],
            "updatedAt": epoch_millis(self.clock()),
        }

    def _already_reserved(self, order_id: str) -> bool:
        item = self.dynamodb.get_item(
            TableName=self.reservations_table, Key={"orderId": {"S": order_id}}, ConsistentRead=True
        )
        return "Item" in item

    def _reserve(self, order_id: str, lines: dict[str, int]) -> None:
        actions: list[dict[str, Any]] = [{
            "Put": {
                "TableName": self.reservations_table,
                "Item": {"orderId": {"S": order_id}, "lines": {"S": json.dumps(lines)}},
                "ConditionExpression": "attribute_not_exists(orderId)",
            }
        }]
        actions += [{
            "Update": {
                "TableName": self.inventory_table,
                "Key": {"sku": {"S": sku}},
                "UpdateExpression": "SET stock = stock - :taken",
                "ConditionExpression": "stock >= :taken",
                "ExpressionAttributeValues": {":taken": {"N": str(taken)}},
            }
        } for sku, taken in lines.items()]
        try:
            self.dynamodb.transact_write_items(TransactItems=actions)
        except ClientError as error:
            if error.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            raise OutOfStock(f"order {order_id}: not enough stock for {sorted(lines)}") from None

    def _stock(self, sku: str) -> int:
        item = self.dynamodb.get_item(TableName=self.inventory_table, Key={"sku": {"S": sku}}, ConsistentRead=True)
        return int(item["Item"]["stock"]["N"])


class Rollback:
    """``rollback``: the OnFailure destination of both functions; marks the order and says so, once."""

    def __init__(self, orders_table: Any, sns: Any, topic_arn: str, clock: Clock) -> None:
        self.orders = orders_table
        self.sns = sns
        self.topic_arn = topic_arn
        self.clock = clock

    def handle(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        failed_function = event["requestContext"]["functionArn"].split(":")[6]
        order_id = order_id_of(event["requestPayload"])
        rolled_back = {
            "orderId": order_id,
            "failedFunction": "update_inventory" if failed_function == "update-inventory" else "order",
            "condition": event["requestContext"]["condition"],
            "error": (event.get("responsePayload") or {}).get("errorType"),
            "rolledBackAt": epoch_millis(self.clock()),
        }
        try:
            self.orders.update_item(
                Key={"orderId": order_id},
                UpdateExpression="SET #status = :rolled_back, rolledBackAt = :at, rollbackAnnounced = :no",
                ConditionExpression="attribute_not_exists(#status) OR #status <> :rolled_back",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={":rolled_back": "ROLLED_BACK", ":at": iso(self.clock()), ":no": False},
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            stored = self.orders.get_item(Key={"orderId": order_id}, ConsistentRead=True).get("Item", {})
            # Announced already, or an earlier attempt died between marking and announcing?
            if stored.get("rollbackAnnounced", True):
                logger.info("order %s was rolled back already", order_id)
                return rolled_back
        self.sns.publish(
            TopicArn=self.topic_arn,
            Message=json.dumps(rolled_back),
            MessageAttributes={"type": {"DataType": "String", "StringValue": "OrderRolledBack"}},
        )
        self.orders.update_item(
            Key={"orderId": order_id},
            UpdateExpression="SET rollbackAnnounced = :yes",
            ExpressionAttributeValues={":yes": True},
        )
        return rolled_back


def order_id_of(request_payload: dict[str, Any]) -> str:
    """The order id in what the failed function was asked: an OrderPlaced, or order's OnSuccess record."""
    if "orderId" in request_payload:
        return str(request_payload["orderId"])
    return str(request_payload["responsePayload"]["orderId"])
