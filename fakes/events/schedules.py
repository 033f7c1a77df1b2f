"""Schedule rules (``put_rule(ScheduleExpression=...)``) firing on the virtual clock.

https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html:
``rate(...)`` and ``cron(...)`` (UTC, six fields), on the default bus only.
At each firing an enabled rule hands its targets the documented
scheduled event, through the same delivery (input transforms, retries,
dead-letter queues) as pattern rules::

    {"version": "0", "id": ..., "detail-type": "Scheduled Event",
     "source": "aws.events", "account": ..., "time": <firing time>,
     "region": ..., "resources": [<rule ARN>], "detail": {}}

Timers are background timers (``eventproof_fakes.clock``): ``run_until_idle`` does
not chase a schedule that never ends; rules fire when time passes them.
Simplified: a rate rule fires first one period after it is created,
enabled or changed; firings are on the minute (AWS: within it).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from eventproof_fakes.clock import Timer
from eventproof_fakes.errors import AWSError
from eventproof_fakes.events.model import Rule
from eventproof_fakes.scheduling import InvalidScheduleExpression, parse_expression

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

__all__ = ["RuleSchedules", "scheduled_event"]

DEFAULT_BUS = "default"


def scheduled_event(env: FakeAWS, rule: Rule) -> dict[str, object]:
    """The event EventBridge sends a scheduled rule's targets, at the current virtual time."""
    return {
        "version": "0",
        "id": env.ids.uuid(),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": env.account_id,
        "time": env.clock.iso_now(),
        "region": env.region,
        "resources": [rule.arn],
        "detail": {},
    }


class RuleSchedules:
    """Arms one background timer per enabled schedule rule."""

    def __init__(self, env: FakeAWS) -> None:
        self.env = env
        self._timers: dict[str, Timer] = {}

    @staticmethod
    def check(expression: str | None, bus_name: str) -> None:
        """AWS's ValidationException for an expression it would refuse."""
        if expression is None:
            return
        if bus_name != DEFAULT_BUS:
            raise AWSError(
                "ValidationException", "ScheduleExpression is supported only on the default event bus."
            )
        try:
            parse_expression(expression, allow_at=False)
        except InvalidScheduleExpression:
            raise AWSError("ValidationException", "Parameter ScheduleExpression is not valid.") from None

    def arm(self, rule: Rule) -> None:
        """(Re)start the rule's schedule from now; stop it if disabled or no longer scheduled."""
        self.disarm(rule)
        if rule.state != "ENABLED" or rule.schedule_expression is None:
            return
        expression = parse_expression(rule.schedule_expression, allow_at=False)
        self._set(rule, expression.next_after(self.env.clock.now_datetime()))

    def disarm(self, rule: Rule) -> None:
        timer = self._timers.pop(rule.arn, None)
        if timer is not None:
            timer.cancel()

    def _set(self, rule: Rule, when: datetime | None) -> None:
        if when is None:
            return
        self._timers[rule.arn] = self.env.clock.call_at(
            when.timestamp(),
            lambda: self._fire(rule, when),
            label=f"events schedule rule {rule.name}",
            background=True,
        )

    def _fire(self, rule: Rule, when: datetime) -> None:
        self._timers.pop(rule.arn, None)
        if rule.state != "ENABLED" or rule.schedule_expression is None:
            return
        events = self.env.events
        if events.buses.get(rule.bus_name) is None or rule.name not in events.buses[rule.bus_name].rules:
            return
        events.dispatcher.dispatch(rule, scheduled_event(self.env, rule), 0)
        expression = parse_expression(rule.schedule_expression, allow_at=False)
        self._set(rule, expression.next_after(when))
