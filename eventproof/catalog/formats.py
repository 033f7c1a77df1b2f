"""The ``format`` checks contracts rely on, with no optional dependencies.

jsonschema checks ``date-time`` only when rfc3339-validator is installed and
treats unknown formats as annotations; we want date-time, date, uuid and
email checked on every machine, so they are written here.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from jsonschema import FormatChecker

__all__ = ["FORMAT_CHECKS", "UUID_PATTERN", "format_checker"]

# Each pattern is used with fullmatch: "$" would also accept a trailing newline.
# RFC 3339 section 5.6: full-date "T" full-time, offset "Z" or +hh:mm; "t"/"z" allowed too.
_DATE_TIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))"
)
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
UUID_PATTERN = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# Deliberately the practical shape (local@domain.tld), not RFC 5322's full grammar.
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def _valid_calendar_date(year: str, month: str, day: str) -> bool:
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def is_date_time(value: str) -> bool:
    match = _DATE_TIME.fullmatch(value)
    if match is None:
        return False
    year, month, day, hour, minute, second = match.groups()[:6]
    if not _valid_calendar_date(year, month, day):
        return False
    offset_hour, offset_minute = match.group(9), match.group(10)
    if offset_hour is not None and (int(offset_hour) > 23 or int(offset_minute) > 59):
        return False
    # Second 60 is a leap second, which RFC 3339 allows.
    return int(hour) <= 23 and int(minute) <= 59 and int(second) <= 60


def is_date(value: str) -> bool:
    match = _DATE.fullmatch(value)
    return match is not None and _valid_calendar_date(*match.groups())


def is_uuid(value: str) -> bool:
    return UUID_PATTERN.fullmatch(value) is not None


def is_email(value: str) -> bool:
    return _EMAIL.fullmatch(value) is not None


FORMAT_CHECKS = {
    "date-time": is_date_time,
    "date": is_date,
    "uuid": is_uuid,
    "email": is_email,
}


def format_checker() -> FormatChecker:
    """jsonschema's checker with our dependency-free date-time, date, uuid and email."""
    checker = FormatChecker()
    for name, check in FORMAT_CHECKS.items():

        def checks(instance: Any, check: Any = check) -> bool:
            # Formats apply to strings only; other types are the `type` keyword's business.
            return not isinstance(instance, str) or bool(check(instance))

        checker.checkers[name] = (checks, ())
    return checker
