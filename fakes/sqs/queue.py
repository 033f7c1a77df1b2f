"""One SQS queue: its stored messages, visibility, redrive and FIFO rules.

Simplifications (AWS documents these as approximate or distributed effects):
- A standard queue hands out visible messages oldest first, through the
  fault seam ``env.faults.hook.order`` (which may shuffle them) and
  ``env.faults.hook.copies``, asked on a message's first receive (a value k
  above 1 stores k-1 further copies of it, visible at once: like a copy on a
  server that missed the delete, each is delivered again, with the same
  MessageId, even after the first receipt handle was deleted).
- Retention is applied lazily: an expired message is dropped the next time
  the queue is looked at, with the same observable result.
- Memory: a deleted or expired message is released; its receipt handles
  are kept as tombstones (so a repeated delete still succeeds, as on AWS)
  for the longest visibility timeout, 12 hours of virtual time (to 13: they
  are kept by the hour, as 8-byte hashes, ``eventproof_fakes.sqs.tombstones``).
  Expired FIFO deduplication entries are released too.
- A message that has already been received more than ``maxReceiveCount``
  times moves to the dead-letter queue on the next receive that meets it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from eventproof_fakes.limits import SQS_MAX_VISIBILITY_TIMEOUT
from eventproof_fakes.sqs.attributes import defaults
from eventproof_fakes.sqs.messages import Message
from eventproof_fakes.sqs.tombstones import Tombstones

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS
    from eventproof_fakes.sqs.attempts import Attempt


_SWEEP_SLACK = 64


@dataclass(slots=True)
class Queue:
    name: str
    url: str
    arn: str
    fifo: bool
    attributes: dict[str, str]
    created_at: float
    last_modified_at: float
    messages: list[Message] = field(default_factory=list)
    # Every handle ever issued; only ``message.receipt_handle`` is the current one.
    by_handle: dict[str, Message] = field(default_factory=dict)
    # FIFO deduplication: key -> (message, expiry time)
    deduplication: dict[str, tuple[Message, float]] = field(default_factory=dict)
    last_purge_at: float | None = None
    tags: dict[str, str] = field(default_factory=dict)
    # Receipt handles of released messages, until 12 hours after their release.
    tombstones: Tombstones = field(default_factory=Tombstones)
    # FIFO receives by ReceiveRequestAttemptId, for 5 minutes (fakes/sqs/attempts.py).
    receive_attempts: dict[str, Attempt] = field(default_factory=dict)

    @classmethod
    def create(
        cls, env: FakeAWS, name: str, url: str, fifo: bool, attributes: dict[str, str]
    ) -> Queue:
        now = env.clock.now()
        values = defaults(fifo)
        values.update(attributes)
        return cls(name, url, env.arn("sqs", name), fifo, values, now, now)

    # --- settings -----------------------------------------------------------
    def setting(self, name: str) -> int:
        return int(self.attributes[name])

    @property
    def content_based_deduplication(self) -> bool:
        return self.attributes.get("ContentBasedDeduplication") == "true"

    def redrive(self) -> tuple[str, int] | None:
        raw = self.attributes.get("RedrivePolicy")
        if not raw:
            return None
        policy = json.loads(raw)
        return str(policy["deadLetterTargetArn"]), int(policy["maxReceiveCount"])

    # --- housekeeping -------------------------------------------------------
    def expire(self, now: float) -> None:
        """Drop messages past MessageRetentionPeriod (lazily, on each look); release memory."""
        self._release(now)
        retention = self.setting("MessageRetentionPeriod")
        if self.messages and self.messages[0].sent_at + retention <= now:
            kept = [m for m in self.messages if m.sent_at + retention > now]
            for message in self.messages:
                if message.sent_at + retention <= now:
                    self._forget(message)
            self.messages = kept

    def _release(self, now: float) -> None:
        # Amortised: sweep the handles only once they outnumber the live messages.
        if len(self.by_handle) > 2 * len(self.messages) + _SWEEP_SLACK:
            live: dict[str, Message] = {}
            released: list[str] = []
            for handle, message in self.by_handle.items():
                if message.deleted:
                    released.append(handle)
                else:
                    live[handle] = message
            self.by_handle = live
            self.tombstones.add(released, now)
        self.tombstones.expire(now - SQS_MAX_VISIBILITY_TIMEOUT)
        while self.deduplication:
            key, (_, expires_at) = next(iter(self.deduplication.items()))
            if expires_at > now:
                break
            del self.deduplication[key]

    def remove(self, message: Message) -> None:
        self._forget(message)
        self.messages.remove(message)

    def _forget(self, message: Message) -> None:
        # Handles stay in ``by_handle``: deleting an already deleted message succeeds.
        message.deleted = True

    def purge(self) -> None:
        for message in self.messages:
            self._forget(message)
        self.messages = []

    # --- counts -------------------------------------------------------------
    def counts(self, now: float) -> dict[str, str]:
        self.expire(now)
        visible = delayed = in_flight = 0
        for message in self.messages:
            if message.visible_at <= now:
                visible += 1
            elif message.receive_count:
                in_flight += 1
            else:
                delayed += 1
        return {
            "ApproximateNumberOfMessages": str(visible),
            "ApproximateNumberOfMessagesNotVisible": str(in_flight),
            "ApproximateNumberOfMessagesDelayed": str(delayed),
        }

    def next_visible_at(self, now: float) -> float | None:
        self.expire(now)
        upcoming = [m.visible_at for m in self.messages if m.visible_at > now]
        return min(upcoming) if upcoming else None

    # --- receiving ----------------------------------------------------------
    def candidates(self, now: float, limit: int, env: FakeAWS) -> list[Message]:
        """The messages one receive may hand out, before redrive, in delivery order."""
        if self.fifo:
            return self._fifo_candidates(now, limit)
        visible = [m for m in self.messages if m.visible_at <= now]
        return env.faults.hook.order("sqs:" + self.name, visible)

    def _fifo_candidates(self, now: float, limit: int) -> list[Message]:
        # Strict order per group: a group with a message in flight is blocked,
        # and within a group nothing is handed out past an unavailable message.
        blocked: set[str | None] = set()
        chosen: list[Message] = []
        for message in self.messages:
            group = message.group_id
            if group in blocked:
                continue
            if message.visible_at > now:
                blocked.add(group)
                continue
            chosen.append(message)
            if len(chosen) >= limit:
                break
        return chosen

    def deliver(
        self,
        message: Message,
        now: float,
        visibility_timeout: int,
        new_handle: Callable[[], str],
    ) -> str:
        message.receive_count += 1
        if message.first_received_at is None:
            message.first_received_at = now
        handle = new_handle()
        message.receipt_handle = handle
        self.by_handle[handle] = message
        message.visible_at = now + visibility_timeout
        return handle
