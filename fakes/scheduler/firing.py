"""Schedules firing on the virtual clock, invoking their targets, with retries and a DLQ.

Timers are *background* timers (``eventproof_fakes.clock``): a recurring schedule
never ends, so ``run_until_idle`` does not jump the clock to it; it fires
when time passes it (``env.clock.advance``). The work a firing causes (an
async Lambda invocation, a retry) is foreground work as usual.

As https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html documents:
a rate schedule fires first at its StartDate, or at once when it has none,
then every period; a cron schedule at each time its expression names in
its time zone; a one-time ``at`` schedule once. Nothing fires after
EndDate. A schedule with ``ActionAfterCompletion: DELETE`` is deleted once
its last invocation has been dispatched. Simplified: FLEXIBLE time windows
fire at the start of the window; invocations happen on the minute (AWS:
within it).

Targets get ``Input`` (``{}`` when none) with the context attributes
``<aws.scheduler.schedule-arn>``, ``<aws.scheduler.scheduled-time>``,
``<aws.scheduler.execution-id>`` and ``<aws.scheduler.attempt-number>``
replaced. Lambda is invoked asynchronously; SQS gets a message (with
``SqsParameters.MessageGroupId``); SNS a publication; an event bus a
PutEvents entry with ``EventBridgeParameters`` as source and detail type,
Input as detail and the schedule ARN in ``resources``. A failed invocation
is retried (1 s, doubling, at most 5 min) within ``RetryPolicy``
(default 185 retries, 24 h); then it goes to the dead-letter queue with
message attributes named as EventBridge's (``ERROR_CODE``,
``ERROR_MESSAGE``, ``EXHAUSTED_RETRY_CONDITION``, ``RETRY_ATTEMPTS``,
``TARGET_ARN``), ``SCHEDULE_ARN`` in place of ``RULE_ARN``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from eventproof_fakes.clock import Timer
from eventproof_fakes.errors import AWSError
from eventproof_fakes.scheduler.model import DEFAULT_RETRY_POLICY, Schedule
from eventproof_fakes.scheduling import AtExpression, RateExpression

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

MAX_BACKOFF_SECONDS = 300


@dataclass
class ScheduledInvocation:
    """One attempt to invoke a schedule's target (inspection API)."""

    schedule_arn: str
    target_arn: str
    execution_id: str
    scheduled_time: datetime
    attempt: int
    at: float
    payload: str
    error: str | None = None
    dead_lettered: bool = False


class ScheduleRunner:
    def __init__(self, env: FakeAWS, on_completion: Callable[[Schedule], None]) -> None:
        self.env = env
        self.on_completion = on_completion
        self.invocations: list[ScheduledInvocation] = []
        self._timers: dict[str, Timer] = {}
        self._live: dict[str, Schedule] = {}

    def arm(self, schedule: Schedule) -> None:
        """(Re)start ``schedule`` from now: cancel its timer and set the next one, if any."""
        self.disarm(schedule)
        if not schedule.enabled:
            return
        self._live[schedule.arn] = schedule
        self._set(schedule, self._first(schedule))

    def disarm(self, schedule: Schedule) -> None:
        self._live.pop(schedule.arn, None)
        timer = self._timers.pop(schedule.arn, None)
        if timer is not None:
            timer.cancel()

    # --- when -------------------------------------------------------------
    def _first(self, schedule: Schedule) -> datetime | None:
        now = self.env.clock.now_datetime()
        expression = schedule.expression
        if isinstance(expression, AtExpression):
            return expression.when if expression.when >= now else None
        start = schedule.start
        if isinstance(expression, RateExpression):
            if start is None:
                return now
            if start >= now:
                return start
            periods = math.ceil((now - start) / expression.period)
            return start + periods * expression.period
        reference = max(now, start) if start is not None else now
        return expression.next_after(reference - timedelta(seconds=1))

    def _set(self, schedule: Schedule, when: datetime | None) -> None:
        end = schedule.end
        if when is None or (end is not None and when > end):
            self._live.pop(schedule.arn, None)
            if schedule.deletes_after_completion:
                self.on_completion(schedule)
            return
        self._timers[schedule.arn] = self.env.clock.call_at(
            when.timestamp(),
            lambda: self._fire(schedule, when),
            label=f"scheduler fires {schedule.group}/{schedule.name}",
            background=True,
        )

    def _fire(self, schedule: Schedule, when: datetime) -> None:
        if self._live.get(schedule.arn) is not schedule:
            return
        self._timers.pop(schedule.arn, None)
        execution_id = self.env.ids.uuid()
        self._attempt(schedule.arn, schedule.target, execution_id, when, 1, self.env.clock.now())
        self._set(schedule, schedule.expression.next_after(when))

    # --- invoking ---------------------------------------------------------
    def _attempt(
        self,
        schedule_arn: str,
        target: dict[str, Any],
        execution_id: str,
        when: datetime,
        attempt: int,
        first_at: float,
    ) -> None:
        payload = _input(target.get("Input"), schedule_arn, when, execution_id, attempt)
        record = ScheduledInvocation(
            schedule_arn, target["Arn"], execution_id, when, attempt, self.env.clock.now(), payload
        )
        self.invocations.append(record)
        try:
            self._send(schedule_arn, target, payload)
        except (AWSError, LookupError) as error:
            code = error.code if isinstance(error, AWSError) else "ResourceNotFoundException"
            message = error.message if isinstance(error, AWSError) else str(error)
            record.error = f"{code}: {message}"
            policy = {**DEFAULT_RETRY_POLICY, **(target.get("RetryPolicy") or {})}
            delay = min(2 ** (attempt - 1), MAX_BACKOFF_SECONDS)
            if attempt - 1 >= policy["MaximumRetryAttempts"]:
                self._dead_letter(record, target, code, message, "MaximumRetryAttemptsExhausted")
            elif self.env.clock.now() + delay - first_at > policy["MaximumEventAgeInSeconds"]:
                self._dead_letter(record, target, code, message, "MaximumEventAgeExhausted")
            else:
                self.env.clock.call_later(
                    delay,
                    lambda: self._attempt(
                        schedule_arn, target, execution_id, when, attempt + 1, first_at
                    ),
                    label=f"scheduler retry {schedule_arn} attempt {attempt + 1}",
                )

    def _send(self, schedule_arn: str, target: dict[str, Any], payload: str) -> None:
        arn = target["Arn"]
        service = arn.split(":")[2]
        if service == "lambda":
            self.env.lambda_.invoke_async(arn, _json_or_text(payload))
        elif service == "sqs":
            group = (target.get("SqsParameters") or {}).get("MessageGroupId")
            self.env.sqs.send(arn, payload, group_id=group)
        elif service == "sns":
            self.env.sns.publish_message(arn, payload)
        else:
            parameters = target["EventBridgeParameters"]
            [result] = self.env.events.put_event_entries([{
                "Source": parameters["Source"],
                "DetailType": parameters["DetailType"],
                "Detail": payload,
                "EventBusName": arn,
                "Resources": [schedule_arn],
            }])
            if "ErrorCode" in result:
                raise AWSError(result["ErrorCode"], result.get("ErrorMessage", ""))

    def _dead_letter(
        self, record: ScheduledInvocation, target: dict[str, Any], code: str, message: str, condition: str
    ) -> None:
        queue = (target.get("DeadLetterConfig") or {}).get("Arn")
        if not queue:
            return
        attributes = {
            "SCHEDULE_ARN": record.schedule_arn,
            "TARGET_ARN": record.target_arn,
            "ERROR_CODE": code,
            "ERROR_MESSAGE": message,
            "EXHAUSTED_RETRY_CONDITION": condition,
            "RETRY_ATTEMPTS": str(record.attempt - 1),
        }
        try:
            self.env.sqs.send(
                queue,
                record.payload,
                message_attributes={
                    name: {"DataType": "String", "StringValue": value}
                    for name, value in attributes.items()
                },
            )
        except AWSError:
            return  # the dead-letter queue is gone too: the invocation is dropped
        record.dead_lettered = True


def _input(text: str | None, schedule_arn: str, when: datetime, execution_id: str, attempt: int) -> str:
    payload = text if text is not None else "{}"
    replacements = {
        "<aws.scheduler.schedule-arn>": schedule_arn,
        "<aws.scheduler.scheduled-time>": when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "<aws.scheduler.execution-id>": execution_id,
        "<aws.scheduler.attempt-number>": str(attempt),
    }
    for token, value in replacements.items():
        payload = payload.replace(token, value)
    return payload


def _json_or_text(payload: str) -> Any:
    try:
        return json.loads(payload)
    except ValueError:
        return payload
