import json
import os

import boto3

table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def lambda_handler(event, context):
    for record in event["Records"]:
        order = json.loads(record["body"])
        if order["quantity"] <= 0:
            raise ValueError(f"order {order['orderId']} has no quantity")
        table.put_item(Item={**order, "fulfilledBy": os.environ["AWS_LAMBDA_FUNCTION_NAME"]})
    return {"fulfilled": len(event["Records"])}
