"""``eventproof verify`` on the sample team project (examples/payments), default examples.

Reports the median wall time of the whole command (in-process, as
``eventproof verify --config examples/payments``: the catalog, every
promise, the emits checks and the feature file's scenarios), the number of
system runs it made, and, as the reference measured in the same process, the
cost of the fixed part of every run (reset + deploying the template on the
fakes): the ratio says how much of a run is the handler's own work and the
properties' bookkeeping. Then the same run with ``-n 2`` (two worker
processes) against the serial one. Goal: the default run under 60 s on a
2-core machine.

Then the same command with ``--backend moto`` (the template deployed on moto
in process for every run, the functions run by eventproof), reported as the
ratio of the medians moto / fakes (``--no-moto`` skips it).

    .venv/bin/python benchmarks/verify.py [--repeats R] [--examples N] [--no-moto]
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from pathlib import Path

from eventproof.cli import run
from eventproof.project.backends.moto import MotoBench
from eventproof.project.verify import DEFAULT_EXAMPLES
from eventproof.properties import Bench
from eventproof_fakes import FakeAWS

PAYMENTS = Path(__file__).resolve().parents[1] / "examples" / "payments"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--examples", type=int, default=DEFAULT_EXAMPLES)
    parser.add_argument("--no-moto", action="store_true", help="skip the run on moto")
    args = parser.parse_args()

    walls, runs = _measure(Bench, args.repeats, args.examples, "fakes")
    parallel, _ = _measure(Bench, args.repeats, args.examples, "fakes", "-n", "2")

    aws = FakeAWS()
    deploys = []
    with aws.patch_boto3():
        for _ in range(50):
            started = time.perf_counter()
            aws.reset()
            aws.cloudformation.deploy(PAYMENTS / "template.yaml")
            deploys.append(time.perf_counter() - started)
    wall, deploy = statistics.median(walls), statistics.median(deploys)
    per_run = wall / runs
    print(f"eventproof verify examples/payments --examples {args.examples}: "
          f"median {wall:.2f} s over {args.repeats} runs ({runs} system runs, "
          f"{per_run * 1000:.1f} ms each)")
    print(f"reference, reset + deploy of the template: {deploy * 1000:.1f} ms "
          f"-> a system run costs {per_run / deploy:.1f}x its deploy")
    print(f"with -n 2: median {statistics.median(parallel):.2f} s "
          f"({wall / statistics.median(parallel):.2f}x the serial run)")
    print(f"goal: under 60 s -> {'met' if wall < 60 else 'NOT met'}")
    if args.no_moto:
        return
    moto_walls, moto_runs = _measure(MotoBench, args.repeats, args.examples, "moto")
    moto_wall = statistics.median(moto_walls)
    print(f"eventproof verify --backend moto, same project and examples: median {moto_wall:.2f} s "
          f"over {args.repeats} runs ({moto_runs} system runs, {moto_wall / moto_runs * 1000:.1f} ms each)")
    print(f"moto / fakes (medians): {moto_wall / wall:.1f}x")


def _measure(bench: type, repeats: int, examples: int, backend: str, *extra: str
             ) -> tuple[list[float], int]:
    """Wall times of ``repeats`` verify runs on ``backend``, and the system runs of the last."""
    runs = 0
    original = bench.run

    def counted(self: object, *a: object, **k: object) -> object:
        nonlocal runs
        runs += 1
        return original(self, *a, **k)

    bench.run = counted  # type: ignore[method-assign]
    walls = []
    try:
        for _ in range(repeats):
            runs = 0
            started = time.perf_counter()
            code = run(["verify", "--config", str(PAYMENTS), "--examples", str(examples),
                        "--backend", backend, *extra], io.StringIO(), io.StringIO())
            walls.append(time.perf_counter() - started)
            assert code == 0, f"the sample project must verify green on {backend}"
    finally:
        bench.run = original  # type: ignore[method-assign]
    return walls, runs


if __name__ == "__main__":
    main()
