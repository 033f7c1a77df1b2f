"""One running pipe: poll the source, filter, enrich, transform, deliver, retry.

A pipe is a pump (``FakeAWS.add_pump``): each ``pump()`` moves at most one
batch. A stopped pipe moves nothing and resumes from its checkpoint when
started again.

Failures, as AWS documents them for pipes
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-error-troubleshooting.html):
- SQS source: the batch's messages stay in the queue and come back when
  their visibility timeout ends; the queue's redrive policy dead-letters them.
  A Lambda target's ``batchItemFailures`` keep exactly those messages.
- DynamoDB stream source: the batch is retried in order, blocking the shard,
  ``MaximumRetryAttempts`` times (-1, the default: until the records
  expire), then sent to ``DeadLetterConfig`` and skipped.

Simplifications: retries back off 1, 2, 4 ... 60 s of virtual time; the
dead-letter record follows Lambda's documented stream on-failure record
(AWS does not document the pipe's); ``MaximumBatchingWindowInSeconds`` is
honoured for streams only.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from eventproof_fakes import observe
from eventproof_fakes.errors import AWSError
from eventproof_fakes.event_patterns import compile_pattern
from eventproof_fakes.limits import (
    PIPES_DEFAULT_SQS_BATCH_SIZE,
    PIPES_DEFAULT_STREAM_BATCH_SIZE,
    PIPES_MAX_FILTERS,
)
from eventproof_fakes.pipes.input_template import InputTemplate, PipeVariables
from eventproof_fakes.pipes.sources import Batch, QueueSource, StreamSource, source_for
from eventproof_fakes.pipes.targets import TargetFailed, deliver, target_service

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

__all__ = ["PipeRuntime"]

DEFAULT_BATCH_SIZE = {
    "aws:sqs": PIPES_DEFAULT_SQS_BATCH_SIZE,
    "aws:dynamodb": PIPES_DEFAULT_STREAM_BATCH_SIZE,
}
MAX_RETRY_BACKOFF_SECONDS = 60


class PipeRuntime:
    def __init__(self, env: FakeAWS, name: str, arn: str, source: str) -> None:
        self.env = env
        self.name = name
        self.arn = arn
        self.source_arn = source
        self.running = False
        self.source: StreamSource | QueueSource | None = None
        self._attempts = 0
        self._retry_at: float | None = None
        self._window_started: float | None = None

    def configure(self, description: dict[str, Any], *, new_source: bool) -> None:
        """(Re)read the pipe's settings; raises ValueError naming what is wrong."""
        parameters = description.get("SourceParameters") or {}
        if new_source:
            self.source = source_for(self.env, self.source_arn, parameters)
        assert self.source is not None
        specific = parameters.get(
            "DynamoDBStreamParameters" if self.source.kind == "aws:dynamodb" else "SqsQueueParameters"
        ) or {}
        self.batch_size = int(specific.get("BatchSize") or DEFAULT_BATCH_SIZE[self.source.kind])
        self.window = float(specific.get("MaximumBatchingWindowInSeconds") or 0)
        self.max_retries = int(specific.get("MaximumRetryAttempts", -1))
        self.dead_letter_arn = (specific.get("DeadLetterConfig") or {}).get("Arn")
        filters = (parameters.get("FilterCriteria") or {}).get("Filters") or []
        if len(filters) > PIPES_MAX_FILTERS:
            raise ValueError(f"FilterCriteria.Filters has {len(filters)} filters; at most {PIPES_MAX_FILTERS}")
        self.filters = []
        for number, entry in enumerate(filters, 1):
            try:
                self.filters.append(compile_pattern(entry.get("Pattern", ""), dialect="eventbridge"))
            except Exception as error:
                raise ValueError(f"FilterCriteria.Filters[{number}].Pattern is invalid: {error}") from None
        self.enrichment = description.get("Enrichment") or ""
        self.enrichment_template = _template(
            (description.get("EnrichmentParameters") or {}).get("InputTemplate"), "EnrichmentParameters"
        )
        self.target = description["Target"]
        target_service(self.target)
        if self.enrichment:
            target_service(self.enrichment)
        self.target_parameters = description.get("TargetParameters") or {}
        self.target_template = _template(self.target_parameters.get("InputTemplate"), "TargetParameters")

    # --- Pump -------------------------------------------------------------------
    def pump(self) -> bool:
        if not self.running or self.source is None:
            return False
        now = self.env.clock.now()
        if self._retry_at is not None and now < self._retry_at:
            return False
        batch = self.source.poll(self.batch_size)
        if batch is None:
            self._window_started = None
            return False
        if self._waiting_for_window(batch, now):
            return False
        self._window_started = None
        self._retry_at = None
        self._process(batch)
        return True

    def next_wakeup(self) -> float | None:
        if not self.running or self.source is None:
            return None
        if self._retry_at is not None:
            return self._retry_at
        if self._window_started is not None:
            return self._window_started + self.window
        return self.source.next_ready()

    def _waiting_for_window(self, batch: Batch, now: float) -> bool:
        if self.window <= 0 or len(batch.ids) >= self.batch_size or not isinstance(self.source, StreamSource):
            return False
        if self._window_started is None:
            self._window_started = now
        return now < self._window_started + self.window

    # --- one batch ----------------------------------------------------------------
    def _process(self, batch: Batch) -> None:
        source = self.source
        assert source is not None
        matching = [
            event for event in batch.events
            if not self.filters or any(f.matches(source.match_view(event)) for f in self.filters)
        ]
        if not matching:
            source.ack(batch)
            return
        try:
            events = self._enrich(matching)
            if events:
                delivery = None
                for _ in range(self.env.faults.hook.copies("pipe:" + self.name)):
                    if self.target_template is None and not self.enrichment:
                        self.env.deliveries.record(
                            observe.PIPE_SOURCE_RECORDS, self.target, events, self.env.clock.now()
                        )
                    delivery = deliver(
                        self.env,
                        pipe_name=self.name,
                        source_kind=source.kind,
                        target=self.target,
                        parameters=self.target_parameters,
                        events=[self._render(self.target_template, e) for e in events],
                        originals=events,
                    )
                if delivery is not None and delivery.failed_ids:
                    self._partial_failure(batch, set(delivery.failed_ids))
                    return
        except (TargetFailed, AWSError) as failure:
            self._failed(batch, str(failure))
            return
        self._attempts = 0
        source.ack(batch)

    def _enrich(self, events: list[dict[str, Any]]) -> list[Any]:
        if not self.enrichment:
            return events
        payload = [self._render(self.enrichment_template, event) for event in events]
        result = self.env.lambda_.invoke_sync(self.enrichment, payload)
        if result.error is not None:
            raise TargetFailed(f"enrichment {self.enrichment} failed: {result.error}")
        enriched = result.payload
        if enriched is None:
            return []
        return enriched if isinstance(enriched, list) else [enriched]

    def _render(self, template: InputTemplate | None, event: Any) -> Any:
        if template is None:
            return event
        variables = PipeVariables(
            pipe_arn=self.arn,
            pipe_name=self.name,
            source_arn=self.source_arn,
            target_arn=self.target,
            ingestion_time=self.env.clock.iso_now(),
            enrichment_arn=self.enrichment,
        )
        return template.render(event, variables)

    def _partial_failure(self, batch: Batch, failed: set[str]) -> None:
        source = self.source
        if isinstance(source, QueueSource):
            source.ack_ids(batch, keep=failed)
            return
        assert source is not None
        first = next((i for i, item in enumerate(batch.ids) if item in failed), len(batch.ids))
        source.ack(batch, first)
        if first < len(batch.ids):
            self._failed(Batch(batch.events[first:], batch.ids[first:]), "batch item failures")

    def _failed(self, batch: Batch, reason: str) -> None:
        source = self.source
        assert source is not None
        source.nack(batch)
        if isinstance(source, QueueSource):
            return
        self._attempts += 1
        if 0 <= self.max_retries < self._attempts:
            self._dead_letter(batch, reason)
            source.ack(batch)
            self._attempts = 0
            return
        backoff = min(2 ** (self._attempts - 1), MAX_RETRY_BACKOFF_SECONDS)
        self._retry_at = self.env.clock.now() + backoff

    def _dead_letter(self, batch: Batch, reason: str) -> None:
        if not self.dead_letter_arn:
            return
        record = {
            "requestContext": {
                "requestId": self.env.ids.uuid(),
                "functionArn": self.arn,
                "condition": "RetryAttemptsExhausted",
                "approximateInvokeCount": self._attempts,
            },
            "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": reason},
            "version": "1.0",
            "timestamp": self.env.clock.now_datetime().isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "DDBStreamBatchInfo": {
                "shardId": "shardId-00000000000000000000-00000000",
                "startSequenceNumber": batch.ids[0],
                "endSequenceNumber": batch.ids[-1],
                "approximateArrivalOfFirstRecord": _arrival(batch.events[0]),
                "approximateArrivalOfLastRecord": _arrival(batch.events[-1]),
                "batchSize": len(batch.ids),
                "streamArn": self.source_arn,
            },
        }
        body = json.dumps(record)
        if self.dead_letter_arn.split(":")[2] == "sns":
            self.env.sns.publish_message(self.dead_letter_arn, body)
        else:
            self.env.sqs.send(self.dead_letter_arn, body)


def _arrival(event: dict[str, Any]) -> Any:
    return event.get("dynamodb", {}).get("ApproximateCreationDateTime")


def _template(text: str | None, where: str) -> InputTemplate | None:
    if text is None or text == "":
        return None
    try:
        return InputTemplate(text)
    except ValueError as error:
        raise ValueError(f"{where}.InputTemplate: {error}") from None
