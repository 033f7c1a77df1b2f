"""What one Lambda invocation costs in the fakes' runtime, against a plain call in the same run.

Each invocation enters its function's execution environment (os.environ,
modules, captured output, boto3 binding) and the virtual wall clock
(time-machine). Measured in CPU time (``time.process_time``), median of
several rounds, rounds alternating between the cases:

- ``floor``: ``json.loads`` of the payload, the handler call, a record
  appended: the least any in-process runtime does;
- ``sync registered``: ``invoke_sync`` of a ``register``-ed handler (the
  wall clock entered per call, outside ``run_until_idle``);
- ``async registered``: ``invoke_async`` then ``run_until_idle`` (the wall
  clock entered once per run);
- ``sync from zip``: a handler loaded from ``Code.ZipFile`` (its module
  namespace swapped in and out per call);
- ``sync printing``: the zip handler printing a line and logging a record
  (captured into the invocation's log).
- ``time-machine start+stop``: the cost of entering the wall clock alone.

    python benchmarks/lambda_runtime.py [--iterations N] [--repeats R]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import time_machine

from eventproof_fakes import FakeAWS
from eventproof_fakes.lambda_.code import package

APP = """
import logging

def quiet(event, context):
    return None

def chatty(event, context):
    print("handling", event["n"])
    logging.warning("warned %s", event["n"])
"""


def floor(iterations: int) -> float:
    records: list[Any] = []

    def handler(event: Any, context: Any) -> None:
        return None

    started = time.process_time()
    for n in range(iterations):
        event = json.loads(f'{{"n": {n}}}')
        records.append((handler(event, None), event))
    return (time.process_time() - started) / iterations


def make_env(folder: Path) -> FakeAWS:
    env = FakeAWS()
    env.lambda_.register("registered", lambda event, context: None)
    client = env.client("lambda")
    for name, handler in (("zip-quiet", "app.quiet"), ("zip-chatty", "app.chatty")):
        client.create_function(FunctionName=name, Runtime="python3.12", Role="r" * 20,
                               Handler=handler, Code={"ZipFile": package(folder)})
    return env


def sync(env: FakeAWS, name: str, iterations: int) -> float:
    invoke = env.lambda_.invoke_sync
    invoke(name, {"n": -1})
    started = time.process_time()
    for n in range(iterations):
        invoke(name, {"n": n})
    elapsed = time.process_time() - started
    env.lambda_._invocations.clear()
    return elapsed / iterations


def run_async(env: FakeAWS, iterations: int) -> float:
    for n in range(iterations):
        env.lambda_.invoke_async("registered", {"n": n})
    started = time.process_time()
    env.run_until_idle(max_steps=10 * iterations)
    elapsed = time.process_time() - started
    env.lambda_._invocations.clear()
    return elapsed / iterations


def time_machine_pair(iterations: int) -> float:
    started = time.process_time()
    for _ in range(iterations):
        travel = time_machine.travel(1767225600.0, tick=False)
        travel.start()
        travel.stop()
    return (time.process_time() - started) / iterations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "app.py").write_text(APP)
        env = make_env(folder)
        cases: dict[str, Callable[[], float]] = {
            "floor": lambda: floor(args.iterations),
            "sync registered": lambda: sync(env, "registered", args.iterations),
            "async registered": lambda: run_async(env, args.iterations),
            "sync from zip": lambda: sync(env, "zip-quiet", args.iterations),
            "sync printing": lambda: sync(env, "zip-chatty", args.iterations),
            "time-machine start+stop": lambda: time_machine_pair(args.iterations),
        }
        rounds: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.repeats):
            for name, case in cases.items():
                rounds[name].append(case())
    base = statistics.median(rounds["floor"])
    for name, values in rounds.items():
        median = statistics.median(values)
        print(f"{name:>24}: {median * 1e6:7.2f} us/invocation  ({median / base:6.1f}x the floor)")


if __name__ == "__main__":
    main()
