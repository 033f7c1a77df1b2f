"""The wall clock of the process, following a ``VirtualClock`` (with time-machine).

While active, ``time.time()``, ``time.time_ns()``, ``time.gmtime()``,
``time.localtime()``, ``time.strftime()``, ``datetime.now()`` (naive or with
a time zone), ``datetime.utcnow()``, ``date.today()`` and ``uuid.uuid1()``
read the virtual clock, and move when it moves (``clock.advance`` inside a
handler included). The Lambda fake activates it around every handler call;
``clock.patch_time()`` activates it for a whole block of a test.

Not covered: ``time.monotonic()`` and ``time.perf_counter()`` (they measure
durations, and stay real); C extensions that read the system clock
themselves; other processes. Process-wide: every thread sees the virtual
time while it is active. With freezegun active, the wall clock is left to it. Naive local times use the process's time zone
(Lambda's is UTC).
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

import time_machine

if TYPE_CHECKING:
    from fakes.clock import VirtualClock

__all__ = ["WallTime"]


class WallTime:
    """Re-entrant: nested activations share one time-machine travel."""

    def __init__(self, clock: VirtualClock) -> None:
        self._clock = clock
        self._depth = 0
        self._travel: time_machine.travel | None = None
        self._traveller: time_machine.Traveller | None = None
        self._at = 0.0

    @property
    def active(self) -> bool:
        return self._depth > 0

    def enter(self) -> None:
        if self._depth == 0:
            self._at = self._clock.now()
            travel = time_machine.travel(self._at, tick=False)
            try:
                self._traveller = travel.start()
            except RuntimeError:
                # freezegun is active: the test froze time itself, leave its clock alone.
                self._traveller = None
            else:
                self._travel = travel
                self._clock.on_move = self.sync
        else:
            self.sync()
        self._depth += 1

    def leave(self) -> None:
        self._depth -= 1
        if self._depth == 0 and self._travel is not None:
            self._clock.on_move = None
            self._travel.stop()
            self._travel = self._traveller = None

    def sync(self) -> None:
        """Move the wall clock to the virtual clock's time."""
        now = self._clock.now()
        if now != self._at and self._traveller is not None:
            self._traveller.shift(now - self._at)
            self._at = now

    def __enter__(self) -> WallTime:
        self.enter()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.leave()
