"""AWS schedule expressions: six-field cron with ? L W #, rate, at, and time zones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from eventproof_fakes.scheduling import InvalidScheduleExpression, parse_expression

JAN_1 = datetime(2026, 1, 1, tzinfo=UTC)  # a Thursday


def firings(expression: str, count: int, start: datetime = JAN_1, timezone: str | None = None) -> list[datetime]:
    parsed = parse_expression(expression, timezone=timezone)
    found, instant = [], start
    for _ in range(count):
        following = parsed.next_after(instant)
        if following is None:
            break
        found.append(following.astimezone(UTC))
        instant = following
    return found


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("cron(0 12 * * ? *)", [at(2026, 1, 1, 12), at(2026, 1, 2, 12)]),
        ("cron(0/20 * * * ? *)", [at(2026, 1, 1, 0, 20), at(2026, 1, 1, 0, 40)]),
        ("cron(15 10 ? * 6L 2026)", [at(2026, 1, 30, 10, 15), at(2026, 2, 27, 10, 15)]),  # last Friday
        ("cron(0 9 ? * 3#2 *)", [at(2026, 1, 13, 9), at(2026, 2, 10, 9)]),  # second Tuesday
        ("cron(0 9 L * ? *)", [at(2026, 1, 31, 9), at(2026, 2, 28, 9)]),
        ("cron(0 9 15W * ? *)", [at(2026, 1, 15, 9), at(2026, 2, 16, 9)]),  # 15 Feb is a Sunday
        ("cron(0 9 1W * ? *)", [at(2026, 1, 1, 9), at(2026, 2, 2, 9)]),  # 1 Feb is a Sunday: Monday 2nd
        ("cron(0 18 ? * MON-FRI *)", [at(2026, 1, 1, 18), at(2026, 1, 2, 18), at(2026, 1, 5, 18)]),
        ("cron(0 0 1 JAN,JUL ? *)", [at(2026, 7, 1), at(2027, 1, 1)]),
        ("rate(1 day)", [at(2026, 1, 2), at(2026, 1, 3)]),
        ("rate(90 minutes)", [at(2026, 1, 1, 1, 30), at(2026, 1, 1, 3)]),
    ],
)
def test_expressions_fire_when_aws_documents(expression: str, expected: list[datetime]) -> None:
    assert firings(expression, len(expected)) == expected


def test_a_year_field_ends_the_schedule() -> None:
    assert firings("cron(0 0 1 1 ? 2027)", 3) == [at(2027, 1, 1)]


def test_cron_runs_on_wall_clock_time_in_its_time_zone() -> None:
    # 08:00 in New York is 13:00 UTC in winter and 12:00 UTC after 8 March 2026.
    march = firings("cron(0 8 * * ? *)", 3, start=at(2026, 3, 7, 14), timezone="America/New_York")
    assert march == [at(2026, 3, 8, 12), at(2026, 3, 9, 12), at(2026, 3, 10, 12)]


def test_a_wall_clock_time_skipped_by_daylight_saving_does_not_fire() -> None:
    # 02:30 does not exist in New York on 8 March 2026.
    found = firings("cron(30 2 * * ? *)", 2, start=at(2026, 3, 7, 12), timezone="America/New_York")
    assert found == [at(2026, 3, 9, 6, 30), at(2026, 3, 10, 6, 30)]


def test_an_at_expression_fires_once_in_its_time_zone() -> None:
    assert firings("at(2026-01-05T10:00:00)", 2, timezone="Europe/Paris") == [at(2026, 1, 5, 9)]
    assert firings("at(2025-12-31T10:00:00)", 1) == []


@pytest.mark.parametrize(
    "expression",
    [
        "rate(1 minutes)", "rate(5 minute)", "rate(0 minutes)", "rate(1 week)", "cron(0 12 * * * *)",
        "cron(0 12 ? * ? *)", "cron(0 12 * *)", "cron(60 * * * ? *)", "cron(0 24 * * ? *)",
        "cron(0 0 ? * 8 *)", "cron(0 0 ? * 2#6 *)", "cron(0 0 1 13 ? *)", "cron(0 0 1 1 ? 1969)",
        "cron(5-1 * * * ? *)", "at(2026-01-01)", "every 5 minutes",
    ],
)
def test_malformed_expressions_are_refused(expression: str) -> None:
    with pytest.raises(InvalidScheduleExpression):
        parse_expression(expression)


def test_an_unknown_time_zone_is_refused() -> None:
    with pytest.raises(InvalidScheduleExpression, match="Mars/Olympus"):
        parse_expression("cron(0 0 * * ? *)", timezone="Mars/Olympus")


def test_next_after_is_strictly_after() -> None:
    parsed = parse_expression("cron(0 12 * * ? *)")
    noon = at(2026, 1, 1, 12)
    assert parsed.next_after(noon) == noon + timedelta(days=1)
