"""Reading a stream shard for an event source mapping: the machinery DynamoDB Streams and
Kinesis share, as https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html,
https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html and
https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html describe it.

Records go to the function in order; a failing batch blocks the shard
until it succeeds, its retries are exhausted (``MaximumRetryAttempts``,
-1 = until the record expires) or its records are older than
``MaximumRecordAgeInSeconds``. Then the batch-info record goes to the
OnFailure destination and the poller moves past the batch.
``BisectBatchOnFunctionError`` splits a failing batch in two (a split is
not a retry). With ``ReportBatchItemFailures`` the poller checkpoints at the
lowest failed sequence number and retries from there. With
``MaximumBatchingWindowInSeconds`` a batch that is not full waits until the
window has passed since the poller first saw records. ``TumblingWindowInSeconds``:
see ``windows``.
Simplified: retries follow at 1 s, doubling, at most 60 s (AWS does not
document the interval); the 6 MB payload limit of a batch is not modelled.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from eventproof_fakes.lambda_ import destinations
from eventproof_fakes.lambda_.event_source_mappings.mapping import EventSourceMapping
from eventproof_fakes.lambda_.event_source_mappings.sqs import failed_message_ids
from eventproof_fakes.lambda_.event_source_mappings.windows import TumblingWindow
from eventproof_fakes.lambda_.runtime import Invocation, Throttled

if TYPE_CHECKING:
    from eventproof_fakes.lambda_.backend import Lambda

MAX_RETRY_DELAY = 60


class ShardRecord(Protocol):
    """A record a shard reader returns: what the lane needs of it."""

    @property
    def sequence_number(self) -> str: ...

    @property
    def created_at(self) -> float: ...


@dataclass(frozen=True)
class ShardSource:
    """Where one lane reads and how its records and failures look."""

    # (after sequence number or None for the start, limit) -> the next records, oldest first
    read: Callable[[str | None, int], Sequence[Any]]
    shard_id: str
    channel: str  # fault channel consulted for duplicate deliveries
    trigger: str
    retention: Callable[[], float]  # how long records live: the age limit when it is -1
    batch_info_key: str  # "DDBStreamBatchInfo" | "KinesisBatchInfo"
    failure_kind: str  # delivery kind of the OnFailure record (eventproof_fakes.observe)
    arrival_text: Callable[[float], str]  # approximateArrivalOf*Record
    to_event: Callable[[Any], dict[str, Any]]  # the record as the handler gets it
    filter_view: Callable[[Any], dict[str, Any]]  # the record as FilterCriteria see it


class ShardLane:
    """One shard (or one partition-key lane of it) read in order from a checkpoint."""

    def __init__(
        self,
        lambda_: Lambda,
        mapping: EventSourceMapping,
        source: ShardSource,
        start_after: str | None = None,
    ) -> None:
        self._lambda = lambda_
        self._env = lambda_.env
        self.mapping = mapping
        self.source = source
        self._checkpoint = start_after
        self._batches: list[list[Any]] = []
        self._attempts = 0
        self._retry_at: float | None = None
        self._window_opened_at: float | None = None
        self._last: Invocation | None = None
        self._tumbling: TumblingWindow | None = None

    def pump(self) -> bool:
        mapping = self.mapping
        function = self._lambda.functions.get(mapping.function_name)
        now = self._env.clock.now()
        if not mapping.enabled or function is None:
            return False
        if self._retry_at is not None and now < self._retry_at:
            return False
        self._retry_at = None
        tumbling = self._tumbling_window()
        if tumbling is not None and tumbling.due(now) and self._window_drained(tumbling):
            return self._final_invoke(function, tumbling)
        if not self._batches:
            records = self.source.read(self._checkpoint, mapping.batch_size)
            if not records:
                self._window_opened_at = None
                return False
            if tumbling is not None:
                records = tumbling.cut(records)
            if mapping.batching_window and len(records) < mapping.batch_size:
                if self._window_opened_at is None:
                    self._window_opened_at = now
                if now < self._window_opened_at + mapping.batching_window:
                    return False
            self._window_opened_at = None
            self._batches.append(list(records))
        batch = self._batches[0]
        expired = [r for r in batch if now - r.created_at > self._max_age()]
        if expired:
            self._give_up(expired, "RecordAgeExceeded")
            return True
        kept = [r for r in batch if mapping.matches(self.source.filter_view(r))]
        if not kept:
            self._done(batch)
            return True
        # Fault injection: AWS may hand the same batch to the function more than
        # once (at-least-once); the shard's order is never touched.
        copies = self._env.faults.hook.copies(self.source.channel) if self._attempts == 0 else 1
        event: dict[str, Any] = {"Records": [self.source.to_event(r) for r in kept]}
        if tumbling is not None:
            event.update(tumbling.fields(self.source.shard_id, mapping.source_arn, final=False))
        try:
            for _ in range(copies):
                invocation = self._lambda._run(
                    function,
                    event,
                    trigger=self.source.trigger,
                    attempt=self._attempts + 1,
                )
                if invocation.error is not None:
                    break
        except Throttled:
            self._retry_later()
            return True
        self._attempts += 1
        self._last = invocation
        if invocation.error is None and (tumbling is None or tumbling.accept(invocation.result)):
            failed: set[str] | None = set()
            if mapping.reports_item_failures:
                failed = failed_message_ids(invocation.result, {r.sequence_number for r in kept})
            if failed == set():
                self._done(batch)
                return True
            if failed:
                # Checkpoint at the lowest failed record: retry from there on.
                first = min(i for i, r in enumerate(batch) if r.sequence_number in failed)
                if first:
                    self._checkpoint = batch[first - 1].sequence_number
                self._batches[0] = batch = batch[first:]
        self._failed(batch)
        return True

    # --- tumbling windows ------------------------------------------------------
    def _tumbling_window(self) -> TumblingWindow | None:
        seconds = self.mapping.tumbling_window
        if not seconds:
            self._tumbling = None
        elif self._tumbling is None or self._tumbling.seconds != seconds:
            self._tumbling = TumblingWindow(seconds)
        return self._tumbling

    def _window_drained(self, tumbling: TumblingWindow) -> bool:
        """No batch pending and no unread record left in the window."""
        if self._batches:
            return False
        following = self.source.read(self._checkpoint, 1)
        end = tumbling.end
        return not following or (end is not None and following[0].created_at >= end)

    def _final_invoke(self, function: Any, tumbling: TumblingWindow) -> bool:
        event = {
            "Records": [],
            **tumbling.fields(self.source.shard_id, self.mapping.source_arn, final=True),
        }
        try:
            invocation = self._lambda._run(
                function, event, trigger=self.source.trigger, attempt=self._attempts + 1
            )
        except Throttled:
            self._retry_later()
            return True
        if invocation.error is None and tumbling.accept(invocation.result):
            tumbling.close()
            self._attempts = 0
        else:
            # The shard waits until the final invocation succeeds.
            self._attempts += 1
            self._retry_later()
        return True

    def at_end(self) -> bool:
        """Nothing pending and nothing more to read (for a closed shard: done with it)."""
        window_open = self._tumbling is not None and self._tumbling.start is not None
        return not self._batches and not window_open and not self.source.read(self._checkpoint, 1)

    @property
    def checkpoint(self) -> str | None:
        """The sequence number of the last record this lane is done with."""
        return self._checkpoint

    def next_wakeup(self) -> float | None:
        if not self.mapping.enabled:
            return None
        when = self._retry_at
        if when is None and self._window_opened_at is not None:
            when = self._window_opened_at + self.mapping.batching_window
        if when is None and self._tumbling is not None:
            when = self._tumbling.end
        # Work due now is the pump's; a due wake-up it declined (its function is gone)
        # would only make run_until_idle spin.
        return when if when is not None and when > self._env.clock.now() else None

    # --- outcomes -----------------------------------------------------------
    def _done(self, batch: list[Any]) -> None:
        self._checkpoint = batch[-1].sequence_number
        self._batches.pop(0)
        self._attempts = 0
        self._last = None

    def _failed(self, batch: list[Any]) -> None:
        mapping = self.mapping
        if mapping.bisect and len(batch) > 1 and self._last and self._last.error is not None:
            middle = (len(batch) + 1) // 2
            self._batches[0:1] = [batch[:middle], batch[middle:]]
            self._retry_later()
            # A split is not a retry: each half starts with the full retry quota.
            self._attempts = 0
            return
        retries = mapping.maximum_retry_attempts
        if retries != -1 and self._attempts > retries:
            self._give_up(batch, "RetryAttemptsExhausted")
            return
        self._retry_later()

    def _retry_later(self) -> None:
        delay = min(2 ** max(self._attempts - 1, 0), MAX_RETRY_DELAY)
        self._retry_at = self._env.clock.now() + delay

    def _give_up(self, records: list[Any], condition: str) -> None:
        if self.mapping.on_failure:
            record = self._batch_info_record(records, condition)
            self._env.deliveries.record(
                self.source.failure_kind, self.mapping.on_failure, record, self._env.clock.now()
            )
            self._lambda._deliver(self.mapping.on_failure, record, success=False, function_arn="")
        batch = self._batches[0]
        last_given_up = records[-1].sequence_number
        rest = [r for r in batch if int(r.sequence_number) > int(last_given_up)]
        self._checkpoint = last_given_up
        self._attempts = 0
        self._last = None
        if rest:
            self._batches[0] = rest
        else:
            self._batches.pop(0)

    def _batch_info_record(self, records: list[Any], condition: str) -> dict[str, Any]:
        last = self._last
        function_error = None
        if last is not None and last.error is not None:
            function_error = "Unhandled"
        source = self.source
        return {
            "requestContext": {
                "requestId": last.request_id if last else self._env.ids.uuid(),
                "functionArn": self.mapping.function_arn,
                "condition": condition,
                "approximateInvokeCount": self._attempts,
            },
            "responseContext": {
                "statusCode": 200,
                "executedVersion": "$LATEST",
                "functionError": function_error,
            },
            "version": "1.0",
            "timestamp": destinations.iso_millis(self._env),
            source.batch_info_key: {
                "shardId": source.shard_id,
                "startSequenceNumber": records[0].sequence_number,
                "endSequenceNumber": records[-1].sequence_number,
                "approximateArrivalOfFirstRecord": source.arrival_text(records[0].created_at),
                "approximateArrivalOfLastRecord": source.arrival_text(records[-1].created_at),
                "batchSize": len(records),
                "streamArn": self.mapping.source_arn,
            },
        }

    def _max_age(self) -> float:
        age = self.mapping.maximum_record_age
        return self.source.retention() if age == -1 else age


def iso_seconds(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_millis(timestamp: float) -> str:
    moment = datetime.fromtimestamp(timestamp, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


__all__ = ["ShardLane", "ShardRecord", "ShardSource", "iso_millis", "iso_seconds"]
