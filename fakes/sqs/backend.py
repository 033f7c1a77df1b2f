"""The SQS fake: boto3 operations plus a small Python API for other fakes and tests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventproof_fakes.sqs.messages import Message, ReceivedMessage
from eventproof_fakes.sqs.messaging import MessageOperations
from eventproof_fakes.sqs.permissions import PermissionOperations
from eventproof_fakes.sqs.queue import Queue
from eventproof_fakes.sqs.queues import QueueAdmin
from eventproof_fakes.sqs.sending import Outgoing, store

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS


class SQS(QueueAdmin, MessageOperations, PermissionOperations):
    """In-memory SQS for one account and region, on the environment's virtual clock.

    Queues are addressed by URL (``https://sqs.<region>.amazonaws.com/<account>/<name>``),
    ARN or name in the Python API. See ``eventproof_fakes.sqs.queue`` and
    ``eventproof_fakes.sqs.messaging`` for where this fake simplifies AWS.
    """

    def __init__(self, env: FakeAWS) -> None:
        self.env = env
        self._queues: dict[str, Queue] = {}

    # --- Python API used by other fakes (SNS, Lambda pollers, pipes) --------
    def send(
        self,
        queue: str,
        body: str,
        *,
        message_attributes: dict[str, Any] | None = None,
        group_id: str | None = None,
        deduplication_id: str | None = None,
        delay_seconds: int | None = None,
    ) -> str:
        """Enqueue a message as SendMessage would (same validation); return its MessageId."""
        target = self._queue(queue)
        outgoing = Outgoing(
            target, body, message_attributes, group_id, deduplication_id, delay_seconds
        )
        return store(self.env, target, outgoing).message_id

    def receive(
        self, queue: str, *, max_messages: int, visibility_timeout: int | None = None
    ) -> list[ReceivedMessage]:
        """Receive up to ``max_messages`` with every attribute, as a poller does (no wait).

        Unlike ReceiveMessage, ``max_messages`` may exceed 10: Lambda's
        pollers gather batches of up to 10,000 from several receives.
        """
        return self._receive(self._queue(queue), max_messages, visibility_timeout)

    def delete(self, queue: str, receipt_handle: str) -> None:
        self.delete_message({"QueueUrl": queue, "ReceiptHandle": receipt_handle})

    def change_visibility(self, queue: str, receipt_handle: str, timeout: int) -> None:
        self.change_message_visibility(
            {"QueueUrl": queue, "ReceiptHandle": receipt_handle, "VisibilityTimeout": timeout}
        )

    def next_visible_at(self, queue: str) -> float | None:
        """When the earliest invisible or delayed message becomes receivable, if any."""
        return self._queue(queue).next_visible_at(self.env.clock.now())

    def queue_attributes(self, queue: str) -> dict[str, str]:
        return self._all_attributes(self._queue(queue))

    def messages(self, queue: str) -> list[Message]:
        """Every stored message, visible or not, without changing any state."""
        return list(self._queue(queue).messages)

    def queue_arn(self, queue: str) -> str:
        return self._queue(queue).arn

    def queue_url(self, queue: str) -> str:
        return self._queue(queue).url

    def queue_names(self) -> list[str]:
        return sorted(self._queues)

    def is_fifo(self, queue: str) -> bool:
        return self._queue(queue).fifo
