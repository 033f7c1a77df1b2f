"""Stored SQS messages, what a receive hands out, and message attribute rules."""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from eventproof_fakes import limits
from eventproof_fakes.errors import UnsupportedParameter
from eventproof_fakes.sqs.errors import invalid_parameter, missing_parameter

_ATTRIBUTE_NAME = re.compile(r"^[A-Za-z0-9_\-.]{1,256}$")
_DATA_TYPE = re.compile(r"^(String|Number|Binary)(\..+)?$")
# What SQS accepts in a body: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF
_INVALID_BODY_CHARACTER = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(slots=True)
class Message:
    """One message as the queue stores it; times are virtual-clock seconds."""

    message_id: str
    body: str
    md5_of_body: str
    message_attributes: dict[str, dict[str, Any]]
    md5_of_message_attributes: str | None
    sent_at: float
    visible_at: float
    sender_id: str
    group_id: str | None = None
    deduplication_id: str | None = None
    sequence_number: str | None = None
    receive_count: int = 0
    first_received_at: float | None = None
    receipt_handle: str | None = None
    dead_letter_source_arn: str | None = None
    deleted: bool = False
    trace_header: str | None = None  # the AWSTraceHeader system attribute

    def in_flight(self, now: float) -> bool:
        return self.receive_count > 0 and self.visible_at > now

    def system_attributes(self) -> dict[str, str]:
        """Every system attribute of this message, as AWS spells the values."""
        attributes = {
            "SenderId": self.sender_id,
            "SentTimestamp": str(round(self.sent_at * 1000)),
            "ApproximateReceiveCount": str(self.receive_count),
        }
        if self.first_received_at is not None:
            attributes["ApproximateFirstReceiveTimestamp"] = str(
                round(self.first_received_at * 1000)
            )
        if self.group_id is not None:
            attributes["MessageGroupId"] = self.group_id
        if self.sequence_number is not None:
            attributes["SequenceNumber"] = self.sequence_number
        if self.deduplication_id is not None:
            attributes["MessageDeduplicationId"] = self.deduplication_id
        if self.trace_header is not None:
            attributes["AWSTraceHeader"] = self.trace_header
        if self.dead_letter_source_arn is not None:
            attributes["DeadLetterQueueSourceArn"] = self.dead_letter_source_arn
        return attributes


@dataclass(slots=True)
class ReceivedMessage:
    """One delivery of a message, as ReceiveMessage returns it (all attributes)."""

    message_id: str
    receipt_handle: str
    body: str
    attributes: dict[str, str]
    message_attributes: dict[str, dict[str, Any]] = field(default_factory=dict)
    md5_of_body: str = ""
    md5_of_message_attributes: str | None = None

    def to_lambda_record(self, queue_arn: str, region: str) -> dict[str, Any]:
        """The record Lambda's SQS event source mapping puts in ``event["Records"]``."""
        record: dict[str, Any] = {
            "messageId": self.message_id,
            "receiptHandle": self.receipt_handle,
            "body": self.body,
            "attributes": dict(self.attributes),
            "messageAttributes": {
                name: _lambda_attribute(value) for name, value in self.message_attributes.items()
            },
            "md5OfBody": self.md5_of_body,
            "eventSource": "aws:sqs",
            "eventSourceARN": queue_arn,
            "awsRegion": region,
        }
        if self.md5_of_message_attributes:
            record["md5OfMessageAttributes"] = self.md5_of_message_attributes
        return record

    def to_response(self) -> dict[str, Any]:
        response: dict[str, Any] = {
            "MessageId": self.message_id,
            "ReceiptHandle": self.receipt_handle,
            "MD5OfBody": self.md5_of_body,
            "Body": self.body,
        }
        if self.attributes:
            response["Attributes"] = self.attributes
        if self.message_attributes:
            response["MessageAttributes"] = self.message_attributes
            response["MD5OfMessageAttributes"] = self.md5_of_message_attributes
        return response


def _lambda_attribute(value: Mapping[str, Any]) -> dict[str, Any]:
    converted: dict[str, Any] = {"stringListValues": [], "binaryListValues": []}
    if value.get("StringValue") is not None:
        converted["stringValue"] = value["StringValue"]
    if value.get("BinaryValue") is not None:
        converted["binaryValue"] = base64.b64encode(value["BinaryValue"]).decode("ascii")
    converted["dataType"] = value["DataType"]
    return converted


def checked_message_attributes(
    attributes: Mapping[str, Mapping[str, Any]] | None,
) -> dict[str, dict[str, Any]]:
    """Validate attributes in API form as SQS does; return a clean copy."""
    if not attributes:
        return {}
    if len(attributes) > limits.SQS_MAX_MESSAGE_ATTRIBUTES:
        raise invalid_parameter(
            f"Number of message attributes [{len(attributes)}] exceeds the allowed maximum "
            f"[{limits.SQS_MAX_MESSAGE_ATTRIBUTES}]."
        )
    clean: dict[str, dict[str, Any]] = {}
    for name, attribute in attributes.items():
        for reserved in ("StringListValues", "BinaryListValues"):
            if attribute.get(reserved):  # AWS: "Not implemented. Reserved for future use."
                raise UnsupportedParameter("sqs", "SendMessage", f"MessageAttributes.{reserved}")
        if not _ATTRIBUTE_NAME.match(name) or name.lower().startswith(("aws.", "amazon.")):
            raise invalid_parameter(f"Message (user) attribute name '{name}' is invalid.")
        data_type = attribute.get("DataType")
        if not data_type:
            raise invalid_parameter(
                f"The message attribute '{name}' must contain non-empty message attribute type."
            )
        match = _DATA_TYPE.match(data_type)
        if not match:
            raise invalid_parameter(
                f"The type of message (user) attribute '{name}' is invalid. "
                "You must use only the following supported type prefixes: Binary, Number, String."
            )
        base = match.group(1)
        if base == "Binary":
            value = attribute.get("BinaryValue")
            if not value:
                raise invalid_parameter(
                    f"Message (user) attribute '{name}' must contain a non-empty value of type 'Binary'."
                )
            clean[name] = {"DataType": data_type, "BinaryValue": bytes(value)}
            continue
        value = attribute.get("StringValue")
        if value is None or value == "":
            raise invalid_parameter(
                f"Message (user) attribute '{name}' must contain a non-empty value of type '{base}'."
            )
        if base == "Number":
            _check_number(name, value)
        clean[name] = {"DataType": data_type, "StringValue": value}
    return clean


def _check_number(name: str, value: str) -> None:
    try:
        float(value)
    except ValueError:
        raise invalid_parameter(
            f"Can't cast the value of message (user) attribute '{name}' to a number."
        ) from None


def check_body(body: str | None) -> str:
    if body is None or body == "":
        raise missing_parameter("MessageBody")
    if _INVALID_BODY_CHARACTER.search(body):
        raise invalid_parameter(
            "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to "
            "#xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF"
        )
    return body


def message_size(body: str, attributes: Mapping[str, Mapping[str, Any]]) -> int:
    """Bytes that count against MaximumMessageSize: body plus attribute names, types, values."""
    size = len(body.encode("utf-8"))
    for name, attribute in attributes.items():
        size += len(name.encode("utf-8")) + len(attribute["DataType"].encode("utf-8"))
        if "BinaryValue" in attribute:
            size += len(attribute["BinaryValue"])
        else:
            size += len(attribute["StringValue"].encode("utf-8"))
    return size
