"""Virtual time for the fakes: nothing in ``fakes`` reads the wall clock or sleeps.

The clock holds timers. ``advance`` moves time forward and fires every timer
that falls due on the way, each at its own due time, so a retry scheduled
60 s after a failure runs with ``now()`` equal to that instant.

Timers are *foreground* (pending work: a retry, a delayed delivery) or
*background* (housekeeping: TTL expiry, retention). ``FakeAWS.run_until_idle``
jumps the clock only to foreground timers; background ones fire when time
passes them for another reason.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from eventproof_fakes.wall_time import WallTime

DEFAULT_EPOCH = datetime(2026, 1, 1, tzinfo=UTC).timestamp()


@dataclass(order=True)
class Timer:
    due: float
    order: int
    callback: Callable[[], None] = field(compare=False)
    label: str = field(compare=False, default="")
    background: bool = field(compare=False, default=False)
    cancelled: bool = field(compare=False, default=False)

    def cancel(self) -> None:
        self.cancelled = True


class VirtualClock:
    """Seconds since the Unix epoch, moved only by ``advance``."""

    def __init__(self, start: float = DEFAULT_EPOCH) -> None:
        self._now = float(start)
        self._timers: list[Timer] = []
        self._order = itertools.count()
        # Called whenever the time changes; the wall-clock patch keeps time.time() in step.
        self.on_move: Callable[[], None] | None = None
        # The process's wall clock following this one while handlers run (eventproof_fakes.wall_time).
        self.wall = WallTime(self)

    def now(self) -> float:
        return self._now

    def now_millis(self) -> int:
        return round(self._now * 1000)

    def now_datetime(self) -> datetime:
        return datetime.fromtimestamp(self._now, tz=UTC)

    def iso_now(self) -> str:
        """``2026-01-01T00:00:00Z``: the timestamp form AWS puts in events."""
        return self.now_datetime().strftime("%Y-%m-%dT%H:%M:%SZ")

    def call_at(
        self, due: float, callback: Callable[[], None], *, label: str = "", background: bool = False
    ) -> Timer:
        timer = Timer(max(due, self._now), next(self._order), callback, label, background)
        heapq.heappush(self._timers, timer)
        return timer

    def call_later(
        self, delay: float, callback: Callable[[], None], *, label: str = "", background: bool = False
    ) -> Timer:
        return self.call_at(self._now + delay, callback, label=label, background=background)

    def next_due(self, *, include_background: bool = False) -> float | None:
        """When the earliest live timer falls due (foreground only, by default)."""
        self._drop_cancelled()
        if include_background:
            return self._timers[0].due if self._timers else None
        live = [t.due for t in self._timers if not t.cancelled and not t.background]
        return min(live) if live else None

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError(f"the virtual clock only moves forward (asked for {seconds} s)")
        self.advance_to(self._now + seconds)

    def advance_to(self, when: float) -> None:
        """Move to ``when``, firing due timers in order, each at its own instant."""
        while True:
            self._drop_cancelled()
            if not self._timers or self._timers[0].due > when:
                break
            timer = heapq.heappop(self._timers)
            self._now = max(self._now, timer.due)
            if self.on_move is not None:
                self.on_move()
            timer.callback()
        self._now = max(self._now, when)
        if self.on_move is not None:
            self.on_move()

    def run_due(self) -> int:
        """Fire the timers already due now; return how many fired."""
        fired = 0
        while True:
            self._drop_cancelled()
            if not self._timers or self._timers[0].due > self._now:
                return fired
            heapq.heappop(self._timers).callback()
            fired += 1

    def patch_time(self) -> WallTime:
        """``with aws.clock.patch_time():`` the process's wall clock reads this clock in the block."""
        return self.wall

    def pending(self) -> list[Timer]:
        return sorted(t for t in self._timers if not t.cancelled)

    def _drop_cancelled(self) -> None:
        while self._timers and self._timers[0].cancelled:
            heapq.heappop(self._timers)
