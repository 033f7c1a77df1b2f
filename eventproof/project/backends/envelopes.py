"""The events Lambda hands a function, in the shapes AWS documents.

- SQS: https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html (``Records`` of
  ``messageId``, ``receiptHandle``, ``body``, ``attributes``, ``messageAttributes``,
  ``md5OfBody``, ``eventSource``, ``eventSourceARN``, ``awsRegion``);
- EventBridge: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
  (``version``, ``id``, ``detail-type``, ``source``, ``account``, ``time``, ``region``,
  ``resources``, ``detail``).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import uuid
from typing import Any

__all__ = ["eventbridge_event", "sqs_event", "sqs_record"]


def sqs_record(message: dict[str, Any], queue_arn: str, region: str,
               message_id: str | None = None) -> dict[str, Any]:
    """A received message (``ReceiveMessage`` with all attributes) as a Lambda SQS record."""
    attributes = {
        name: {
            "stringValue": value.get("StringValue"), "binaryValue": value.get("BinaryValue"),
            "stringListValues": value.get("StringListValues", []),
            "binaryListValues": value.get("BinaryListValues", []),
            "dataType": value["DataType"],
        }
        for name, value in (message.get("MessageAttributes") or {}).items()
    }
    return {
        "messageId": message_id or message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": dict(message.get("Attributes") or {}),
        "messageAttributes": attributes,
        "md5OfBody": message.get("MD5OfBody") or hashlib.md5(message["Body"].encode()).hexdigest(),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }


def sqs_event(records: list[dict[str, Any]]) -> dict[str, Any]:
    return {"Records": records}


def eventbridge_event(entry: dict[str, Any], *, event_id: str | None, account: str,
                      region: str) -> dict[str, Any]:
    """A ``PutEvents`` entry as EventBridge delivers it to a target."""
    detail = entry.get("Detail", "{}")
    time = entry.get("Time") or datetime.datetime.now(datetime.UTC)
    if isinstance(time, datetime.datetime):
        time = time.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "version": "0",
        "id": event_id or str(uuid.uuid4()),
        "detail-type": entry.get("DetailType"),
        "source": entry.get("Source"),
        "account": account,
        "time": time,
        "region": region,
        "resources": list(entry.get("Resources") or []),
        "detail": json.loads(detail) if isinstance(detail, str) else detail,
    }
