"""``rate(...)``, ``cron(...)`` and ``at(...)`` expressions, parsed once.

A rate expression is ``rate(value unit)`` with a positive whole ``value``
and ``minute``/``hour``/``day`` (singular for 1, plural otherwise), as
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
documents. ``at(yyyy-mm-ddThh:mm:ss)`` is EventBridge Scheduler's one-time
schedule, read in the schedule's time zone. A rate fires every period from
an anchor the caller chooses (rule creation, a schedule's start date).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from eventproof_fakes.scheduling.cron import CronExpression
from eventproof_fakes.scheduling.errors import InvalidScheduleExpression

_EXPRESSION = re.compile(r"^(rate|cron|at)\((.*)\)$", re.DOTALL)
_RATE = re.compile(r"^(\d+) (minute|minutes|hour|hours|day|days)$")
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


class ScheduleExpression(Protocol):
    @property
    def text(self) -> str: ...

    def next_after(self, instant: datetime) -> datetime | None:
        """The first firing strictly after ``instant`` (aware), or None when there is none."""


@dataclass(frozen=True)
class RateExpression:
    text: str
    period: timedelta

    def next_after(self, instant: datetime) -> datetime | None:
        """One period after ``instant``: pass the previous firing (or the anchor)."""
        return instant + self.period


@dataclass(frozen=True)
class AtExpression:
    text: str
    when: datetime  # aware, in the schedule's time zone

    def next_after(self, instant: datetime) -> datetime | None:
        return self.when if self.when > instant else None


def zone(name: str | None) -> ZoneInfo:
    """The ``ZoneInfo`` of an IANA name (UTC when None); ``InvalidScheduleExpression`` if unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidScheduleExpression(f"unknown time zone {name!r}") from None


def parse_expression(
    text: str, *, timezone: str | None = None, allow_at: bool = True
) -> ScheduleExpression:
    """Parse ``rate(...)``, ``cron(...)`` or (when ``allow_at``) ``at(...)``."""
    match = _EXPRESSION.match(text.strip())
    if match is None or (match[1] == "at" and not allow_at):
        kinds = "rate(...), cron(...) or at(...)" if allow_at else "rate(...) or cron(...)"
        raise InvalidScheduleExpression(f"{text!r} is not {kinds}")
    kind, body = match[1], match[2].strip()
    if kind == "rate":
        return _rate(text, body)
    if kind == "cron":
        return CronExpression.parse(body, zone(timezone))
    try:
        when = datetime.strptime(body, "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        raise InvalidScheduleExpression(f"{text!r}: at(...) needs yyyy-mm-ddThh:mm:ss") from None
    return AtExpression(text, when.replace(tzinfo=zone(timezone)))


def _rate(text: str, body: str) -> RateExpression:
    match = _RATE.match(body)
    if match is None:
        raise InvalidScheduleExpression(f"{text!r}: rate(...) needs 'value unit'")
    value, unit = int(match[1]), match[2]
    if value <= 0:
        raise InvalidScheduleExpression(f"{text!r}: the rate must be positive")
    singular = unit.rstrip("s")
    if (value == 1) != (unit == singular):
        raise InvalidScheduleExpression(
            f"{text!r}: use {singular!r} for a value of 1 and {singular + 's'!r} otherwise"
        )
    return RateExpression(text, timedelta(seconds=value * _UNIT_SECONDS[singular]))
