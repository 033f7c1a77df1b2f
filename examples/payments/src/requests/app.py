"""The payments API: POST /payments asks for a payment, GET /payments/{paymentId} shows it.

A POST body is a PaymentRequest; the payment's id comes from the client's
requestId, so a client retrying the same request (after a timeout, a 5xx)
asks for the same payment again, and the payments function settles it once.
The request is checked here: a bad one is a 400 and goes nowhere.
"""

import json
import os
import re

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import BadRequestError, NotFoundError

logger = Logger()
app = APIGatewayHttpResolver()
sqs = boto3.client("sqs")
payments = boto3.resource("dynamodb").Table(os.environ["PAYMENTS_TABLE"])
REQUEST_ID = re.compile(r"req-([a-z0-9]{4,12})")
FIELDS = {"requestId", "account", "amount", "currency"}


def payment_requested(body) -> dict:
    """The PaymentRequested command for a PaymentRequest body, or BadRequestError."""
    if not isinstance(body, dict) or set(body) != FIELDS:
        raise BadRequestError(f"expected exactly the fields {sorted(FIELDS)}")
    request_id, account, amount = body["requestId"], body["account"], body["amount"]
    match = REQUEST_ID.fullmatch(request_id) if isinstance(request_id, str) else None
    if match is None:
        raise BadRequestError("requestId: expected req-<4 to 12 lowercase letters or digits>")
    if not isinstance(account, str) or not 1 <= len(account) <= 20:
        raise BadRequestError("account: expected 1 to 20 characters")
    if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= 1_000_000:
        raise BadRequestError("amount: expected an integer from 1 to 1000000")
    if body["currency"] not in ("EUR", "USD", "GBP"):
        raise BadRequestError("currency: expected EUR, USD or GBP")
    return {"paymentId": f"pay-{match[1]}", "account": account, "amount": amount,
            "currency": body["currency"]}


@app.post("/payments")
def request_payment():
    try:
        body = app.current_event.json_body
    except ValueError:
        raise BadRequestError("the body is not JSON") from None
    command = payment_requested(body)
    sqs.send_message(QueueUrl=os.environ["REQUESTS_QUEUE_URL"], MessageBody=json.dumps(command))
    return Response(status_code=202, content_type=content_types.APPLICATION_JSON,
                    body=json.dumps({"paymentId": command["paymentId"], "status": "REQUESTED"}))


@app.get("/payments/<payment_id>")
def show_payment(payment_id: str):
    found = payments.get_item(Key={"paymentId": payment_id}).get("Item")
    if found is None:
        raise NotFoundError(f"no payment {payment_id}")
    return {"paymentId": payment_id, "status": found["status"]}


@logger.inject_lambda_context
def lambda_handler(event, context):
    return app.resolve(event, context)
