"""Keep one receipt per settled payment (EventBridge delivers at least once)."""

import os

import boto3
from aws_lambda_powertools import Logger

logger = Logger()
receipts = boto3.resource("dynamodb").Table(os.environ["RECEIPTS_TABLE"])


@logger.inject_lambda_context
def lambda_handler(event, context):
    settled = event["detail"]
    # A put keyed by paymentId: a second delivery writes the same item again.
    receipts.put_item(Item={"paymentId": settled["paymentId"], "amount": settled["amount"],
                            "currency": settled["currency"]})
    return {"receipt": settled["paymentId"]}
