from __future__ import annotations

import pytest

from eventproof_fakes.clock import DEFAULT_EPOCH, VirtualClock


def test_time_starts_at_a_fixed_epoch_so_runs_reproduce() -> None:
    assert VirtualClock().now() == DEFAULT_EPOCH
    assert VirtualClock().iso_now() == "2026-01-01T00:00:00Z"


def test_advancing_fires_due_timers_in_order_each_at_its_own_instant() -> None:
    clock = VirtualClock(start=0)
    fired: list[tuple[str, float]] = []
    clock.call_at(20, lambda: fired.append(("b", clock.now())))
    clock.call_at(10, lambda: fired.append(("a", clock.now())))
    clock.call_at(99, lambda: fired.append(("late", clock.now())))
    clock.advance(30)
    assert fired == [("a", 10), ("b", 20)]
    assert clock.now() == 30


def test_a_timer_scheduled_by_a_timer_fires_within_the_same_advance() -> None:
    clock = VirtualClock(start=0)
    fired: list[float] = []
    clock.call_at(5, lambda: clock.call_later(5, lambda: fired.append(clock.now())))
    clock.advance(10)
    assert fired == [10]


def test_cancelled_timers_never_fire() -> None:
    clock = VirtualClock(start=0)
    fired: list[int] = []
    timer = clock.call_later(1, lambda: fired.append(1))
    timer.cancel()
    clock.advance(5)
    assert fired == []
    assert clock.next_due() is None


def test_next_due_ignores_background_timers_unless_asked() -> None:
    clock = VirtualClock(start=0)
    clock.call_at(50, lambda: None, background=True)
    clock.call_at(70, lambda: None)
    assert clock.next_due() == 70
    assert clock.next_due(include_background=True) == 50


def test_the_clock_never_moves_backwards() -> None:
    clock = VirtualClock(start=100)
    with pytest.raises(ValueError, match="only moves forward"):
        clock.advance(-1)
    clock.advance_to(50)
    assert clock.now() == 100


def test_timers_due_in_the_past_fire_at_now() -> None:
    clock = VirtualClock(start=100)
    seen: list[float] = []
    clock.call_at(10, lambda: seen.append(clock.now()))
    assert clock.run_due() == 1
    assert seen == [100]
