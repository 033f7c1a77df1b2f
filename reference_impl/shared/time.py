"""Time is injected: the system clock on AWS, the fakes' virtual clock in tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

# Seconds since the epoch, like ``time.time``.
Clock = Callable[[], float]


def system_clock() -> float:
    return time.time()


def iso(seconds: float) -> str:
    """An RFC 3339 UTC timestamp with milliseconds: ``2026-01-15T10:00:00.000Z``."""
    moment = datetime.fromtimestamp(seconds, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def epoch_millis(seconds: float) -> int:
    return round(seconds * 1000)
