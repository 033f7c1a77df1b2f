"""What the environment's lock costs on the fakes' benchmarks (issue 12: goal < 5 %).

Two-tree timings move by ±30 % on the shared machine, far more than the
lock costs, so this measures the lock's share directly, in one process:

1. how many times each benchmark item takes the lock (a counting proxy
   in place of ``FakeAWS.lock``: every ``with``, acquire, and the release
   and re-acquire around each handler);
2. what one round trip of the lock costs, measured now (``timeit``,
   median of repeats, minus an empty loop);
3. the CPU time of one item with the real lock (median of rounds);

and prints, per scenario of ``benchmarks/fakes_vs_moto.py`` (its fakes
side, the internal path and Kinesis -> mapping -> handler), the lock's
share of an item: round trips x cost / item time.

    PYTHONPATH=. python benchmarks/lock_cost.py [--iterations 300] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fakes_vs_moto as bench

from eventproof_fakes import FakeAWS
from eventproof_fakes.locking import DriverSeat, HandlerRuns


class CountingLock:
    """A re-entrant lock that counts its round trips."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.round_trips = 0

    def __enter__(self) -> bool:
        self.round_trips += 1
        return self._lock.__enter__()

    def __exit__(self, *exc: object) -> None:
        self._lock.__exit__(*exc)

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        self.round_trips += 1
        return self._lock.acquire(blocking, timeout)

    def release(self) -> None:
        self._lock.release()

    def _is_owned(self) -> bool:
        return self._lock._is_owned()  # type: ignore[attr-defined,no-any-return]

    def _release_save(self) -> Any:
        self.round_trips += 1
        return self._lock._release_save()  # type: ignore[attr-defined]

    def _acquire_restore(self, state: Any) -> None:
        self._lock._acquire_restore(state)  # type: ignore[attr-defined]


class CountingFakeAWS(FakeAWS):
    locks: list[CountingLock] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lock = CountingLock()
        CountingFakeAWS.locks.append(lock)
        self.lock = lock  # type: ignore[assignment]
        self.drivers = DriverSeat(lock)
        self.handler_runs = HandlerRuns(lock)


def _boto3_item(name: str) -> Callable[[int], float]:
    scenario = bench.SCENARIOS[name]

    def run(iterations: int) -> float:
        clients = bench.fakes_clients()
        state = bench.provision(clients)
        scenario(clients, state, -1)
        started = time.process_time()
        for n in range(iterations):
            scenario(clients, state, n)
        return (time.process_time() - started) / iterations

    return run


def _kinesis_item(iterations: int) -> float:
    started = time.process_time()
    bench.kinesis_to_handler_rate(iterations)
    return (time.process_time() - started) / iterations


SCENARIOS: dict[str, Callable[[int], float]] = {
    **{name: _boto3_item(name) for name in bench.SCENARIOS},
    "internal_path": bench.internal_path,
    "kinesis_to_handler": _kinesis_item,
}


def round_trips_per_item(run: Callable[[int], float], iterations: int) -> float:
    """Lock round trips per item: the difference between two run lengths (setup cancels out)."""
    counts = []
    original = bench.FakeAWS
    bench.FakeAWS = CountingFakeAWS  # type: ignore[misc]
    try:
        for length in (iterations, 2 * iterations):
            CountingFakeAWS.locks = []
            run(length)
            counts.append(sum(lock.round_trips for lock in CountingFakeAWS.locks))
    finally:
        bench.FakeAWS = original  # type: ignore[misc]
    return (counts[1] - counts[0]) / iterations


def lock_round_trip_seconds() -> float:
    """One ``with lock:`` on an uncontended re-entrant lock, minus the loop's own cost."""
    lock = threading.RLock()
    number = 200_000
    with_lock = statistics.median(
        timeit.repeat("with lock: pass", globals={"lock": lock}, number=number, repeat=7)
    )
    empty = statistics.median(timeit.repeat("pass", number=number, repeat=7))
    return (with_lock - empty) / number


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"{'scenario':<20}{'locks/item':>11}{'us/item':>10}{'lock ns':>9}{'share':>8}")
    for name, run in SCENARIOS.items():
        trips = round_trips_per_item(run, args.iterations)
        item = statistics.median(run(args.iterations) for _ in range(args.rounds))
        cost = lock_round_trip_seconds()
        print(
            f"{name:<20}{trips:>11.1f}{item * 1e6:>10.1f}{cost * 1e9:>9.0f}"
            f"{trips * cost / item:>8.2%}"
        )


if __name__ == "__main__":
    main()
