"""Queue attributes: which exist, their defaults, and how AWS validates them.

Simplified: ``Policy``, KMS and SSE attributes are stored and returned but
have no effect (nothing here models permissions or encryption).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from eventproof_fakes import limits
from eventproof_fakes.sqs.errors import (
    invalid_attribute_name,
    invalid_attribute_value,
    unknown_attribute,
)

STANDARD_SETTABLE = frozenset(
    {
        "DelaySeconds",
        "MaximumMessageSize",
        "MessageRetentionPeriod",
        "Policy",
        "ReceiveMessageWaitTimeSeconds",
        "VisibilityTimeout",
        "RedrivePolicy",
        "RedriveAllowPolicy",
        "KmsMasterKeyId",
        "KmsDataKeyReusePeriodSeconds",
        "SqsManagedSseEnabled",
    }
)
FIFO_ONLY = frozenset(
    {"FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"}
)
COMPUTED = frozenset(
    {
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
        "CreatedTimestamp",
        "LastModifiedTimestamp",
        "QueueArn",
    }
)
ALL_NAMES = STANDARD_SETTABLE | FIFO_ONLY | COMPUTED

# Ranges as the CreateQueue API reference gives them.
_INTEGER_RANGES: dict[str, tuple[int, int]] = {
    "DelaySeconds": (0, limits.SQS_MAX_DELAY_SECONDS),
    "MaximumMessageSize": (limits.SQS_MIN_MESSAGE_SIZE_SETTING, limits.SQS_MAX_MESSAGE_SIZE),
    "MessageRetentionPeriod": (limits.SQS_MIN_RETENTION_SECONDS, limits.SQS_MAX_RETENTION_SECONDS),
    "ReceiveMessageWaitTimeSeconds": (0, limits.SQS_MAX_WAIT_TIME_SECONDS),
    "VisibilityTimeout": (0, limits.SQS_MAX_VISIBILITY_TIMEOUT),
    "KmsDataKeyReusePeriodSeconds": (60, 86_400),
}
_BOOLEANS = frozenset({"FifoQueue", "ContentBasedDeduplication", "SqsManagedSseEnabled"})
_CHOICES: dict[str, frozenset[str]] = {
    "DeduplicationScope": frozenset({"messageGroup", "queue"}),
    "FifoThroughputLimit": frozenset({"perMessageGroupId", "perQueue"}),
}


def defaults(fifo: bool) -> dict[str, str]:
    values = {
        "DelaySeconds": "0",
        "MaximumMessageSize": str(limits.SQS_MAX_MESSAGE_SIZE),
        "MessageRetentionPeriod": str(limits.SQS_DEFAULT_RETENTION_SECONDS),
        "ReceiveMessageWaitTimeSeconds": "0",
        "VisibilityTimeout": str(limits.SQS_DEFAULT_VISIBILITY_TIMEOUT),
        "SqsManagedSseEnabled": "true",
    }
    if fifo:
        values.update(
            {
                "FifoQueue": "true",
                "ContentBasedDeduplication": "false",
                "DeduplicationScope": "queue",
                "FifoThroughputLimit": "perQueue",
            }
        )
    return values


def validate(attributes: Mapping[str, str], *, fifo: bool, creating: bool) -> dict[str, str]:
    """Check names and values; return them normalised (booleans lower-case)."""
    checked: dict[str, str] = {}
    for name, raw in attributes.items():
        value = str(raw)
        if name in FIFO_ONLY and not fifo:
            if name in ("DeduplicationScope", "FifoThroughputLimit"):
                raise invalid_attribute_name(
                    f"You can specify the {name} only when FifoQueue is set to true."
                )
            raise unknown_attribute(name)
        if name not in STANDARD_SETTABLE and name not in FIFO_ONLY:
            raise unknown_attribute(name)
        if name == "FifoQueue" and not creating:
            raise invalid_attribute_value(name, "Modifying queue type is not supported.")
        checked[name] = _checked_value(name, value)
    return checked


def _checked_value(name: str, value: str) -> str:
    if name in _INTEGER_RANGES:
        low, high = _INTEGER_RANGES[name]
        try:
            number = int(value)
        except ValueError:
            raise invalid_attribute_value(name) from None
        if not low <= number <= high:
            raise invalid_attribute_value(name)
        return str(number)
    if name in _BOOLEANS:
        if value.lower() not in ("true", "false"):
            raise invalid_attribute_value(name)
        return value.lower()
    if name in _CHOICES and value not in _CHOICES[name]:
        raise invalid_attribute_value(name)
    if name == "RedrivePolicy" and value:
        return _checked_redrive_policy(value)
    return value


def _checked_redrive_policy(value: str) -> str:
    try:
        policy = json.loads(value)
    except ValueError:
        raise invalid_attribute_value(
            "RedrivePolicy", "Redrive policy is not a valid JSON map."
        ) from None
    if not isinstance(policy, dict) or "deadLetterTargetArn" not in policy:
        raise invalid_attribute_value(
            "RedrivePolicy", "Redrive policy does not contain mandatory attribute: deadLetterTargetArn."
        )
    if "maxReceiveCount" not in policy:
        raise invalid_attribute_value(
            "RedrivePolicy", "Redrive policy does not contain mandatory attribute: maxReceiveCount."
        )
    try:
        count = int(policy["maxReceiveCount"])
    except (TypeError, ValueError):
        count = 0
    if not 1 <= count <= limits.SQS_MAX_RECEIVE_COUNT:
        raise invalid_attribute_value(
            "RedrivePolicy",
            f"Invalid value for maxReceiveCount: {policy['maxReceiveCount']}, "
            f"valid values are from 1 to {limits.SQS_MAX_RECEIVE_COUNT} both inclusive.",
        )
    target = str(policy["deadLetterTargetArn"])
    if not target.startswith("arn:") or target.count(":") < 5:
        raise invalid_attribute_value(
            "RedrivePolicy", f"Invalid value for deadLetterTargetArn: {target}"
        )
    return json.dumps({"deadLetterTargetArn": target, "maxReceiveCount": count},
                      separators=(",", ":"))
