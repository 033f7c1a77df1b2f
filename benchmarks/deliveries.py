"""Runs per second through each delivery, as a ratio to ``via="sqs"`` measured in the same process.

One bench per delivery runs the right Deposit consumer
(tests/properties/delivery_handlers.py) on one message, again and again:
the cost of wiring the trigger on the emptied account, sending, driving to
idle and observing. The SQS run is the reference every property already
pays, so the ratio says what a delivery adds.

    .venv/bin/python benchmarks/deliveries.py [--runs N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eventproof.properties import Bench, System  # noqa: E402
from eventproof.properties.deliveries import delivery_names  # noqa: E402
from tests.properties import delivery_handlers as consumers  # noqa: E402

MESSAGE = {"depositId": "5b3e2a5e-8f0c-4d8e-9a51-0d6f1c2b3a41", "accountId": "a-1", "amount": 10}


def runs_per_second(via: str, runs: int) -> float:
    handler = consumers.handler(via, consumers.record_once)

    def build(aws: object) -> object:
        consumers.tables(aws)
        return handler

    with Bench(System(build=build, name="deposits")) as bench:
        bench.run([MESSAGE], via=via)  # warm: imports, clients
        started = time.perf_counter()
        for _ in range(runs):
            run = bench.run([MESSAGE], via=via)
            assert run.handled_all(1), (via, run.failures)
        return runs / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    reference = runs_per_second("sqs", args.runs)
    print(f"{'via':<12}{'runs/s':>10}{'vs sqs':>10}")
    for via in delivery_names():
        rate = reference if via == "sqs" else runs_per_second(via, args.runs)
        print(f"{via:<12}{rate:>10.0f}{rate / reference:>10.2f}")


if __name__ == "__main__":
    main()
