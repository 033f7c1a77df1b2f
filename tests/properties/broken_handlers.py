"""Deliberately broken consumers (and their setups), each with the bug the properties must catch.

They take ProcessPayment commands from SQS (contracts/command_bus/ProcessPayment.avsc).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import boto3
from botocore.exceptions import ClientError


def create_table(aws: Any, name: str, key: str) -> None:
    aws.client("dynamodb").create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
        KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
    )


def ledger_setup(aws: Any) -> None:
    create_table(aws, "Ledger", "entryId")


def non_idempotent_payment_consumer(event: dict[str, Any], context: Any) -> None:
    """Bug: every delivery books a new ledger entry, so a duplicate charges twice."""
    table = boto3.resource("dynamodb").Table("Ledger")
    for record in event["Records"]:
        command = json.loads(record["body"])
        table.put_item(Item={"entryId": str(uuid.uuid4()), "paymentId": command["paymentId"],
                             "currency": command["amount"]["currency"]})


def books_setup(aws: Any) -> None:
    create_table(aws, "Payments", "paymentId")


def dual_write_consumer(event: dict[str, Any], context: Any) -> None:
    """Bug: writes the table, then publishes; a retry that finds the row skips the publish."""
    table = boto3.resource("dynamodb").Table("Payments")
    events = boto3.client("events")
    for record in event["Records"]:
        command = json.loads(record["body"])
        try:
            table.put_item(Item={"paymentId": command["paymentId"]},
                           ConditionExpression="attribute_not_exists(paymentId)")
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                continue  # "already done" -- but the event may never have been sent
            raise
        events.put_events(Entries=[{"Source": "payments", "DetailType": "PaymentTaken",
                                    "Detail": json.dumps({"paymentId": command["paymentId"]})}])


def order_dependent_consumer(event: dict[str, Any], context: Any) -> None:
    """Bug: keeps only the last payment seen per customer ("latest wins" on a standard queue)."""
    table = boto3.resource("dynamodb").Table("LastPayment")
    for record in event["Records"]:
        command = json.loads(record["body"])
        table.put_item(Item={"customerId": "all", "paymentId": command["paymentId"]})


def last_payment_setup(aws: Any) -> None:
    create_table(aws, "LastPayment", "customerId")


def strict_consumer(event: dict[str, Any], context: Any) -> None:
    """Correct rejection: a body without the contract's fields fails before any write."""
    table = boto3.resource("dynamodb").Table("Payments")
    for record in event["Records"]:
        command = json.loads(record["body"])
        if not isinstance(command, dict) or set(command) != {
                "paymentId", "orderId", "customerId", "amount", "requestedAt"}:
            raise ValueError("not a ProcessPayment")
        if not isinstance(command["paymentId"], str):
            raise ValueError("paymentId must be a string")
        table.put_item(Item={"paymentId": command["paymentId"]})


SHORT_DEDUP_TTL_SECONDS = 60


def short_memory_setup(aws: Any) -> None:
    create_table(aws, "SeenPayments", "paymentId")
    create_table(aws, "Charges", "paymentId")


def short_memory_dedup_consumer(clock: Callable[[], float]) -> Callable[[Any, Any], None]:
    """Bug: forgets a payment 60 s after charging it, but a duplicate can come much later."""
    seen = boto3.resource("dynamodb").Table("SeenPayments")
    charges = boto3.resource("dynamodb").Table("Charges")

    def consume(event: dict[str, Any], context: Any) -> None:
        for record in event["Records"]:
            command = json.loads(record["body"])
            now = int(clock())
            try:
                seen.put_item(
                    Item={"paymentId": command["paymentId"],
                          "expiresAt": now + SHORT_DEDUP_TTL_SECONDS},
                    ConditionExpression="attribute_not_exists(paymentId) OR expiresAt <= :now",
                    ExpressionAttributeValues={":now": now},
                )
            except ClientError as error:
                if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                    continue
                raise
            charges.update_item(Key={"paymentId": command["paymentId"]},
                                UpdateExpression="ADD times :one",
                                ExpressionAttributeValues={":one": 1})

    return consume


def short_memory_system(aws: Any) -> Callable[[Any, Any], None]:
    short_memory_setup(aws)
    return short_memory_dedup_consumer(lambda: aws.clock.now())
