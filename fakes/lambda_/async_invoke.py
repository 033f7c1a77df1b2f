"""Asynchronous invocation: the event queue, retries, event age, throttling, destinations.

As https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html documents:
- a function error is retried up to ``MaximumRetryAttempts`` (default 2) times,
  one minute after the first failure and two minutes after the second;
- a throttled event goes back to the queue with exponential backoff (1 s,
  doubling, at most 5 minutes) until it is ``MaximumEventAgeInSeconds`` old
  (default 6 hours); throttles are not attempts;
- an event that is discarded goes to the OnFailure destination (condition
  ``RetriesExhausted`` or ``EventAgeExceeded``) and to the function's
  dead-letter queue; a success goes to the OnSuccess destination.
Retries are foreground timers on the virtual clock, so ``run_until_idle``
drives them. Simplified: the delays are exact (AWS's are approximate), and
an event is discarded the moment its next try would be at or past its age.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from eventproof_fakes import observe
from eventproof_fakes.lambda_ import destinations
from eventproof_fakes.lambda_.errors import too_large
from eventproof_fakes.lambda_.functions import Function
from eventproof_fakes.lambda_.runtime import (
    Invocation,
    Runtime,
    Throttled,
    decode_payload,
    encode_payload,
)
from eventproof_fakes.limits import (
    LAMBDA_ASYNC_DEFAULT_RETRIES,
    LAMBDA_ASYNC_FIRST_RETRY_DELAY,
    LAMBDA_ASYNC_MAX_EVENT_AGE_SECONDS,
    LAMBDA_ASYNC_MAX_THROTTLE_BACKOFF,
    LAMBDA_ASYNC_SECOND_RETRY_DELAY,
    LAMBDA_MAX_ASYNC_PAYLOAD,
)


@dataclass
class QueuedEvent:
    request_id: str
    function_name: str
    raw: bytes
    event: Any
    enqueued_at: float
    attempts: int = 0
    throttles: int = 0
    last: Invocation | None = None
    outcome: str | None = None  # the condition it ended with
    history: list[float] = field(default_factory=list)


class AsyncInvokeAPI(Runtime):
    """The asynchronous event queue; mixed into ``Lambda``."""

    def _init_async(self) -> None:
        self.async_events: list[QueuedEvent] = []
        self.undelivered: list[tuple[str, dict[str, Any], str]] = []

    def invoke_async(self, function: str, payload: Any) -> str:
        """Queue an ``Event`` invocation; returns its request id. Runs when the clock is driven."""
        target = self.function(function)
        raw = encode_payload(payload)
        if len(raw) > LAMBDA_MAX_ASYNC_PAYLOAD:
            raise too_large(LAMBDA_MAX_ASYNC_PAYLOAD, "Invoke")
        from eventproof_fakes.lambda_.invoke import parse_request_payload

        queued = QueuedEvent(
            request_id=self.env.ids.uuid(),
            function_name=target.name,
            raw=raw,
            event=parse_request_payload(raw),
            enqueued_at=self.env.clock.now(),
        )
        # Fault injection: AWS may deliver one async event more than once, late, or both.
        channel = "lambda:" + target.name
        for copy_number in range(self.env.faults.hook.copies(channel)):
            delivery = queued if copy_number == 0 else replace(queued, history=[])
            self.async_events.append(delivery)
            self._schedule(delivery, self.env.faults.hook.delay_for(channel))
        return queued.request_id

    # --- the queue ----------------------------------------------------------
    def _schedule(self, queued: QueuedEvent, delay: float) -> None:
        self.env.clock.call_later(
            delay,
            lambda: self._attempt(queued),
            label=f"lambda async {queued.function_name} {queued.request_id}",
        )

    def _attempt(self, queued: QueuedEvent) -> None:
        function = self.functions.get(queued.function_name)
        if function is None:
            queued.outcome = "FunctionDeleted"
            return
        max_age, max_retries = self._async_limits(function)
        try:
            invocation = self._run(
                function,
                decode_payload(queued.raw),
                trigger="async",
                attempt=queued.attempts + 1,
                request_id=queued.request_id,
            )
        except Throttled:
            queued.throttles += 1
            backoff = min(2 ** (queued.throttles - 1), LAMBDA_ASYNC_MAX_THROTTLE_BACKOFF)
            self._retry_or_expire(queued, function, backoff, max_age)
            return
        queued.attempts += 1
        queued.last = invocation
        queued.history.append(invocation.started_at)
        if invocation.error is None:
            self._finish(queued, function, "Success")
        elif queued.attempts > max_retries:
            self._finish(queued, function, "RetriesExhausted")
        else:
            delay = (
                LAMBDA_ASYNC_FIRST_RETRY_DELAY
                if queued.attempts == 1
                else LAMBDA_ASYNC_SECOND_RETRY_DELAY
            )
            self._retry_or_expire(queued, function, delay, max_age)

    def _retry_or_expire(
        self, queued: QueuedEvent, function: Function, delay: float, max_age: int
    ) -> None:
        if self.env.clock.now() + delay - queued.enqueued_at >= max_age:
            self._finish(queued, function, "EventAgeExceeded")
        else:
            self._schedule(queued, delay)

    def _async_limits(self, function: Function) -> tuple[int, int]:
        config = function.invoke_config
        max_age = LAMBDA_ASYNC_MAX_EVENT_AGE_SECONDS
        max_retries = LAMBDA_ASYNC_DEFAULT_RETRIES
        if config is not None:
            if config.maximum_event_age_seconds is not None:
                max_age = config.maximum_event_age_seconds
            if config.maximum_retry_attempts is not None:
                max_retries = config.maximum_retry_attempts
        return max_age, max_retries

    # --- the end of an event --------------------------------------------------
    def _finish(self, queued: QueuedEvent, function: Function, condition: str) -> None:
        queued.outcome = condition
        config = function.invoke_config
        success = condition == "Success"
        destination = None
        if config is not None:
            destination = config.on_success if success else config.on_failure
        if destination:
            record = destinations.execution_record(
                self.env,
                request_id=queued.request_id,
                function_arn=function.latest_arn,
                condition=condition,
                invoke_count=queued.attempts,
                request_payload=queued.event,
                last=queued.last,
            )
            self.env.deliveries.record(
                observe.DESTINATION_RECORD, destination, record, self.env.clock.now()
            )
            self._deliver(destination, record, success=success, function_arn=function.latest_arn)
        if not success and function.dead_letter_target:
            last = queued.last
            message = ""
            if last is not None and last.error_payload is not None:
                message = str(last.error_payload.get("errorMessage", ""))
            destinations.dead_letter(
                self.env,
                function.dead_letter_target,
                queued.raw,
                request_id=queued.request_id,
                error_message=message,
            )

    def _deliver(
        self, destination: str, record: dict[str, Any], *, success: bool, function_arn: str
    ) -> None:
        try:
            destinations.deliver(
                self.env, destination, record, success=success, function_arn=function_arn
            )
        except Exception as error:  # AWS drops what it cannot deliver; we keep it visible.
            self.undelivered.append((destination, record, repr(error)))
