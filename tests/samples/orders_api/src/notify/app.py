import os

import boto3

table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def lambda_handler(event, context):
    detail = event["detail"]
    table.put_item(Item={"orderId": detail["orderId"], "message": f"Thanks {detail['customer']}!"})
    return {"notified": detail["orderId"]}
