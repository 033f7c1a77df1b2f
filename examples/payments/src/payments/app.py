"""Settle payment requests from SQS: one ledger entry per payment, then PaymentSettled.

The conditional write on the payments table makes a redelivered request a
no-op. BROKEN=true (the template's Broken parameter) skips that guard and
writes a fresh ledger entry for every delivery: a double charge.
"""

import json
import os
import re
import uuid
from decimal import Decimal

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from botocore.exceptions import ClientError

logger = Logger()
processor = BatchProcessor(event_type=EventType.SQS)
dynamodb = boto3.resource("dynamodb")
events = boto3.client("events")
payments = dynamodb.Table(os.environ["PAYMENTS_TABLE"])
ledger = dynamodb.Table(os.environ["LEDGER_TABLE"])
BROKEN = os.environ.get("BROKEN") == "true"
PAYMENT_ID = re.compile(r"pay-[a-z0-9]{4,12}")
FIELDS = {"paymentId", "account", "amount", "currency"}


def check(request) -> None:
    """Refuse what the PaymentRequested contract refuses: it goes to the DLQ, not the ledger."""
    if not isinstance(request, dict) or set(request) != FIELDS:
        raise ValueError(f"expected exactly the fields {sorted(FIELDS)}")
    payment_id, account, amount = request["paymentId"], request["account"], request["amount"]
    if not isinstance(payment_id, str) or not PAYMENT_ID.fullmatch(payment_id):
        raise ValueError("paymentId: expected pay-<4 to 12 lowercase letters or digits>")
    if not isinstance(account, str) or not 1 <= len(account) <= 20:
        raise ValueError("account: expected 1 to 20 characters")
    if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= 1_000_000:
        raise ValueError("amount: expected an integer from 1 to 1000000")
    if request["currency"] not in ("EUR", "USD", "GBP"):
        raise ValueError("currency: expected EUR, USD or GBP")


def settle(record) -> None:
    request = json.loads(record.body, parse_float=Decimal)
    check(request)
    payment_id = request["paymentId"]
    if not BROKEN:
        try:
            payments.put_item(Item={"paymentId": payment_id, "status": "SETTLED"},
                              ConditionExpression="attribute_not_exists(paymentId)")
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                logger.info("already settled", extra={"paymentId": payment_id})
                return
            raise
    entry_id = payment_id if not BROKEN else str(uuid.uuid4())
    ledger.put_item(Item={"entryId": entry_id, "paymentId": payment_id,
                          "account": request["account"], "amount": request["amount"]})
    events.put_events(Entries=[{
        "EventBusName": os.environ["BUS_NAME"], "Source": "payments", "DetailType": "PaymentSettled",
        "Detail": json.dumps({"paymentId": payment_id, "amount": str(request["amount"]),
                              "currency": request["currency"]}),
    }])


@logger.inject_lambda_context
def lambda_handler(event, context):
    return process_partial_response(event=event, record_handler=settle, processor=processor,
                                    context=context)
