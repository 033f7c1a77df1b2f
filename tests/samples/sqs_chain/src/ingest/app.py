import json
import os

import boto3
from normalise import normalised

sqs = boto3.client("sqs")
NEXT_QUEUE_URL = os.environ["NEXT_QUEUE_URL"]


def lambda_handler(event, context):
    failures = []
    for record in event["Records"]:
        order = json.loads(record["body"])
        if "orderId" not in order:
            failures.append({"itemIdentifier": record["messageId"]})
            continue
        sqs.send_message(QueueUrl=NEXT_QUEUE_URL, MessageBody=json.dumps(normalised(order)))
    return {"batchItemFailures": failures}
