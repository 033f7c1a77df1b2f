"""Message operations: Send/Receive/Delete/ChangeMessageVisibility and their batches.

Choices where AWS leaves room (each documented by AWS as possible behaviour):
- ``WaitTimeSeconds``: a fake cannot wait for another producer. A long poll
  that finds nothing returns at once, *unless* a delayed or in-flight message
  becomes visible within the wait; then the virtual clock advances to that
  instant and the poll returns it.
- Deleting with a receipt handle from an earlier receive of a message that
  has been received again succeeds without deleting it on a standard queue
  (DeleteMessage API reference: "the request succeeds, but the message will
  not be deleted"); on a FIFO queue it fails as "The receipt handle has expired".
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, Any

from eventproof_fakes import limits
from eventproof_fakes.errors import AWSError
from eventproof_fakes.operations import operation
from eventproof_fakes.sqs.attempts import check_attempt_id, remember, replay
from eventproof_fakes.sqs.errors import (
    batch_error,
    invalid_parameter_value,
    message_not_inflight,
    receipt_handle_is_invalid,
)
from eventproof_fakes.sqs.md5 import md5_of_message_attributes
from eventproof_fakes.sqs.messages import Message, ReceivedMessage
from eventproof_fakes.sqs.sending import Outgoing, send_result, store

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS
    from eventproof_fakes.sqs.queue import Queue

_BATCH_ENTRY_ID = re.compile(r"^[A-Za-z0-9_-]{1,80}$")


def _check_batch(entries: list[dict[str, Any]], action: str) -> None:
    if not entries:
        raise batch_error(
            "EmptyBatchRequest",
            f"There should be at least one {action}BatchRequestEntry in the request.",
        )
    if len(entries) > limits.SQS_MAX_BATCH_ENTRIES:
        raise batch_error(
            "TooManyEntriesInBatchRequest",
            f"Maximum number of entries per request are {limits.SQS_MAX_BATCH_ENTRIES}. "
            f"You have sent {len(entries)}.",
        )
    seen: set[str] = set()
    for entry in entries:
        entry_id = entry["Id"]
        if not _BATCH_ENTRY_ID.match(entry_id):
            raise batch_error(
                "InvalidBatchEntryId",
                "A batch entry id can only contain alphanumeric characters, hyphens and "
                "underscores. It can be at most 80 letters long.",
            )
        if entry_id in seen:
            raise batch_error("BatchEntryIdsNotDistinct", f"Id {entry_id} repeated.")
        seen.add(entry_id)


def _failure(entry_id: str, error: AWSError) -> dict[str, Any]:
    return {"Id": entry_id, "SenderFault": True, "Code": error.code, "Message": error.message}


def _check_range(name: str, value: int | None, high: int, reason: str) -> None:
    if value is not None and not 0 <= value <= high:
        raise invalid_parameter_value(name, value, reason)


class MessageOperations:
    env: FakeAWS

    def _queue(self, reference: str) -> Queue:
        raise NotImplementedError

    def _queue_by_arn(self, arn: str) -> Queue | None:
        raise NotImplementedError

    # --- sending ------------------------------------------------------------
    @operation
    def send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        queue = self._queue(params["QueueUrl"])
        outgoing = Outgoing(
            queue,
            params.get("MessageBody"),
            params.get("MessageAttributes"),
            params.get("MessageGroupId"),
            params.get("MessageDeduplicationId"),
            params.get("DelaySeconds"),
            system_attributes=params.get("MessageSystemAttributes"),
        )
        return send_result(store(self.env, queue, outgoing))

    @operation
    def send_message_batch(self, params: dict[str, Any]) -> dict[str, Any]:
        queue = self._queue(params["QueueUrl"])
        entries = params.get("Entries") or []
        _check_batch(entries, "SendMessage")
        prepared: list[tuple[str, Outgoing | AWSError]] = []
        total = 0
        for entry in entries:
            try:
                outgoing = Outgoing(
                    queue,
                    entry.get("MessageBody"),
                    entry.get("MessageAttributes"),
                    entry.get("MessageGroupId"),
                    entry.get("MessageDeduplicationId"),
                    entry.get("DelaySeconds"),
                    in_batch=True,
                    system_attributes=entry.get("MessageSystemAttributes"),
                )
            except AWSError as error:
                if error.code != "InvalidParameterValue" or "shorter than" not in error.message:
                    raise
                prepared.append((entry["Id"], error))
                total += len(str(entry.get("MessageBody", "")).encode("utf-8"))
                continue
            total += outgoing.size
            prepared.append((entry["Id"], outgoing))
        if total > limits.SQS_MAX_MESSAGE_SIZE:
            raise batch_error(
                "BatchRequestTooLong",
                f"Batch requests cannot be longer than {limits.SQS_MAX_MESSAGE_SIZE} bytes. "
                f"You have sent {total} bytes.",
            )
        successful: list[dict[str, Any]] = []
        failed: list[dict[str, Any]] = []
        for entry_id, item in prepared:
            if isinstance(item, AWSError):
                failed.append(_failure(entry_id, item))
            else:
                successful.append({"Id": entry_id, **send_result(store(self.env, queue, item))})
        return {"Successful": successful, "Failed": failed}

    # --- receiving ----------------------------------------------------------
    @operation
    def receive_message(self, params: dict[str, Any]) -> dict[str, Any]:
        queue = self._queue(params["QueueUrl"])
        maximum = params.get("MaxNumberOfMessages", 1)
        if not 1 <= maximum <= limits.SQS_MAX_RECEIVE_MESSAGES:
            raise invalid_parameter_value(
                "MaxNumberOfMessages", maximum, "Must be between 1 and 10, if provided."
            )
        wait = params.get("WaitTimeSeconds")
        _check_range("WaitTimeSeconds", wait, limits.SQS_MAX_WAIT_TIME_SECONDS,
                     "Must be >= 0 and <= 20, if provided.")
        visibility = params.get("VisibilityTimeout")
        _check_range("VisibilityTimeout", visibility, limits.SQS_MAX_VISIBILITY_TIMEOUT,
                     "Must be >= 0 and <= 43200, if provided.")
        if wait is None:
            wait = queue.setting("ReceiveMessageWaitTimeSeconds")
        attempt_id = params.get("ReceiveRequestAttemptId")
        if attempt_id is not None and queue.fifo:  # a standard queue ignores it (see attempts.py)
            received = self._receive_attempt(queue, check_attempt_id(attempt_id), maximum,
                                             visibility, wait)
        else:
            received = self._receive(queue, maximum, visibility, wait)
        system_names = set(params.get("AttributeNames") or ()) | set(
            params.get("MessageSystemAttributeNames") or ()
        )
        attribute_names = params.get("MessageAttributeNames") or ()
        messages = [
            _filtered(message, system_names, attribute_names).to_response() for message in received
        ]
        return {"Messages": messages} if messages else {}

    def _receive_attempt(
        self, queue: Queue, attempt_id: str, maximum: int, visibility: int | None, wait: int
    ) -> list[ReceivedMessage]:
        now = self.env.clock.now()
        timeout = queue.setting("VisibilityTimeout") if visibility is None else visibility
        again = replay(queue.receive_attempts, attempt_id, now, timeout)
        if again is not None:
            return [_received(message, handle) for message, handle in again]
        received = self._receive(queue, maximum, visibility, wait)
        delivered = [(queue.by_handle[r.receipt_handle], r.receipt_handle) for r in received]
        remember(queue.receive_attempts, attempt_id, self.env.clock.now(), delivered)
        return received

    def _receive(
        self, queue: Queue, maximum: int, visibility: int | None, wait: int = 0
    ) -> list[ReceivedMessage]:
        clock = self.env.clock
        now = clock.now()
        queue.expire(now)
        received = self._take(queue, now, maximum, visibility)
        if not received and wait:
            upcoming = queue.next_visible_at(now)
            if upcoming is not None and upcoming <= now + wait:
                clock.advance_to(upcoming)
                received = self._take(queue, clock.now(), maximum, visibility)
        return received

    def _take(
        self, queue: Queue, now: float, maximum: int, visibility: int | None
    ) -> list[ReceivedMessage]:
        timeout = queue.setting("VisibilityTimeout") if visibility is None else visibility
        redrive = queue.redrive()
        faults = self.env.faults.hook
        channel = "sqs:" + queue.name
        received: list[ReceivedMessage] = []
        for message in queue.candidates(now, maximum, self.env):
            if redrive is not None and message.receive_count >= redrive[1]:
                dead_letter_queue = self._queue_by_arn(redrive[0])
                if dead_letter_queue is not None:
                    self._move_to_dead_letter_queue(queue, dead_letter_queue, message, now)
                    continue
            # A message is duplicated on its first receive only: its copies, and its
            # redeliveries after a visibility timeout, are not duplicated again.
            copies = 1 if queue.fifo or message.receive_count else faults.copies(channel)
            handle = queue.deliver(message, now, timeout, self._new_handle)
            received.append(_received(message, handle))
            for _ in range(copies - 1):
                # A copy on another server: deleting this receipt leaves it, so it comes again.
                queue.messages.append(
                    dataclasses.replace(message, receipt_handle=None, visible_at=now)
                )
            if len(received) >= maximum:
                break
        return received

    def _new_handle(self) -> str:
        return "AQEB" + self.env.ids.hex(48)

    @staticmethod
    def _move_to_dead_letter_queue(
        source: Queue, target: Queue, message: Message, now: float
    ) -> None:
        # AWS keeps the MessageId, receive count and original SentTimestamp
        # (retention counts from the first enqueue) and adds DeadLetterQueueSourceArn.
        source.remove(message)
        message.deleted = False
        message.receipt_handle = None
        message.visible_at = now
        message.dead_letter_source_arn = source.arn
        target.messages.append(message)

    # --- deleting and visibility ----------------------------------------------
    def _handle_target(self, queue: Queue, handle: str) -> Message | None:
        """The message a handle may act on now; None when the call succeeds with no effect."""
        message = queue.by_handle.get(handle)
        if message is None:
            if handle in queue.tombstones:
                return None  # the message was deleted: deleting again succeeds
            raise receipt_handle_is_invalid(handle)
        if message.deleted:
            return None
        current = message.receipt_handle == handle
        if queue.fifo and (not current or message.visible_at <= self.env.clock.now()):
            raise invalid_parameter_value(
                "ReceiptHandle", handle, "The receipt handle has expired."
            )
        return message if current else None

    @operation
    def delete_message(self, params: dict[str, Any]) -> dict[str, Any]:
        queue = self._queue(params["QueueUrl"])
        message = self._handle_target(queue, params["ReceiptHandle"])
        if message is not None:
            queue.remove(message)
        return {}

    @operation
    def delete_message_batch(self, params: dict[str, Any]) -> dict[str, Any]:
        queue = self._queue(params["QueueUrl"])
        entries = params.get("Entries") or []
        _check_batch(entries, "DeleteMessage")
        return self._batch(entries, lambda entry: self.delete_message(
            {"QueueUrl": params["QueueUrl"], "ReceiptHandle": entry["ReceiptHandle"]}
        ), queue)

    @operation
    def change_message_visibility(self, params: dict[str, Any]) -> dict[str, Any]:
        queue = self._queue(params["QueueUrl"])
        timeout = params["VisibilityTimeout"]
        _check_range("VisibilityTimeout", timeout, limits.SQS_MAX_VISIBILITY_TIMEOUT,
                     "Must be between 0 and 43200, if provided.")
        handle = params["ReceiptHandle"]
        message = queue.by_handle.get(handle)
        if message is None:
            if handle in queue.tombstones:
                raise message_not_inflight()
            raise receipt_handle_is_invalid(handle)
        now = self.env.clock.now()
        # A standard queue lets the latest handle extend a message whose
        # visibility already ran out (recorded on AWS); FIFO needs it in flight.
        if message.deleted or message.receipt_handle != handle or (
            queue.fifo and not message.in_flight(now)
        ):
            raise message_not_inflight()
        message.visible_at = now + timeout
        return {}

    @operation
    def change_message_visibility_batch(self, params: dict[str, Any]) -> dict[str, Any]:
        queue = self._queue(params["QueueUrl"])
        entries = params.get("Entries") or []
        _check_batch(entries, "ChangeMessageVisibility")
        return self._batch(entries, lambda entry: self.change_message_visibility(
            {
                "QueueUrl": params["QueueUrl"],
                "ReceiptHandle": entry["ReceiptHandle"],
                "VisibilityTimeout": entry.get("VisibilityTimeout", 0),
            }
        ), queue)

    @staticmethod
    def _batch(entries: list[dict[str, Any]], apply: Any, queue: Queue) -> dict[str, Any]:
        successful: list[dict[str, Any]] = []
        failed: list[dict[str, Any]] = []
        for entry in entries:
            try:
                apply(entry)
            except AWSError as error:
                failed.append(_failure(entry["Id"], error))
            else:
                successful.append({"Id": entry["Id"]})
        return {"Successful": successful, "Failed": failed}


def _received(message: Message, handle: str) -> ReceivedMessage:
    return ReceivedMessage(
        message_id=message.message_id,
        receipt_handle=handle,
        body=message.body,
        attributes=message.system_attributes(),
        message_attributes=message.message_attributes,
        md5_of_body=message.md5_of_body,
        md5_of_message_attributes=message.md5_of_message_attributes,
    )


def _filtered(
    message: ReceivedMessage, system_names: set[str], attribute_names: Any
) -> ReceivedMessage:
    """The message as ReceiveMessage returns it: only the attributes asked for."""
    if "All" in system_names:
        attributes = message.attributes
    else:
        attributes = {k: v for k, v in message.attributes.items() if k in system_names}
    user: dict[str, dict[str, Any]] = {}
    for name, value in message.message_attributes.items():
        for wanted in attribute_names:
            if wanted in ("All", ".*") or wanted == name or (
                wanted.endswith(".*") and name.startswith(wanted[:-1])
            ):
                user[name] = value
                break
    if user == message.message_attributes:
        digest = message.md5_of_message_attributes
    else:
        digest = md5_of_message_attributes(user) if user else None
    return ReceivedMessage(
        message.message_id, message.receipt_handle, message.body, attributes, user,
        message.md5_of_body, digest,
    )
