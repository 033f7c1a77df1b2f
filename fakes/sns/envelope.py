"""What a subscriber receives: the SNS JSON envelope, and the Lambda event record.

Signatures are not real: ``Signature`` is a fixed-length placeholder and
``SigningCertURL`` points at AWS's certificate path for the region; nothing
here signs or verifies anything.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from typing import Any

from eventproof_fakes.sns.message_attributes import envelope_form


@dataclass(slots=True)
class PublishedMessage:
    """One accepted Publish (or PublishBatch entry), as the topic saw it."""

    message_id: str
    topic_arn: str
    message: str
    timestamp: str
    subject: str | None = None
    message_attributes: dict[str, dict[str, Any]] = field(default_factory=dict)
    message_structure: str | None = None
    group_id: str | None = None
    deduplication_id: str | None = None
    sequence_number: str | None = None
    per_protocol: dict[str, str] = field(default_factory=dict)

    def message_for(self, protocol: str) -> str:
        return self.per_protocol.get(protocol, self.message)


def _signature(message: PublishedMessage) -> str:
    digest = hashlib.sha256(f"{message.message_id}{message.message}".encode()).digest()
    return base64.b64encode(digest * 8).decode("ascii")


def sqs_envelope(message: PublishedMessage, region: str, subscription_arn: str) -> dict[str, Any]:
    envelope: dict[str, Any] = {"Type": "Notification", "MessageId": message.message_id}
    if message.sequence_number is not None:
        envelope["SequenceNumber"] = message.sequence_number
    envelope["TopicArn"] = message.topic_arn
    if message.subject is not None:
        envelope["Subject"] = message.subject
    envelope["Message"] = message.message_for("sqs")
    envelope["Timestamp"] = message.timestamp
    if message.group_id is None:
        envelope["SignatureVersion"] = "1"
        envelope["Signature"] = _signature(message)
        envelope["SigningCertURL"] = (
            f"https://sns.{region}.amazonaws.com/SimpleNotificationService-"
            "0000000000000000000000.pem"
        )
    envelope["UnsubscribeURL"] = (
        f"https://sns.{region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={subscription_arn}"
    )
    if message.message_attributes:
        envelope["MessageAttributes"] = envelope_form(message.message_attributes)
    return envelope


def lambda_event(message: PublishedMessage, region: str, subscription_arn: str) -> dict[str, Any]:
    """The event Lambda receives from an SNS subscription (one record per delivery)."""
    sns: dict[str, Any] = {
        "Type": "Notification",
        "MessageId": message.message_id,
        "TopicArn": message.topic_arn,
        "Subject": message.subject,
        "Message": message.message_for("lambda"),
        "Timestamp": message.timestamp,
        "SignatureVersion": "1",
        "Signature": _signature(message),
        "SigningCertUrl": (
            f"https://sns.{region}.amazonaws.com/SimpleNotificationService-"
            "0000000000000000000000.pem"
        ),
        "UnsubscribeUrl": (
            f"https://sns.{region}.amazonaws.com/?Action=Unsubscribe"
            f"&SubscriptionArn={subscription_arn}"
        ),
        "MessageAttributes": envelope_form(message.message_attributes),
    }
    return {
        "Records": [
            {
                "EventSource": "aws:sns",
                "EventVersion": "1.0",
                "EventSubscriptionArn": subscription_arn,
                "Sns": sns,
            }
        ]
    }
