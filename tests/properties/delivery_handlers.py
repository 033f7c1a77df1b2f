"""Deposit consumers written once and fed through every delivery: right, wrong and failing ones.

Each business rule (``effect``) takes a Deposit message; ``handler(via,
effect)`` wraps it in what a Lambda handler on that trigger does to get at
the message (an SQS body, an SNS Message, a stream NewImage, an S3 object,
Kinesis data, an API request body) and to answer (API handlers answer 200,
or 400 for a message they refuse).
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from collections.abc import Callable
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer
from botocore.exceptions import ClientError

Effect = Callable[[dict[str, Any]], None]
_DESERIALIZE = TypeDeserializer()
ACCOUNT = re.compile(r"a-[a-z0-9]{1,4}")


def tables(aws: Any) -> None:
    """The consumers' tables: deposits by id, a ledger, balances by account."""
    client = aws.client("dynamodb")
    for name, key in (("Deposits", "depositId"), ("Ledger", "entryId"), ("Accounts", "accountId")):
        client.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                            AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
                            KeySchema=[{"AttributeName": key, "KeyType": "HASH"}])


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def _check(deposit: Any) -> dict[str, Any]:
    if not isinstance(deposit, dict) or set(deposit) != {"depositId", "accountId", "amount"}:
        raise ValueError("expected depositId, accountId and amount")
    deposit_id, account, amount = deposit["depositId"], deposit["accountId"], deposit["amount"]
    if not isinstance(deposit_id, str) or str(_uuid(deposit_id)) != deposit_id.lower():
        raise ValueError("depositId: expected a uuid")
    if not isinstance(account, str) or not ACCOUNT.fullmatch(account):
        raise ValueError("accountId: expected a-<1 to 4 lowercase letters or digits>")
    if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= 1000:
        raise ValueError("amount: expected an integer from 1 to 1000")
    return deposit


def record_once(deposit: dict[str, Any]) -> None:
    """Right: one row per deposit, written once (a conditional put keyed by its id)."""
    deposit = _check(deposit)
    try:
        boto3.client("dynamodb").put_item(
            TableName="Deposits", ConditionExpression="attribute_not_exists(depositId)",
            Item={"depositId": {"S": deposit["depositId"]}, "accountId": {"S": deposit["accountId"]},
                  "amount": {"N": str(deposit["amount"])}})
    except ClientError as error:
        if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise


def book_every_delivery(deposit: dict[str, Any]) -> None:
    """Wrong: a new ledger entry per delivery, so a duplicate pays twice."""
    deposit = _check(deposit)
    boto3.client("dynamodb").put_item(TableName="Ledger", Item={
        "entryId": {"S": str(uuid.uuid4())}, "depositId": {"S": deposit["depositId"]},
        "amount": {"N": str(deposit["amount"])}})


def last_writer_wins(deposit: dict[str, Any]) -> None:
    """Wrong: keeps only the last deposit seen per account (order decides the balance)."""
    deposit = _check(deposit)
    boto3.client("dynamodb").put_item(TableName="Accounts", Item={
        "accountId": {"S": deposit["accountId"]}, "lastAmount": {"N": str(deposit["amount"])}})


def always_fails(deposit: dict[str, Any]) -> None:
    raise RuntimeError("the ledger service is down")


def _messages(via: str, event: Any) -> list[Any]:
    if via == "async":
        return [event]
    if via == "eventbridge":
        return [event["detail"]]
    records = event["Records"]
    if via == "sqs":
        return [json.loads(r["body"]) for r in records]
    if via == "sns":
        return [json.loads(r["Sns"]["Message"]) for r in records]
    if via == "stream":
        return [{k: _plain(_DESERIALIZE.deserialize(v)) for k, v in r["dynamodb"]["NewImage"].items()}
                for r in records]
    if via == "kinesis":
        return [json.loads(base64.b64decode(r["kinesis"]["data"])) for r in records]
    if via == "s3":
        s3 = boto3.client("s3")
        return [json.loads(s3.get_object(Bucket=r["s3"]["bucket"]["name"],
                                         Key=r["s3"]["object"]["key"])["Body"].read())
                for r in records]
    raise ValueError(f"no records for {via}")


def _plain(value: Any) -> Any:
    return int(value) if hasattr(value, "to_integral_value") and value == value.to_integral_value() else value


def handler(via: str, effect: Effect) -> Callable[[Any, Any], Any]:
    """A Lambda handler fed through ``via`` that applies ``effect`` to each message."""
    if via == "api":
        def api_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
            raw = event.get("body") or ""
            text = base64.b64decode(raw).decode() if event.get("isBase64Encoded") else raw
            try:
                effect(json.loads(text))
            except ValueError as error:
                return {"statusCode": 400, "body": json.dumps({"message": str(error)})}
            return {"statusCode": 201, "body": "{}"}

        api_handler.__name__ = f"{effect.__name__}_api"
        return api_handler

    def records_handler(event: Any, context: Any) -> None:
        for message in _messages(via, event):
            effect(message)

    records_handler.__name__ = f"{effect.__name__}_{via}"
    return records_handler
