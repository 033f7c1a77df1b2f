"""Keep one receipt per settled payment (EventBridge delivers at least once).

Powertools' idempotency utility (DynamoDB persistence) answers a repeated
PaymentSettled with the first answer, without writing the receipt again.
"""

import os

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent,
)

logger = Logger()
receipts = boto3.resource("dynamodb").Table(os.environ["RECEIPTS_TABLE"])
# One client for the module, made at import time like the others (Lambda reuses it).
persistence = DynamoDBPersistenceLayer(table_name=os.environ["IDEMPOTENCY_TABLE"],
                                       boto3_client=boto3.client("dynamodb"))
config = IdempotencyConfig(event_key_jmespath="detail.paymentId")


@logger.inject_lambda_context
@idempotent(persistence_store=persistence, config=config)
def lambda_handler(event, context):
    settled = event["detail"]
    receipts.put_item(Item={"paymentId": settled["paymentId"], "amount": settled["amount"],
                            "currency": settled["currency"]})
    return {"receipt": settled["paymentId"]}
