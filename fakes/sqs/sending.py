"""Putting messages into a queue: validation, size limits, delay and FIFO deduplication."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from eventproof_fakes import limits
from eventproof_fakes.sqs.errors import (
    invalid_parameter,
    invalid_parameter_value,
    missing_parameter,
)
from eventproof_fakes.sqs.md5 import md5_of_body, md5_of_message_attributes
from eventproof_fakes.sqs.messages import (
    Message,
    check_body,
    checked_message_attributes,
    message_size,
)

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS
    from eventproof_fakes.sqs.queue import Queue

# "alphanumeric and punctuation characters", 1 to 128 (SendMessage API reference)
_FIFO_TOKEN = re.compile(r"^[!-~]{1,128}$")


def _check_token(parameter: str, value: str) -> None:
    if not _FIFO_TOKEN.match(value):
        raise invalid_parameter_value(
            parameter,
            value,
            f"{parameter} can only include alphanumeric and punctuation characters. "
            "1 to 128 in length.",
        )


class Outgoing:
    """One validated message ready to be stored (SendMessage or a batch entry)."""

    __slots__ = (
        "attributes",
        "body",
        "deduplication_id",
        "delay",
        "group_id",
        "size",
        "system_attributes",
    )

    def __init__(
        self,
        queue: Queue,
        body: str | None,
        attributes: Mapping[str, Mapping[str, Any]] | None,
        group_id: str | None,
        deduplication_id: str | None,
        delay: int | None,
        *,
        in_batch: bool = False,
        system_attributes: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.body = check_body(body)
        self.system_attributes = _checked_system_attributes(system_attributes)
        self.attributes = checked_message_attributes(attributes)
        self.size = message_size(self.body, self.attributes)
        maximum = queue.setting("MaximumMessageSize")
        if self.size > maximum:
            verb = "cannot be validated" if in_batch else "are invalid"
            raise invalid_parameter(
                f"One or more parameters {verb}. Reason: Message must be shorter than {maximum} bytes."
            )
        if group_id is not None:
            _check_token("MessageGroupId", group_id)
        if deduplication_id is not None:
            _check_token("MessageDeduplicationId", deduplication_id)
        if delay is not None and not 0 <= delay <= limits.SQS_MAX_DELAY_SECONDS:
            raise invalid_parameter_value(
                "DelaySeconds",
                delay,
                f"DelaySeconds must be >= 0 and <= {limits.SQS_MAX_DELAY_SECONDS}",
            )
        if queue.fifo:
            if group_id is None:
                if in_batch:
                    raise invalid_parameter("The request must contain the parameter MessageGroupId.")
                raise missing_parameter("MessageGroupId")
            if delay:
                raise invalid_parameter_value(
                    "DelaySeconds",
                    delay,
                    "The request include parameter that is not valid for this queue type.",
                )
            delay = None
            if deduplication_id is None:
                if not queue.content_based_deduplication:
                    raise invalid_parameter(
                        "The queue should either have ContentBasedDeduplication enabled or "
                        "MessageDeduplicationId provided explicitly"
                    )
                deduplication_id = hashlib.sha256(self.body.encode("utf-8")).hexdigest()
        else:
            deduplication_id = None  # standard queues ignore it
        self.group_id = group_id
        self.deduplication_id = deduplication_id
        self.delay = delay


def _checked_system_attributes(
    attributes: Mapping[str, Mapping[str, Any]] | None,
) -> dict[str, dict[str, Any]]:
    """``MessageSystemAttributes``: AWS accepts only ``AWSTraceHeader``, as a String."""
    if not attributes:
        return {}
    clean: dict[str, dict[str, Any]] = {}
    for name, attribute in attributes.items():
        if name != "AWSTraceHeader":
            raise invalid_parameter(f"Message system attribute name '{name}' is invalid.")
        if attribute.get("DataType") != "String" or not attribute.get("StringValue"):
            raise invalid_parameter(
                "Message system attribute 'AWSTraceHeader' must contain a non-empty value "
                "of type 'String'."
            )
        clean[name] = {"DataType": "String", "StringValue": attribute["StringValue"]}
    return clean


def store(env: FakeAWS, queue: Queue, outgoing: Outgoing) -> Message:
    """Enqueue, or for a FIFO duplicate within the window return the original message."""
    now = env.clock.now()
    key = None
    if queue.fifo:
        scope = queue.attributes.get("DeduplicationScope", "queue")
        key = f"{outgoing.group_id}\x00{outgoing.deduplication_id}" if scope == "messageGroup" \
            else str(outgoing.deduplication_id)
        seen = queue.deduplication.get(key)
        if seen is not None and seen[1] > now:
            return seen[0]
    delay = outgoing.delay if outgoing.delay is not None else queue.setting("DelaySeconds")
    attributes = outgoing.attributes
    message = Message(
        message_id=env.ids.uuid(),
        body=outgoing.body,
        md5_of_body=md5_of_body(outgoing.body),
        message_attributes=attributes,
        md5_of_message_attributes=md5_of_message_attributes(attributes) if attributes else None,
        sent_at=now,
        visible_at=now + delay,
        sender_id=env.account_id,
        group_id=outgoing.group_id,
        deduplication_id=outgoing.deduplication_id,
        sequence_number=env.ids.sequence_number() if queue.fifo else None,
        trace_header=(outgoing.system_attributes.get("AWSTraceHeader") or {}).get("StringValue"),
    )
    queue.expire(now)
    queue.messages.append(message)
    if key is not None:
        queue.deduplication[key] = (message, now + limits.SQS_FIFO_DEDUPLICATION_INTERVAL)
    return message


def send_result(message: Message) -> dict[str, Any]:
    result: dict[str, Any] = {"MessageId": message.message_id, "MD5OfMessageBody": message.md5_of_body}
    if message.md5_of_message_attributes:
        result["MD5OfMessageAttributes"] = message.md5_of_message_attributes
    if message.trace_header is not None:
        result["MD5OfMessageSystemAttributes"] = md5_of_message_attributes(
            {"AWSTraceHeader": {"DataType": "String", "StringValue": message.trace_header}}
        )
    if message.sequence_number is not None:
        result["SequenceNumber"] = message.sequence_number
    return result
