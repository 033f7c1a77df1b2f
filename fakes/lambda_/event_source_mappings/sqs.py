"""The SQS poller of an event source mapping, as
https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html and
https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html describe it.

- A batch of up to ``BatchSize`` visible messages; with a batching window,
  the poller waits until the batch is full or the window has passed.
- Messages that match no filter are deleted, as AWS does.
- A function error (or a throttle) deletes nothing: the messages come back
  after the visibility timeout, and the queue's own RedrivePolicy moves them
  to its DLQ once they have been received ``maxReceiveCount`` times.
- With ``ReportBatchItemFailures``: an empty or null ``batchItemFailures``
  (or no response at all) is full success; an empty, null, malformed or
  unknown ``itemIdentifier``, or a response that is not an object, fails the
  whole batch; otherwise every message not listed is deleted.
- FIFO order comes from the queue: a message in flight blocks its group.
Simplified: one poller, receives in zero virtual time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventproof_fakes.errors import AWSError
from eventproof_fakes.lambda_.errors import invalid_parameter
from eventproof_fakes.lambda_.event_source_mappings.mapping import (
    EventSourceMapping,
    sqs_filter_view,
)
from eventproof_fakes.lambda_.event_source_mappings.registry import (
    EventSourceKind,
    register_event_source,
)
from eventproof_fakes.lambda_.runtime import Throttled
from eventproof_fakes.limits import (
    LAMBDA_SQS_FIFO_MAX_BATCH_SIZE,
    LAMBDA_SQS_MAX_BATCH_SIZE,
    LAMBDA_SQS_MAX_BATCHING_WINDOW,
)

if TYPE_CHECKING:
    from eventproof_fakes.lambda_.backend import Lambda


def failed_message_ids(response: Any, message_ids: set[str]) -> set[str] | None:
    """The ids a ReportBatchItemFailures response names; None: the whole batch failed."""
    if response is None:
        return set()
    if not isinstance(response, dict):
        return None
    failures = response.get("batchItemFailures")
    if failures is None:
        return set()
    if not isinstance(failures, list):
        return None
    failed: set[str] = set()
    for failure in failures:
        identifier = failure.get("itemIdentifier") if isinstance(failure, dict) else None
        if not isinstance(identifier, str) or identifier not in message_ids:
            return None
        failed.add(identifier)
    return failed


class SqsPoller:
    """A ``Pump``: ``FakeAWS.run_until_idle`` drives it."""

    def __init__(self, lambda_: Lambda, mapping: EventSourceMapping) -> None:
        self._lambda = lambda_
        self._env = lambda_.env
        self.mapping = mapping
        self._window_opened_at: float | None = None

    def pump(self) -> bool:
        mapping = self.mapping
        function = self._lambda.functions.get(mapping.function_name)
        if not mapping.enabled or function is None:
            return False
        sqs = self._env.sqs
        queue = mapping.source_arn
        now = self._env.clock.now()
        visible = int(sqs.queue_attributes(queue).get("ApproximateNumberOfMessages", "0"))
        if visible == 0:
            self._window_opened_at = None
            return False
        if mapping.batching_window and visible < mapping.batch_size:
            if self._window_opened_at is None:
                self._window_opened_at = now
            if now < self._window_opened_at + mapping.batching_window:
                return False
        self._window_opened_at = None
        messages = sqs.receive(queue, max_messages=mapping.batch_size)
        if not messages:
            return False
        region = self._env.region
        batch = []
        for message in messages:
            record = message.to_lambda_record(mapping.source_arn, region)
            if mapping.matches(sqs_filter_view(record)):
                batch.append((message, record))
            else:
                sqs.delete(queue, message.receipt_handle)
        if not batch:
            return True
        if not sqs.is_fifo(queue):
            batch = self._env.faults.hook.order(f"sqs-esm:{mapping.uuid}", batch)
        try:
            invocation = self._lambda._run(
                function, {"Records": [record for _, record in batch]}, trigger="sqs"
            )
        except Throttled:
            return True  # nothing deleted: the batch comes back after the visibility timeout
        if invocation.error is not None:
            return True
        failed: set[str] | None = set()
        if mapping.reports_item_failures:
            ids = {message.message_id for message, _ in batch}
            failed = failed_message_ids(invocation.result, ids)
        if failed is None:
            return True
        for message, _ in batch:
            if message.message_id not in failed:
                sqs.delete(queue, message.receipt_handle)
        return True

    def next_wakeup(self) -> float | None:
        if not self.mapping.enabled:
            return None
        if self._window_opened_at is not None:
            return self._window_opened_at + self.mapping.batching_window
        when: float | None = self._env.sqs.next_visible_at(self.mapping.source_arn)
        # Work ready now is the pump's; a wake-up in the past would only spin.
        return when if when is not None and when > self._env.clock.now() else None


def _check_queue(lambda_: Lambda, source: str, params: dict[str, Any]) -> None:
    try:
        lambda_.env.sqs.queue_arn(source)
    except AWSError:
        raise invalid_parameter(
            "Error occurred while ReceiveMessage. SQS Error Code: "
            "AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: "
            "The specified queue does not exist."
        ) from None


def _check_batching(mapping: EventSourceMapping, params: dict[str, Any]) -> None:
    fifo = mapping.source_arn.endswith(".fifo")
    limit = LAMBDA_SQS_FIFO_MAX_BATCH_SIZE if fifo else LAMBDA_SQS_MAX_BATCH_SIZE
    if not 1 <= mapping.batch_size <= limit:
        raise invalid_parameter(f"BatchSize must be between 1 and {limit}.")
    if not 0 <= mapping.batching_window <= LAMBDA_SQS_MAX_BATCHING_WINDOW:
        raise invalid_parameter(
            f"MaximumBatchingWindowInSeconds must be between 0 and {LAMBDA_SQS_MAX_BATCHING_WINDOW}."
        )
    if mapping.batch_size > 10 and mapping.batching_window == 0:
        raise invalid_parameter(
            "Maximum batch window in seconds must be greater than 0 if maximum batch size "
            "is greater than 10"
        )


SQS_QUEUES = register_event_source(
    EventSourceKind(
        service="sqs",
        conflict_label="SQS",
        trigger="sqs",
        record_contract="SqsRecord",
        default_batch_size=10,
        check_source=_check_queue,
        configure=_check_batching,
        make_poller=SqsPoller,
        describe=lambda mapping: {},
    )
)
