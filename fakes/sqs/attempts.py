"""``ReceiveRequestAttemptId``: a FIFO receive retried after a lost answer gets the same answer.

As the ReceiveMessage API reference documents
(https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html):
a retry with the same attempt id, within 5 minutes of the receive, returns
the same messages with the same receipt handles, even though they are in
flight, and resets their visibility timeout; it is possible only while none
of the messages has been modified (deleted, or its visibility changed);
afterwards the attempt id is refused as no longer valid. The parameter
applies only to FIFO queues: a standard queue ignores it, as AWS does.
A receive that returned no message is not remembered (its retry receives anew).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from eventproof_fakes.sqs.errors import invalid_parameter_value

if TYPE_CHECKING:
    from eventproof_fakes.sqs.messages import Message

__all__ = ["ATTEMPT_WINDOW_SECONDS", "Attempt", "check_attempt_id", "remember", "replay"]

ATTEMPT_WINDOW_SECONDS = 300.0
# Alphanumeric characters and punctuation, at most 128 (the API reference).
_VALID = re.compile(r"^[A-Za-z0-9!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~]{1,128}$")


@dataclass
class Attempt:
    """One FIFO receive: when it happened, and each message with its handle and visibility then."""

    received_at: float
    deliveries: list[tuple[Message, str, float]]  # message, receipt handle, visible_at


def check_attempt_id(attempt_id: object) -> str:
    if not isinstance(attempt_id, str) or not _VALID.match(attempt_id):
        raise invalid_parameter_value(
            "ReceiveRequestAttemptId",
            attempt_id,
            "ReceiveRequestAttemptId can contain alphanumeric characters and punctuation, "
            "and can be at most 128 characters long.",
        )
    return attempt_id


def replay(
    attempts: dict[str, Attempt], attempt_id: str, now: float, visibility_timeout: float
) -> list[tuple[Message, str]] | None:
    """The messages of an earlier attempt, their visibility reset; None when there is none."""
    for known in [key for key, old in attempts.items() if now - old.received_at >= ATTEMPT_WINDOW_SECONDS]:
        del attempts[known]
    attempt = attempts.get(attempt_id)
    if attempt is None:
        return None
    unchanged = all(
        not message.deleted and message.receipt_handle == handle and message.visible_at == visible_at
        for message, handle, visible_at in attempt.deliveries
    )
    if not unchanged:
        del attempts[attempt_id]
        raise invalid_parameter_value(
            "ReceiveRequestAttemptId",
            attempt_id,
            "The receiveRequestAttemptId is not valid anymore since the receive call is not "
            "retryable: its messages were deleted or their visibility changed.",
        )
    visible_at = now + visibility_timeout
    for message, _, _ in attempt.deliveries:
        message.visible_at = visible_at
    attempt.deliveries = [(message, handle, visible_at) for message, handle, _ in attempt.deliveries]
    return [(message, handle) for message, handle, _ in attempt.deliveries]


def remember(
    attempts: dict[str, Attempt], attempt_id: str, now: float, delivered: list[tuple[Message, str]]
) -> None:
    if delivered:
        attempts[attempt_id] = Attempt(
            now, [(message, handle, message.visible_at) for message, handle in delivered]
        )
