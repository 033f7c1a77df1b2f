"""Pattern-matching throughput: events per second against 5 and against 500 rules.

Rules look like a real bus's: each pins ``source`` (one of many services)
and filters on ``detail-type`` and detail fields with prefix, numeric and
anything-but. Events are matched through ``PatternIndex``, as the
EventBridge fake does. One run: median of 5 rounds per rule count, then the
ratio 500/5 of the time per event (1.0 means the cost does not grow).

    .venv/bin/python benchmarks/patterns.py
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

from eventproof_fakes.event_patterns import PatternIndex, compile_pattern

EVENTS = 20_000
ROUNDS = 5


def rule(number: int, *, filed: bool = True) -> dict[str, Any]:
    source: list[Any] = [f"service-{number}"] if filed else [{"prefix": f"service-{number}"}]
    return {
        "source": source,
        "detail-type": [{"prefix": "Order"}],
        "detail": {
            "total": [{"numeric": [">", number % 50, "<=", 1000]}],
            "status": [{"anything-but": ["cancelled"]}],
        },
    }


def events(rule_count: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [
        {
            "version": "0",
            "id": str(i),
            "source": f"service-{rng.randrange(rule_count * 2)}",  # half match no rule
            "detail-type": rng.choice(["OrderPlaced", "OrderPaid", "Refund"]),
            "account": "123456789012",
            "time": "2026-01-01T00:00:00Z",
            "region": "us-east-1",
            "resources": [],
            "detail": {"total": rng.randrange(200), "status": rng.choice(["open", "cancelled"])},
        }
        for i in range(EVENTS)
    ]


def events_per_second(rule_count: int, *, filed: bool = True) -> tuple[float, int]:
    index: PatternIndex[int] = PatternIndex()
    for number in range(rule_count):
        index.add(number, compile_pattern(rule(number, filed=filed)))
    batch = events(rule_count)
    # The index must answer as each pattern alone would; check a sample first.
    alone = [compile_pattern(rule(number, filed=filed)) for number in range(rule_count)]
    for event in batch[:200]:
        expected = [number for number, pattern in enumerate(alone) if pattern.matches(event)]
        assert index.matching(event) == expected, event
    rates = []
    matched = 0
    for _ in range(ROUNDS):
        matched = 0
        started = time.perf_counter()
        for event in batch:
            matched += len(index.matching(event))
        rates.append(len(batch) / (time.perf_counter() - started))
    return statistics.median(rates), matched


def main() -> None:
    few, few_matched = events_per_second(5)
    many, many_matched = events_per_second(500)
    print(f"5 rules:   {few:,.0f} events/s ({few_matched} matches per {EVENTS} events)")
    print(f"500 rules: {many:,.0f} events/s ({many_matched} matches per {EVENTS} events)")
    print(f"cost ratio 500/5 (time per event): {few / many:.2f}")
    # No field pinned to exact strings: before the index filed prefixes,
    # every one of these rules was evaluated (the linear worst case).
    unfiled, unfiled_matched = events_per_second(500, filed=False)
    print(
        f"500 rules with only a prefix on source: {unfiled:,.0f} events/s "
        f"({unfiled_matched} matches per {EVENTS} events)"
    )


if __name__ == "__main__":
    main()
