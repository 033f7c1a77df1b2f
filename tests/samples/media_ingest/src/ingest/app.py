import base64
import json
import os

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities import parameters

logger = Logger()
s3 = boto3.client("s3")
ses = boto3.client("sesv2")
MAX_SIZE = int(parameters.get_parameter(os.environ["MAX_SIZE_PARAMETER"]))


@logger.inject_lambda_context
def lambda_handler(event, context):
    for record in event["Records"]:
        notice = json.loads(base64.b64decode(record["kinesis"]["data"]))
        if notice["size"] > MAX_SIZE:
            logger.warning("upload over the limit", extra={"uploadId": notice["uploadId"]})
            ses.send_email(
                FromEmailAddress=os.environ["SENDER"],
                Destination={"ToAddresses": [os.environ["OPERATORS"]]},
                Content={"Simple": {
                    "Subject": {"Data": f"Upload {notice['uploadId']} is too large"},
                    "Body": {"Text": {"Data": f"{notice['size']} bytes > {MAX_SIZE}"}},
                }},
            )
            continue
        s3.put_object(Bucket=os.environ["BUCKET"], Key=f"notices/{notice['uploadId']}.json",
                      Body=json.dumps(notice).encode(), ContentType="application/json")
        logger.info("notice stored", extra={"uploadId": notice["uploadId"]})
