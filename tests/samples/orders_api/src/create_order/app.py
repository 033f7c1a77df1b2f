import json
import os
import uuid
from decimal import Decimal

import boto3

table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
events = boto3.client("events")


def lambda_handler(event, context):
    try:
        order = json.loads(event["body"], parse_float=Decimal)
        total = sum(Decimal(str(line["price"])) * int(line["quantity"]) for line in order["lines"])
    except (KeyError, TypeError, ValueError):
        return {"statusCode": 400, "body": json.dumps({"message": "expected lines of price and quantity"})}
    order_id = str(uuid.uuid4())
    table.put_item(Item={"orderId": order_id, "customer": order["customer"], "total": total})
    events.put_events(Entries=[{
        "EventBusName": os.environ["BUS_NAME"], "Source": "orders.api", "DetailType": "OrderCreated",
        "Detail": json.dumps({"orderId": order_id, "customer": order["customer"], "total": float(total)}),
    }])
    return {"statusCode": 201, "body": json.dumps({"orderId": order_id})}
