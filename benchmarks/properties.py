"""Properties on the reference payment consumer: examples per second against generation alone.

Measured in one process, in alternating rounds (medians reported), as CPU
time of the process (``time.process_time``: the machine is shared, and wall
time moves with other work's load):

- the floor: hypothesis drawing the same ``ProcessPayment`` messages with
  the same settings and an empty test body;
- ``assert_idempotent`` on the reference payment processor via SQS
  (every example is two system runs: once, then k copies);
- ``assert_survives_crashes`` on the CDC outbox's writer (AddBook, async;
  the payment processor announces at least once, so it does not survive a
  crash after PutEvents by design): milliseconds per crash point (one run
  crashed at the handler's n-th AWS call, before or after it takes effect,
  then AWS's retry);
- both again with the bench rebuilding the system for every run (reset +
  provision + wiring, as before snapshots), the "before" of the same run.

Goal (issue 14): ``assert_idempotent`` >= 400 examples/s on 2 cores (3x the
125/s of before), crash survival no slower per crash point.

    .venv/bin/python benchmarks/properties.py [--examples N] [--rounds R] [--profile FILE]
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings

from eventproof.catalog import Catalog
from eventproof.errors import ConfigError
from eventproof.properties import Projection, assert_idempotent, assert_survives_crashes
from eventproof.properties.system import Bench, Delivery
from eventproof.properties.triggers import Trigger
from eventproof.strategies import from_contract
from tests.properties import reference_systems as systems

ROOT = Path(__file__).resolve().parents[1]
# The same examples in every round and mode (no example database, a fixed seed): the modes
# differ only in how the bench stands the system up.
settings.register_profile("benchmark", derandomize=True, database=None)
settings.load_profile("benchmark")
SYSTEM = systems.PAYMENT_PROCESSOR
# The payment processor announces at least once (a crash between PutEvents and marking the
# charge announced repeats the event), so crash survival runs on the CDC outbox's writer, as
# tests/properties does: its retry runs a minute later, so its dedup record's TTL is later too.
CRASH_SYSTEM = systems.CDC_OUTBOX_WRITER
RETRY_TIME = Projection(ignore_fields=frozenset({"expiresAt"}))


def floor(contract: Any, examples: int) -> float:
    """Seconds hypothesis takes to draw ``examples`` messages and run an empty body."""

    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(message=from_contract(contract))
    def draw(message: Any) -> None:
        pass

    started = time.process_time()
    draw()
    return time.process_time() - started


def idempotent(contract: Any, examples: int) -> float:
    started = time.process_time()
    assert_idempotent(SYSTEM, contract, via="sqs", max_examples=examples)
    return time.process_time() - started


def survives(contract: Any, examples: int) -> tuple[float, int]:
    """Seconds, and the number of crash points the property ran."""
    crashes = 0
    original = Bench.run

    def counted(self: Bench, *args: Any, **kwargs: Any) -> Any:
        nonlocal crashes
        crashes += kwargs.get("crash") is not None
        return original(self, *args, **kwargs)

    Bench.run = counted  # type: ignore[method-assign]
    try:
        started = time.process_time()
        assert_survives_crashes(CRASH_SYSTEM, contract, via="async", max_examples=examples,
                                projection=RETRY_TIME)
        return time.process_time() - started, crashes
    finally:
        Bench.run = original  # type: ignore[method-assign]


@contextmanager
def rebuilding() -> Iterator[None]:
    """The bench as before snapshots: reset, build and wire the system for every run."""
    original = Bench._provisioned

    def rebuild(self: Bench, delivery: Delivery, messages: Any) -> Trigger:
        self.aws.reset()
        handler = self.system.build(self.aws)
        if handler is None:
            raise ConfigError("the reference systems return their handler")
        self.aws.lambda_.register(self.system.name, handler, timeout=self.system.timeout)
        return delivery.kind.wire(self, delivery, messages)

    Bench._provisioned = rebuild  # type: ignore[method-assign]
    try:
        yield
    finally:
        Bench._provisioned = original  # type: ignore[method-assign]


def measure(label: str, work: Callable[[], Any], profile: cProfile.Profile | None) -> Any:
    if profile is not None:
        profile.enable()
    try:
        return work()
    finally:
        if profile is not None:
            profile.disable()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--crash-examples", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", help="write a cProfile of the snapshot rounds here")
    args = parser.parse_args()
    logging.disable(logging.ERROR)  # the consumer logs every rejected command
    catalog = Catalog.load(ROOT / "contracts")
    contract, book = catalog["ProcessPayment"], catalog["AddBook"]
    profile = cProfile.Profile() if args.profile else None

    # Warm-up: imports, botocore models, hypothesis' strategy caches.
    floor(contract, 20)
    idempotent(contract, 5)
    survives(book, 2)

    rows: dict[str, list[float]] = {k: [] for k in (
        "floor", "idempotent", "idempotent before", "crash", "crash before")}
    for _ in range(args.rounds):
        rows["floor"].append(floor(contract, args.examples))
        rows["idempotent"].append(measure("idempotent", lambda: idempotent(
            contract, args.examples), profile))
        seconds, crashes = measure("crash", lambda: survives(book, args.crash_examples), profile)
        rows["crash"].append(seconds / crashes)
        with rebuilding():
            rows["idempotent before"].append(idempotent(contract, args.examples))
            seconds, crashes = survives(book, args.crash_examples)
            rows["crash before"].append(seconds / crashes)
    median = {k: statistics.median(v) for k, v in rows.items()}
    n = args.examples
    floor_rate, rate, before = n / median["floor"], n / median["idempotent"], n / median[
        "idempotent before"]
    print(f"{args.examples} examples, {args.rounds} rounds, medians")
    print(f"generation floor:              {floor_rate:8.0f} examples/s")
    print(f"assert_idempotent (snapshots): {rate:8.0f} examples/s  "
          f"({floor_rate / rate:.1f}x the floor's time per example)")
    print(f"assert_idempotent (rebuild):   {before:8.0f} examples/s  -> {rate / before:.1f}x faster")
    print(f"assert_survives_crashes:       {median['crash'] * 1000:8.2f} ms per crash point "
          f"(rebuild: {median['crash before'] * 1000:.2f} ms -> "
          f"{median['crash before'] / median['crash']:.1f}x faster)")
    print(f"goal >= 400 examples/s: {'met' if rate >= 400 else 'NOT met'}; crash points no slower: "
          f"{'met' if median['crash'] <= median['crash before'] else 'NOT met'}")
    if profile is not None:
        profile.dump_stats(args.profile)
        print(f"profile of the snapshot rounds: {args.profile}")


if __name__ == "__main__":
    main()
