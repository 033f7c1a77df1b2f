"""Threads and one environment: its lock, the driver's seat, and letting a handler's threads in.

Handlers start threads (a thread pool calling boto3 in parallel is common),
and tests drive an environment from several threads. ``FakeAWS.lock`` (a
re-entrant lock) makes each AWS call atomic; ``run_until_idle`` holds it
while it moves messages, and takes ``FakeAWS.drivers`` so that one thread
drives at a time.

A handler runs with the lock released (``handing_over``/``taking_back``
around the call, in ``fakes.lambda_.runtime``): the threads it starts, and
every other thread, may call the fakes meanwhile, so a handler that waits
for its own threads' boto3 calls never deadlocks, and a synchronous Invoke
from inside an operation neither. What the handler's caller was doing
resumes atomically once it has the lock back.

Simplified (documented in ``fakes.lambda_.sandbox``): a handler's execution
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

__all__ = ["DriverSeat", "handing_over", "taking_back"]


def handing_over(lock: Any) -> Any:
    """Release ``lock`` entirely (however deep) if this thread holds it; for ``taking_back``.

    ``threading.Condition`` waits this way on a re-entrant lock: its
    ``_release_save``/``_acquire_restore`` pair keeps the recursion depth.
    """
    if lock._is_owned():
        return lock._release_save()
    return None


def taking_back(lock: Any, state: Any) -> None:
    """Undo ``handing_over``: wait for the lock and hold it as deep as before."""
    if state is not None:
        lock._acquire_restore(state)


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

    def __enter__(self) -> DriverSeat:
        self._lock.acquire()
        me = get_ident()
        driver = self._driver
        if driver is not None and driver != me:
            try:
                while self._driver is not None:
                    self._free.wait()
            except BaseException:
                self._lock.release()
                raise
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
            self._free.notify_all()
        self._lock.release()
