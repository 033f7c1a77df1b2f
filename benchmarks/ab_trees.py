"""A/B of two source trees on the fakes' benchmarks: what a change costs, in CPU time.

Runs ``benchmarks/fakes_vs_moto.py``'s fakes scenarios (the boto3 ones,
the internal path and Kinesis -> mapping -> handler) in a fresh process per
tree and round, trees alternating, and prints per scenario the median CPU
time per item of each tree and the median of the per-round ratios B/A (the
machine's load mostly cancels out within a round). Also prints each tree's
opcode count per internal-path item (``opcodes_internal_path.py``), which
does not move with load.

    python benchmarks/ab_trees.py BASELINE_TREE CHANGED_TREE [--rounds 7] [--iterations 300]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

# Runs inside each tree: CPU seconds per item for each scenario, as JSON.
_PROBE = """
import json, sys, time
sys.path.insert(0, "benchmarks")
import fakes_vs_moto as bench

def cpu_per_item(scenario, iterations):
    clients = bench.fakes_clients()
    state = bench.provision(clients)
    scenario(clients, state, -1)
    started = time.process_time()
    for n in range(iterations):
        scenario(clients, state, n)
    return (time.process_time() - started) / iterations

def kinesis(iterations):
    started = time.process_time()
    bench.kinesis_to_handler_rate(iterations)
    return (time.process_time() - started) / iterations

n = int(sys.argv[1])
results = {name: cpu_per_item(scenario, n) for name, scenario in bench.SCENARIOS.items()}
results["internal_path"] = bench.internal_path(n)
results["kinesis_to_handler"] = kinesis(n)
print(json.dumps(results))
"""


def probe(tree: Path, iterations: int) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, "-c", _PROBE, str(iterations)],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
        timeout=1800,
    ).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return result


def opcodes(tree: Path) -> str:
    output = subprocess.run(
        [sys.executable, "benchmarks/opcodes_internal_path.py"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
        timeout=1800,
    ).stdout
    return output.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("baseline", type=Path)
    parser.add_argument("changed", type=Path)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--iterations", type=int, default=300)
    args = parser.parse_args()
    rounds: list[tuple[dict[str, float], dict[str, float]]] = []
    for index in range(args.rounds):
        if index % 2:
            changed = probe(args.changed, args.iterations)
            baseline = probe(args.baseline, args.iterations)
        else:
            baseline = probe(args.baseline, args.iterations)
            changed = probe(args.changed, args.iterations)
        rounds.append((baseline, changed))
        print(f"round {index + 1}/{args.rounds} done", file=sys.stderr)
    print(f"{'scenario':<20}{'A us/item':>11}{'B us/item':>11}{'B/A':>8}  (median of {args.rounds} rounds)")
    for name in rounds[0][0]:
        a = statistics.median(r[0][name] for r in rounds) * 1e6
        b = statistics.median(r[1][name] for r in rounds) * 1e6
        ratio = statistics.median(r[1][name] / r[0][name] for r in rounds)
        print(f"{name:<20}{a:>11.1f}{b:>11.1f}{ratio:>8.3f}")
    print(f"opcodes per internal-path item: A {opcodes(args.baseline)}; B {opcodes(args.changed)}")


if __name__ == "__main__":
    main()
