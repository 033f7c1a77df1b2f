"""AWS's six-field cron: ``cron(minutes hours day-of-month month day-of-week year)``.

As https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
and https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html document:
minutes 0-59, hours 0-23, day-of-month 1-31 (``? L W``), month 1-12 or
JAN-DEC, day-of-week 1-7 or SUN-SAT with 1 = Sunday (``? L #``), year
1970-2199; ``, - * /`` everywhere. One of day-of-month and day-of-week
must be ``?``. Precision is one minute.

Time zones (Scheduler's ``ScheduleExpressionTimezone``) are evaluated with
``zoneinfo`` on wall-clock time. Simplification: a wall-clock time that does
not exist (skipped by a daylight-saving jump forward) does not fire, and an
ambiguous one (repeated when clocks go back) fires once, at its first
occurrence.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from eventproof_fakes.scheduling.errors import InvalidScheduleExpression

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), start=1
    )
}
_DAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
_BOUNDS = {
    "minutes": (0, 59),
    "hours": (0, 23),
    "day-of-month": (1, 31),
    "month": (1, 12),
    "day-of-week": (1, 7),
    "year": (1970, 2199),
}

DayTest = Callable[[date], bool]


def _aws_weekday(day: date) -> int:
    """1 = Sunday ... 7 = Saturday, as AWS's day-of-week field counts."""
    return (day.weekday() + 1) % 7 + 1


def _last_day(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def _number(token: str, field: str, names: dict[str, int] | None = None) -> int:
    if names and token.upper() in names:
        return names[token.upper()]
    if not token.isdigit():
        raise InvalidScheduleExpression(f"{token!r} is not a valid {field} value")
    value = int(token)
    low, high = _BOUNDS[field]
    if not low <= value <= high:
        raise InvalidScheduleExpression(f"{field} value {value} is outside {low}-{high}")
    return value


def _values(text: str, field: str, names: dict[str, int] | None = None) -> set[int]:
    """A field of ``, - * /`` into the set of values it names."""
    low, high = _BOUNDS[field]
    values: set[int] = set()
    for part in text.split(","):
        base, slash, step_text = part.partition("/")
        step = 1
        if slash:
            if not step_text.isdigit() or int(step_text) == 0:
                raise InvalidScheduleExpression(f"{part!r}: the increment of {field} must be a positive number")
            step = int(step_text)
        if base == "*":
            start, end = low, high
        elif "-" in base:
            first, _, last = base.partition("-")
            start, end = _number(first, field, names), _number(last, field, names)
            if end < start:
                raise InvalidScheduleExpression(f"{part!r}: the range of {field} runs backwards")
        else:
            start = _number(base, field, names)
            end = high if slash else start
        values.update(range(start, end + 1, step))
    return values


def _day_of_month_test(text: str) -> DayTest:
    if text == "L":
        return lambda day: day.day == _last_day(day)
    if text in ("LW", "WL"):
        return lambda day: day.weekday() < 5 and _nearest_weekday(day, _last_day(day)) == day.day
    if text.endswith("W"):
        target = _number(text[:-1], "day-of-month")
        return lambda day: day.weekday() < 5 and _nearest_weekday(day, target) == day.day
    days = _values(text, "day-of-month")
    return lambda day: day.day in days


def _nearest_weekday(day: date, target: int) -> int | None:
    """The day of ``day``'s month that is the weekday nearest ``target``, within the month."""
    last = _last_day(day)
    if target > last:
        return None
    weekday = date(day.year, day.month, target).weekday()
    if weekday == 5:  # Saturday: the Friday before, unless that leaves the month
        return target - 1 if target > 1 else target + 2
    if weekday == 6:  # Sunday: the Monday after, unless that leaves the month
        return target + 1 if target < last else target - 2
    return target


def _day_of_week_test(text: str) -> DayTest:
    if text == "L":
        return lambda day: _aws_weekday(day) == 7
    if "#" in text:
        weekday_text, _, nth_text = text.partition("#")
        weekday = _number(weekday_text, "day-of-week", _DAYS)
        if not nth_text.isdigit() or not 1 <= int(nth_text) <= 5:
            raise InvalidScheduleExpression(f"{text!r}: the instance after # must be 1-5")
        nth = int(nth_text)
        return lambda day: _aws_weekday(day) == weekday and (day.day - 1) // 7 + 1 == nth
    if text.endswith("L"):
        weekday = _number(text[:-1], "day-of-week", _DAYS)
        return lambda day: _aws_weekday(day) == weekday and day.day + 7 > _last_day(day)
    days = _values(text, "day-of-week", _DAYS)
    return lambda day: _aws_weekday(day) in days


@dataclass(frozen=True)
class CronExpression:
    """A parsed AWS cron expression in one time zone."""

    text: str
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    months: tuple[int, ...]
    years: tuple[int, ...]
    day_test: DayTest
    timezone: ZoneInfo

    @classmethod
    def parse(cls, fields_text: str, timezone: ZoneInfo) -> CronExpression:
        fields = fields_text.split()
        if len(fields) != 6:
            raise InvalidScheduleExpression(f"cron needs 6 fields, got {len(fields)}")
        minutes, hours, day_of_month, month, day_of_week, year = fields
        if (day_of_month == "?") == (day_of_week == "?"):
            raise InvalidScheduleExpression(
                "exactly one of day-of-month and day-of-week must be '?'"
            )
        day_test = (
            _day_of_week_test(day_of_week) if day_of_month == "?" else _day_of_month_test(day_of_month)
        )
        return cls(
            f"cron({fields_text})",
            tuple(sorted(_values(minutes, "minutes"))),
            tuple(sorted(_values(hours, "hours"))),
            tuple(sorted(_values(month, "month", _MONTHS))),
            tuple(sorted(_values(year, "year"))),
            day_test,
            timezone,
        )

    def next_after(self, instant: datetime) -> datetime | None:
        """The first firing strictly after ``instant`` (a UTC datetime), or None."""
        local = instant.astimezone(self.timezone).replace(second=0, microsecond=0, tzinfo=None)
        start = local + timedelta(minutes=1)
        for year in self.years:
            if year < start.year:
                continue
            for month in self.months:
                if (year, month) < (start.year, start.month):
                    continue
                first_day = start.day if (year, month) == (start.year, start.month) else 1
                for day_number in range(first_day, calendar.monthrange(year, month)[1] + 1):
                    day = date(year, month, day_number)
                    if not self.day_test(day):
                        continue
                    found = self._first_time_on(day, start, instant)
                    if found is not None:
                        return found
        return None

    def _first_time_on(self, day: date, start: datetime, instant: datetime) -> datetime | None:
        same_day = day == start.date()
        for hour in self.hours:
            if same_day and hour < start.hour:
                continue
            for minute in self.minutes:
                if same_day and hour == start.hour and minute < start.minute:
                    continue
                wall = datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.timezone)
                as_utc = wall.astimezone(UTC)
                if as_utc.astimezone(self.timezone).replace(tzinfo=None) != wall.replace(tzinfo=None):
                    continue  # skipped by a daylight-saving jump
                if as_utc > instant:
                    return as_utc
        return None
