"""Run a recursive computation with more stack than the main thread has, once it needs it."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TypeVar

__all__ = ["DEEP_FRAMES", "run_deep"]

T = TypeVar("T")
A = TypeVar("A")

DEEP_FRAMES = 60_000
_STACK_BYTES = 512 * 1024 * 1024  # address space reserved for the thread, touched as used
_lock = threading.Lock()


def run_deep(function: Callable[[A], T], argument: A) -> T | None:
    """``function(argument)`` on a thread with a deep stack; None if even that recursed too deep.

    The recursion limit is process-wide: it is raised only while the thread
    runs (one at a time), and restored after. Exceptions other than
    RecursionError propagate.
    """
    outcome: list[T] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            outcome.append(function(argument))
        except RecursionError:
            pass
        except BaseException as exc:
            failure.append(exc)

    with _lock:
        old_limit, old_stack = sys.getrecursionlimit(), threading.stack_size()
        try:
            threading.stack_size(_STACK_BYTES)
            sys.setrecursionlimit(max(old_limit, DEEP_FRAMES))
            worker = threading.Thread(target=target, name="eventproof-deep")
            worker.start()
            worker.join()
        finally:
            threading.stack_size(old_stack)
            sys.setrecursionlimit(old_limit)
    if failure:
        raise failure[0]
    return outcome[0] if outcome else None
