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
    from eventproof_fakes.clock import VirtualClock

__all__ = ["WallTime"]


class WallTime:
    """Re-entrant: nested activations share one time-machine travel.

    ``hold``/``release`` bracket a run of the fakes (``run_until_idle``): the
    travel started by the run's first handler stays on until the run ends,
    rather than being started and stopped around every handler (~2 µs each).
    """

    def __init__(self, clock: VirtualClock) -> None:
        self._clock = clock
        self._depth = 0
        self._holds = 0
        self._parked = False  # travelling with no activation, kept for the rest of the run
        self._origin = clock.now()  # where every start of the reused travel lands
        self._travel = time_machine.travel(self._origin, tick=False)
        self._traveller: time_machine.Traveller | None = None
        self._at = 0.0

    @property
    def active(self) -> bool:
        return self._depth > 0

    @property
    def held(self) -> bool:
        """Inside a run of the fakes (``run_until_idle``)."""
        return self._holds > 0

    def enter(self) -> None:
        if self._depth or self._parked:
            if self._clock.now() != self._at:
                self.sync()
        else:
            self._start()
        self._depth += 1

    def leave(self) -> None:
        self._depth -= 1
        if not self._depth:
            if self._holds:
                self._parked = True
            elif self._traveller is not None:
                self._clock.on_move = None
                self._traveller = None
                self._travel.stop()

    def hold(self) -> None:
        self._holds += 1

    def release(self) -> None:
        self._holds -= 1
        if self._parked and not self._holds:
            self._parked = False
            if not self._depth and self._traveller is not None:
                self._clock.on_move = None
                self._traveller = None
                self._travel.stop()

    def sync(self) -> None:
        """Move the wall clock to the virtual clock's time."""
        now = self._clock.now()
        if now != self._at and self._traveller is not None:
            self._traveller.shift(now - self._at)
            self._at = now

    def _start(self) -> None:
        try:
            self._traveller = self._travel.start()
        except RuntimeError:
            # freezegun is active: the test froze time itself, leave its clock alone.
            self._traveller = None
            return
        self._at = self._origin
        now = self._clock.now()
        if now != self._at:
            self._traveller.shift(now - self._at)
            self._at = now
        self._clock.on_move = self.sync

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
