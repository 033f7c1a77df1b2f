"""The process's wall clock follows the virtual clock inside handlers and ``patch_time``."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from eventproof_fakes import FakeAWS
from eventproof_fakes.clock import DEFAULT_EPOCH


def wall_readings() -> dict[str, Any]:
    return {
        "time": time.time(),
        "now_utc": datetime.now(UTC),
        "now_naive": datetime.now(),
        "today": date.today(),
        "gmtime": time.gmtime()[:6],
    }


def test_a_handler_reads_the_virtual_clock_and_sees_an_hour_pass() -> None:
    aws = FakeAWS()
    seen: list[dict[str, Any]] = []
    aws.lambda_.register("stamp", lambda event, context: seen.append(wall_readings()))
    aws.lambda_.invoke_sync("stamp", {})
    aws.clock.advance(3600)
    aws.lambda_.invoke_sync("stamp", {})
    first, second = seen
    assert first["time"] == DEFAULT_EPOCH
    assert first["now_utc"] == datetime(2026, 1, 1, tzinfo=UTC)
    assert second["time"] - first["time"] == 3600
    assert second["now_utc"] - first["now_utc"] == timedelta(hours=1)
    assert second["now_naive"] - first["now_naive"] == timedelta(hours=1)
    assert first["today"] == date(2026, 1, 1) and first["gmtime"] == (2026, 1, 1, 0, 0, 0)
    assert time.time() > DEFAULT_EPOCH + 10**7  # the test's own clock is real again


def test_a_retry_driven_by_run_until_idle_runs_at_its_virtual_instant() -> None:
    aws = FakeAWS()
    stamps: list[float] = []

    def flaky(event: Any, context: Any) -> None:
        stamps.append(time.time())
        if len(stamps) == 1:
            raise ValueError("first try fails")

    aws.lambda_.register("flaky", flaky)
    aws.lambda_.invoke_async("flaky", {})
    aws.run_until_idle()
    assert [s - DEFAULT_EPOCH for s in stamps] == [0, 60]  # async retry after a minute
    assert time.time() > DEFAULT_EPOCH + 10**7  # the run is over: the wall clock is real again


def test_a_handler_advancing_the_clock_sees_the_new_time_at_once() -> None:
    aws = FakeAWS()
    readings: list[float] = []

    def slow(event: Any, context: Any) -> None:
        readings.append(time.time())
        aws.clock.advance(2)
        readings.append(time.time())

    aws.lambda_.register("slow", slow, timeout=10)
    aws.lambda_.invoke_sync("slow", {})
    assert readings[1] - readings[0] == 2


def test_patch_time_covers_a_whole_block_and_follows_the_clock() -> None:
    aws = FakeAWS()
    with aws.clock.patch_time():
        assert time.time() == DEFAULT_EPOCH
        aws.clock.advance(90)
        assert datetime.now(UTC) == datetime(2026, 1, 1, 0, 1, 30, tzinfo=UTC)
        uuid.uuid1()  # uuid1's clock is the patched one, without failing
        aws.lambda_.register("inner", lambda e, c: time.time())
        assert aws.lambda_.invoke_sync("inner", {}).payload == DEFAULT_EPOCH + 90
        assert time.time() == DEFAULT_EPOCH + 90  # still patched after the nested handler
    assert time.time() > DEFAULT_EPOCH + 10**7


def test_monotonic_clocks_stay_real_inside_handlers() -> None:
    aws = FakeAWS()
    aws.lambda_.register("mono", lambda e, c: [time.monotonic(), time.perf_counter()])
    before = time.monotonic()
    inside = aws.lambda_.invoke_sync("mono", {}).payload
    assert inside[0] >= before
