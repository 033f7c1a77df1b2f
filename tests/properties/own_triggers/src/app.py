"""A Deposit consumer behind every kind of trigger; BROKEN=true books each delivery again."""

import base64
import json
import os
import uuid

import boto3
from boto3.dynamodb.types import TypeDeserializer
from botocore.exceptions import ClientError

dynamodb = boto3.client("dynamodb")
s3 = boto3.client("s3")
BROKEN = os.environ.get("BROKEN") == "true"
FIELDS = {"depositId", "accountId", "amount"}


def apply(deposit):
    if not isinstance(deposit, dict) or set(deposit) != FIELDS:
        raise ValueError("expected depositId, accountId and amount")
    if not isinstance(deposit["amount"], int) or not 1 <= deposit["amount"] <= 1000:
        raise ValueError("amount: expected an integer from 1 to 1000")
    uuid.UUID(deposit["depositId"])
    if BROKEN:
        dynamodb.put_item(TableName=os.environ["LEDGER_TABLE"], Item={
            "entryId": {"S": str(uuid.uuid4())}, "depositId": {"S": deposit["depositId"]}})
        return
    try:
        dynamodb.put_item(TableName=os.environ["DEPOSITS_TABLE"],
                          ConditionExpression="attribute_not_exists(depositId)",
                          Item={"depositId": {"S": deposit["depositId"]},
                                "accountId": {"S": deposit["accountId"]},
                                "amount": {"N": str(deposit["amount"])}})
    except ClientError as error:
        if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise


def sns_handler(event, context):
    for record in event["Records"]:
        apply(json.loads(record["Sns"]["Message"]))


def stream_handler(event, context):
    deserialize = TypeDeserializer()
    for record in event["Records"]:
        image = {k: deserialize.deserialize(v) for k, v in record["dynamodb"]["NewImage"].items()}
        if "amount" in image:
            image["amount"] = int(image["amount"])
        apply(image)


def s3_handler(event, context):
    for record in event["Records"]:
        found = s3.get_object(Bucket=record["s3"]["bucket"]["name"], Key=record["s3"]["object"]["key"])
        apply(json.loads(found["Body"].read()))


def kinesis_handler(event, context):
    for record in event["Records"]:
        apply(json.loads(base64.b64decode(record["kinesis"]["data"])))


def api_handler(event, context):
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        body = base64.b64decode(body).decode()
    try:
        deposit = json.loads(body)
        path_account = (event.get("pathParameters") or {}).get("accountId")
        if path_account is not None and path_account != deposit.get("accountId"):
            return {"statusCode": 400, "body": json.dumps({"message": "accountId differs from the path"})}
        apply(deposit)
    except (ValueError, AttributeError) as error:
        return {"statusCode": 400, "body": json.dumps({"message": str(error)})}
    return {"statusCode": 201, "body": json.dumps({"depositId": deposit["depositId"]})}
