"""Threads and one environment: its lock, the driver's seat, and letting a handler's threads in.

Handlers start threads (a thread pool calling boto3 in parallel is common),
and tests drive an environment from several threads. ``FakeAWS.lock`` (a
re-entrant lock) makes each AWS call atomic; ``run_until_idle`` holds it
while it moves messages, and takes ``FakeAWS.drivers`` so that one thread
drives at a time.

A handler runs with the lock released (``HandlerRuns.hand_over``/``take_back``
around the call, in ``eventproof_fakes.lambda_.runtime``): the threads it starts, and
every other thread, may call the fakes meanwhile, so a handler that waits
for its own threads' boto3 calls never deadlocks, and a synchronous Invoke
from inside an operation neither. What the handler's caller was doing
resumes atomically once it has the lock back. The thread driving
``run_until_idle`` moves the virtual clock only when no other thread's
handler is running (it waits for them, up to ``OTHER_HANDLERS_WAIT``
seconds of wall time each time): a handler runs in zero virtual time, so a
jump meanwhile would time it out or expire its messages' visibility.

Simplified (documented in ``eventproof_fakes.lambda_.sandbox``): a handler's execution
environment (``os.environ``, modules, output capture) is process-wide, so
two handlers running at once in two threads (two test threads invoking
functions directly) see each other's. Code that calls a fake's Python API
(``aws.sqs.send(...)``, ``aws.clock.advance``) from several threads takes
``with aws.lock:`` itself. A handler's thread that calls ``run_until_idle``
while the handler waits for it would wait forever: only the thread driving
may drive.
"""

from __future__ import annotations

import threading
from threading import get_ident
from types import TracebackType
from typing import Any

__all__ = ["OTHER_HANDLERS_WAIT", "DriverSeat", "HandlerRuns"]

# Wall-clock seconds the driver waits for other threads' handlers before moving the clock
# anyway: a handler that itself waits for the drive must not hang the run.
OTHER_HANDLERS_WAIT = 1.0


class HandlerRuns:
    """Handlers running with the environment's lock released, counted by thread."""

    def __init__(self, lock: Any) -> None:
        self._lock = lock
        self._idle = threading.Condition(lock)
        self._running: dict[int, int] = {}
        self._waiters = 0

    def hand_over(self) -> Any:
        """Release the lock entirely (however deep) if this thread holds it; for ``take_back``.

        ``threading.Condition`` waits this way on a re-entrant lock: its
        ``_release_save``/``_acquire_restore`` pair keeps the recursion depth.
        """
        lock = self._lock
        if not lock._is_owned():
            return None  # a direct call of the Python API, outside any operation
        me = get_ident()
        running = self._running
        running[me] = running.get(me, 0) + 1
        return lock._release_save()

    def take_back(self, state: Any) -> None:
        """Undo ``hand_over``: wait for the lock and hold it as deep as before."""
        if state is None:
            return
        self._lock._acquire_restore(state)
        me = get_ident()
        running = self._running
        left = running[me] - 1
        if left:
            running[me] = left
        else:
            del running[me]
            if self._waiters:
                self._idle.notify_all()

    def wait_for_other_threads(self) -> bool:
        """With the lock held: wait (released) while another thread runs a handler.

        True if it waited and they ended (what they did may have made work
        ready); False if none was running, or after ``OTHER_HANDLERS_WAIT``.
        """
        me = get_ident()
        waited = False
        while any(thread != me for thread in self._running):
            self._waiters += 1
            try:
                if not self._idle.wait(OTHER_HANDLERS_WAIT):
                    return False
            finally:
                self._waiters -= 1
            waited = True
        return waited


class DriverSeat:
    """Who drives ``run_until_idle``: one thread at a time, re-entrant for that thread.

    Entering takes the environment's lock (and waits, lock released, while
    another thread drives); leaving frees the seat and releases the lock.
    """

    def __init__(self, lock: Any) -> None:
        self._lock = lock
        self._free = threading.Condition(lock)
        self._driver: int | None = None
        self._depth = 0
        self._waiting = 0  # threads waiting for the seat

    def __enter__(self) -> DriverSeat:
        self._lock.acquire()
        me = get_ident()
        driver = self._driver
        if driver is not None and driver != me:
            self._waiting += 1
            try:
                while self._driver is not None:
                    self._free.wait()
            except BaseException:
                self._waiting -= 1
                self._lock.release()
                raise
            self._waiting -= 1
        self._driver = me
        self._depth += 1
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if not self._depth:
            self._driver = None
            if self._waiting:
                self._free.notify_all()
        self._lock.release()
