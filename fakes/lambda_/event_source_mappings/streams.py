"""The DynamoDB Streams poller of an event source mapping, as
https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html and
https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html describe it.

Records go to the function in order; a failing batch blocks the shard
until it succeeds, its retries are exhausted (``MaximumRetryAttempts``,
-1 = until the record expires) or its records are older than
``MaximumRecordAgeInSeconds``. Then the batch-info record goes to the
OnFailure destination and the poller moves past the batch.
``BisectBatchOnFunctionError`` splits a failing batch in two (a split is
not a retry). With ``ReportBatchItemFailures`` the poller checkpoints at the
lowest failed sequence number and retries from there.
Simplified: one shard; retries follow at 1 s, doubling, at most 60 s
(AWS does not document the interval).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from fakes import observe
from fakes.lambda_ import destinations
from fakes.lambda_.event_source_mappings.mapping import EventSourceMapping
from fakes.lambda_.event_source_mappings.sqs import failed_message_ids
from fakes.lambda_.runtime import Invocation, Throttled
from fakes.limits import DYNAMODB_STREAM_RETENTION_SECONDS

if TYPE_CHECKING:
    from fakes.lambda_.backend import Lambda

MAX_RETRY_DELAY = 60
DEFAULT_SHARD_ID = "shardId-00000001767225600000-00000000"


class StreamPoller:
    """A ``Pump`` reading one stream from its checkpoint."""

    def __init__(self, lambda_: Lambda, mapping: EventSourceMapping) -> None:
        self._lambda = lambda_
        self._env = lambda_.env
        self.mapping = mapping
        self._checkpoint: str | None = None
        self._batches: list[list[Any]] = []
        self._attempts = 0
        self._retry_at: float | None = None
        self._last: Invocation | None = None
        # The fault channel names the table: arn:...:table/<name>/stream/<label>.
        self._channel = "stream:" + mapping.source_arn.split("/")[1]
        if mapping.starting_position == "LATEST":
            self._checkpoint = self._latest_sequence_number()

    def pump(self) -> bool:
        mapping = self.mapping
        function = self._lambda.functions.get(mapping.function_name)
        now = self._env.clock.now()
        if not mapping.enabled or function is None:
            return False
        if self._retry_at is not None and now < self._retry_at:
            return False
        self._retry_at = None
        if not self._batches:
            records = self._env.dynamodb.read_stream(
                mapping.source_arn, self._checkpoint, mapping.batch_size
            )
            if not records:
                return False
            self._batches.append(list(records))
        batch = self._batches[0]
        expired = [r for r in batch if now - r.created_at > self._max_age()]
        if expired:
            self._give_up(expired, "RecordAgeExceeded")
            return True
        kept = [r for r in batch if mapping.matches(r.to_lambda_event())]
        if not kept:
            self._done(batch)
            return True
        # Fault injection: AWS may hand the same batch to the function more than
        # once (at-least-once); the shard's order is never touched.
        copies = self._env.faults.hook.copies(self._channel) if self._attempts == 0 else 1
        try:
            for _ in range(copies):
                invocation = self._lambda._run(
                    function,
                    {"Records": [r.to_lambda_event() for r in kept]},
                    trigger="stream",
                    attempt=self._attempts + 1,
                )
                if invocation.error is not None:
                    break
        except Throttled:
            self._retry_later()
            return True
        self._attempts += 1
        self._last = invocation
        if invocation.error is None:
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

    def next_wakeup(self) -> float | None:
        if not self.mapping.enabled:
            return None
        return self._retry_at

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
                observe.STREAM_BATCH_INFO, self.mapping.on_failure, record, self._env.clock.now()
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
            "DDBStreamBatchInfo": {
                "shardId": getattr(records[0], "shard_id", DEFAULT_SHARD_ID),
                "startSequenceNumber": records[0].sequence_number,
                "endSequenceNumber": records[-1].sequence_number,
                "approximateArrivalOfFirstRecord": _iso_seconds(records[0].created_at),
                "approximateArrivalOfLastRecord": _iso_seconds(records[-1].created_at),
                "batchSize": len(records),
                "streamArn": self.mapping.source_arn,
            },
        }

    # --- helpers ------------------------------------------------------------
    def _max_age(self) -> float:
        age = self.mapping.maximum_record_age
        return DYNAMODB_STREAM_RETENTION_SECONDS if age == -1 else age

    def _latest_sequence_number(self) -> str | None:
        last: str | None = None
        while True:
            records = self._env.dynamodb.read_stream(self.mapping.source_arn, last, 1000)
            if not records:
                return last
            last = records[-1].sequence_number


def _iso_seconds(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


__all__ = ["StreamPoller"]
