"""The chaos soak (issue 14): N seeded fault schedules over the five reference patterns.

Each schedule (``tests/properties/chaos_soak.py``) draws a pattern, a
workload and faults from its seed, runs on a restored snapshot of the
pattern's environment and checks conservation. Reports schedules per
second (wall and CPU), the violations and each violating schedule's
replay command.

    .venv/bin/python benchmarks/chaos.py [--schedules N] [--first SEED]
    .venv/bin/python benchmarks/chaos.py --replay SEED      # one schedule, step by step
"""

from __future__ import annotations

import argparse
import collections
import sys
import time

from tests.properties.chaos_soak import Soak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schedules", type=int, default=10_000)
    parser.add_argument("--first", type=int, default=0, help="seed of the first schedule")
    parser.add_argument("--replay", type=int, help="run this one schedule and print it")
    args = parser.parse_args()
    with Soak() as soak:
        if args.replay is not None:
            outcome = soak.run_schedule(args.replay)
            print(outcome.describe())
            return 1 if outcome.violations else 0
        soak.run_schedule(args.first)  # build every environment before the clock starts
        for seed in range(5):
            soak.run_schedule(args.first + seed)
        per_pattern: collections.Counter[str] = collections.Counter()
        violating = []
        wall, cpu = time.perf_counter(), time.process_time()
        for seed in range(args.first, args.first + args.schedules):
            outcome = soak.run_schedule(seed)
            per_pattern[outcome.pattern] += 1
            if outcome.violations:
                violating.append(outcome)
                print(outcome.describe(), flush=True)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{args.schedules} schedules (seeds {args.first}..{args.first + args.schedules - 1}): "
          f"{args.schedules / wall:.1f} schedules/s wall, {args.schedules / cpu:.1f}/s CPU; "
          f"per pattern {dict(sorted(per_pattern.items()))}")
    print(f"violations: {len(violating)} schedules"
          + (f" (seeds {[o.seed for o in violating[:20]]})" if violating else ""))
    return 1 if violating else 0


if __name__ == "__main__":
    sys.exit(main())
