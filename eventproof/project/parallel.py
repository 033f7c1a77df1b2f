"""Running verify's units of work: one after the other, or over ``-n N|auto`` processes.

A unit (``Job``) is one check of one handler, one feature file, the catalog
row, the compat step or one consumer's expectations; it yields one or more
result rows. Units are independent (each property stands its own system up
on its own seeded ``FakeAWS``; hypothesis is seeded per test), so running them
in parallel gives the same rows and verdicts as a serial run: results are
put back in the plan's order whatever order they finish in.

Workers are forked from the verifying process, so they share the opened
project (catalog, translated template) without opening it again; ``-n``
needs a platform that can fork (Linux, macOS).
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, Protocol

from eventproof.errors import ConfigError

__all__ = ["Job", "Progress", "parse_workers", "run_jobs"]

Execute = Callable[["Job"], list[Any]]
_execute: list[Execute] = []  # what forked workers run (inherited, never pickled)


@dataclass(frozen=True)
class Job:
    """One unit of work; ``id`` is stable across runs (durations and shards go by it)."""

    id: str
    kind: str  # "catalog", "check", "feature", "compat", "expectations"
    handler: str
    check: str
    path: str = ""  # a feature file

    @property
    def label(self) -> str:
        return f"{self.handler} / {self.check}" if self.check else self.handler


class Progress(Protocol):
    def planned(self, jobs: Sequence[Job]) -> None: ...

    def started(self, job: Job) -> None: ...

    def finished(self, job: Job, results: list[Any], seconds: float) -> None: ...


def parse_workers(text: str) -> int:
    """``auto`` (one per core) or a count >= 1; ``0`` means in this process, as ``1`` does."""
    if text == "auto":
        return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                   else os.cpu_count() or 1)
    if not text.isdigit():
        raise ConfigError(f"-n {text}: expected a number of processes or auto")
    return max(1, int(text))


def run_jobs(jobs: Sequence[Job], execute: Execute, *, workers: int = 1,
             progress: Progress | None = None) -> list[tuple[Job, list[Any], float]]:
    """Each job's results and wall time, in the order of ``jobs``."""
    if progress is not None:
        progress.planned(jobs)
    if workers <= 1 or len(jobs) <= 1:
        done = []
        for job in jobs:
            if progress is not None:
                progress.started(job)
            started = time.perf_counter()
            results = execute(job)
            seconds = time.perf_counter() - started
            if progress is not None:
                progress.finished(job, results, seconds)
            done.append((job, results, seconds))
        return done
    return _in_processes(jobs, execute, min(workers, len(jobs)), progress)


def _in_processes(jobs: Sequence[Job], execute: Execute, workers: int,
                  progress: Progress | None) -> list[tuple[Job, list[Any], float]]:
    if "fork" not in multiprocessing.get_all_start_methods():
        raise ConfigError("-n needs a platform that can fork processes (Linux, macOS)",
                          hint="run without -n, or split the work with --shard K/N")
    _execute.append(execute)
    finished: dict[int, tuple[Job, list[Any], float]] = {}
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            pending: dict[Future[tuple[list[Any], float]], int] = {}
            # No "started": which queued job a worker takes next is not known here.
            for index, job in enumerate(jobs):
                pending[pool.submit(_run, job)] = index
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    index = pending.pop(future)
                    results, seconds = future.result()
                    finished[index] = (jobs[index], results, seconds)
                    if progress is not None:
                        progress.finished(jobs[index], results, seconds)
    finally:
        _execute.pop()
    return [finished[index] for index in range(len(jobs))]


def _run(job: Job) -> tuple[list[Any], float]:
    started = time.perf_counter()
    results = _execute[-1](job)
    return results, time.perf_counter() - started
