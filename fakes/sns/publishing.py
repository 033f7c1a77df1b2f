"""Publish and PublishBatch: validation, FIFO deduplication and delivery to subscribers.

Deliveries happen synchronously inside the Publish call, in subscription
order: to SQS through the SQS fake's Python API, to Lambda as an
asynchronous invoke. A delivery that fails (queue or function gone) is
kept in ``failed_deliveries`` rather than failing Publish, as on AWS.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import TYPE_CHECKING, Any

from eventproof_fakes import limits, observe
from eventproof_fakes.errors import AWSError
from eventproof_fakes.operations import operation
from eventproof_fakes.sns.envelope import PublishedMessage, lambda_event, sqs_envelope
from eventproof_fakes.sns.errors import invalid_parameter, sns_error
from eventproof_fakes.sns.filter_policy import accepts
from eventproof_fakes.sns.message_attributes import attributes_size, checked_attributes

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS
    from eventproof_fakes.sns.subscriptions import Subscription
    from eventproof_fakes.sns.topics import Topic

_BATCH_ENTRY_ID = re.compile(r"^[A-Za-z0-9_-]*$")


class PublishOperations:
    env: FakeAWS
    failed_deliveries: list[tuple[str, str, str]]

    def _topic(self, arn: str | None, parameter: str = "TopicArn") -> Topic:
        raise NotImplementedError

    def _subscriptions_of(self, topic_arn: str) -> list[Subscription]:
        raise NotImplementedError

    # --- API ------------------------------------------------------------------
    @operation
    def publish(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("PhoneNumber"):
            raise invalid_parameter("PhoneNumber Reason: SMS is not modelled by eventproof's fakes")
        arn = params.get("TopicArn") or params.get("TargetArn")
        topic = self._topic(arn, "TopicArn" if params.get("TopicArn") else "TargetArn")
        message = self._accept(topic, params)
        return _result(message)

    @operation
    def publish_batch(self, params: dict[str, Any]) -> dict[str, Any]:
        topic = self._topic(params.get("TopicArn"))
        entries = params.get("PublishBatchRequestEntries") or []
        if not entries:
            raise sns_error("EmptyBatchRequest", "The batch request doesn't contain any entries.")
        if len(entries) > limits.SNS_MAX_PUBLISH_BATCH_ENTRIES:
            raise sns_error(
                "TooManyEntriesInBatchRequest",
                "The batch request contains more entries than permissible.",
            )
        ids = [entry["Id"] for entry in entries]
        for entry_id in ids:
            if len(entry_id) > 80:
                raise sns_error(
                    "InvalidBatchEntryId",
                    f"The Id of a batch entry in the batch request is too long: {entry_id}",
                )
            if not _BATCH_ENTRY_ID.match(entry_id):
                raise sns_error(
                    "InvalidBatchEntryId",
                    "The Id of a batch entry in the batch request contains an impermissible "
                    f"character: {entry_id}",
                )
        if len(set(ids)) != len(ids):
            raise sns_error(
                "BatchEntryIdsNotDistinct",
                "Two or more batch entries in the request have the same Id.",
            )
        total = sum(
            len(str(entry.get("Message", "")).encode())
            + attributes_size(entry.get("MessageAttributes") or {})
            for entry in entries
        )
        if total > limits.SNS_MAX_MESSAGE_SIZE:
            raise sns_error(
                "BatchRequestTooLong",
                "The length of all the messages put together is more than the limit.",
            )
        if topic.fifo:
            for entry in entries:
                self._check_fifo(topic, entry)
        successful: list[dict[str, Any]] = []
        failed: list[dict[str, Any]] = []
        for entry in entries:
            try:
                message = self._accept(topic, entry)
            except AWSError as error:
                failed.append(
                    {"Id": entry["Id"], "Code": error.code, "Message": error.message,
                     "SenderFault": True}
                )
            else:
                successful.append({"Id": entry["Id"], **_result(message)})
        return {"Successful": successful, "Failed": failed}

    # --- acceptance -----------------------------------------------------------
    def _check_fifo(self, topic: Topic, params: dict[str, Any]) -> None:
        if not params.get("MessageGroupId"):
            raise invalid_parameter("The MessageGroupId parameter is required for FIFO topics")
        if not params.get("MessageDeduplicationId") and not topic.content_based_deduplication:
            raise invalid_parameter(
                "The topic should either have ContentBasedDeduplication enabled or "
                "MessageDeduplicationId provided explicitly"
            )

    def _accept(self, topic: Topic, params: dict[str, Any]) -> PublishedMessage:
        text = params.get("Message")
        if text is None or text == "":
            raise invalid_parameter("Empty message")
        subject = params.get("Subject")
        if subject is not None and (
            not subject or len(subject) > 100 or any(ord(c) < 32 for c in subject)
        ):
            raise invalid_parameter("Subject")
        attributes = checked_attributes(params.get("MessageAttributes"))
        if len(text.encode("utf-8")) + attributes_size(attributes) > limits.SNS_MAX_MESSAGE_SIZE:
            raise invalid_parameter("Message too long")
        per_protocol = _per_protocol(text) if params.get("MessageStructure") == "json" else {}
        group_id = params.get("MessageGroupId")
        deduplication_id = params.get("MessageDeduplicationId")
        now = self.env.clock.now()
        if topic.fifo:
            self._check_fifo(topic, params)
            deduplication_id = deduplication_id or hashlib.sha256(text.encode()).hexdigest()
            seen = topic.deduplication.get(deduplication_id)
            if seen is not None and seen[2] > now:
                return PublishedMessage(seen[0], topic.arn, text, "", sequence_number=seen[1])
        elif deduplication_id is not None:
            raise invalid_parameter(
                "MessageDeduplicationId Reason: The request includes MessageDeduplicationId "
                "parameter that is not valid for this topic type"
            )
        message = PublishedMessage(
            message_id=self.env.ids.uuid(),
            topic_arn=topic.arn,
            message=per_protocol.get("default", text),
            timestamp=_timestamp(self.env),
            subject=subject,
            message_attributes=attributes,
            message_structure=params.get("MessageStructure"),
            group_id=group_id,
            deduplication_id=deduplication_id if topic.fifo else None,
            sequence_number=self.env.ids.sequence_number() if topic.fifo else None,
            per_protocol=per_protocol,
        )
        if topic.fifo and deduplication_id is not None:
            topic.deduplication[deduplication_id] = (
                message.message_id,
                message.sequence_number,
                now + limits.SNS_FIFO_DEDUPLICATION_INTERVAL,
            )
        topic.published.append(message)
        self._deliver(message)
        return message

    # --- delivery -------------------------------------------------------------
    def _deliver(self, message: PublishedMessage) -> None:
        for subscription in self._subscriptions_of(message.topic_arn):
            if not accepts(
                subscription.policy, subscription.scope, message.message,
                message.message_attributes,
            ):
                continue
            try:
                if subscription.protocol == "sqs":
                    self._deliver_to_sqs(subscription, message)
                elif subscription.protocol == "lambda":
                    event = lambda_event(message, self.env.region, subscription.arn)
                    self.env.deliveries.record(
                        observe.SNS_LAMBDA_EVENT, subscription.endpoint, event, self.env.clock.now()
                    )
                    self.env.lambda_.invoke_async(subscription.endpoint, event)
            except (AWSError, KeyError) as error:
                self.failed_deliveries.append((subscription.arn, message.message_id, str(error)))

    def _deliver_to_sqs(self, subscription: Subscription, message: PublishedMessage) -> None:
        if subscription.raw:
            body = message.message_for("sqs")
            attributes: dict[str, Any] | None = message.message_attributes or None
        else:
            envelope = sqs_envelope(message, self.env.region, subscription.arn)
            self.env.deliveries.record(
                observe.SNS_SQS_ENVELOPE, subscription.endpoint, envelope, self.env.clock.now()
            )
            body = json.dumps(envelope, indent=2, separators=(",", " : "), ensure_ascii=False)
            attributes = None
        self.env.sqs.send(
            subscription.endpoint,
            body,
            message_attributes=attributes,
            group_id=message.group_id,
            deduplication_id=message.deduplication_id,
        )


def _per_protocol(text: str) -> dict[str, str]:
    try:
        structure = json.loads(text)
    except ValueError:
        raise invalid_parameter("Message Structure - JSON message body failed to parse") from None
    if not isinstance(structure, dict) or "default" not in structure:
        raise invalid_parameter("Message Structure - No default entry in JSON message body")
    return {str(k): str(v) for k, v in structure.items()}


def _timestamp(env: FakeAWS) -> str:
    """``2026-01-01T00:00:00.000Z``: SNS timestamps carry milliseconds."""
    moment = env.clock.now_datetime()
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _result(message: PublishedMessage) -> dict[str, Any]:
    result = {"MessageId": message.message_id}
    if message.sequence_number is not None:
        result["SequenceNumber"] = message.sequence_number
    return result
