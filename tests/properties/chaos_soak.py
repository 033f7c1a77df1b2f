"""The chaos soak: random fault schedules over random workloads of the five reference patterns.

A schedule is a function of its seed alone: the pattern, the commands (valid
or not, some resent by their producer), the faults armed before each command
(duplicated deliveries, reordered batches, delayed async events, throttles,
and at most one crash per schedule: at a random AWS call of a random
function, before or after the call takes effect) and the time passing between commands. Each pattern is built
once per process and snapshotted (``FakeAWS.snapshot``); every schedule
starts from a restore of it, so ``run_schedule(seed)`` replays exactly:

    PYTHONPATH=. python benchmarks/chaos.py --replay SEED
"""

from __future__ import annotations

import contextlib
import logging
import random
from dataclasses import dataclass, field
from typing import Any

from eventproof.properties.system import reused_clients
from eventproof_fakes import FakeAWS
from eventproof_fakes.errors import StepLimitExceeded
from eventproof_fakes.snapshots import Snapshot
from tests.properties.chaos_patterns import PATTERNS, forget_wired_apps

__all__ = ["Outcome", "Soak", "replay_command"]

FAULT_KINDS = ("duplicate", "reorder", "delay", "throttle", "crash")


def replay_command(seed: int) -> str:
    return f"PYTHONPATH=. python benchmarks/chaos.py --replay {seed}"


@dataclass
class Outcome:
    seed: int
    pattern: str
    steps: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    def describe(self) -> str:
        lines = [f"schedule {self.seed} on {self.pattern}:", *(f"  {s}" for s in self.steps)]
        lines += [f"  VIOLATION: {v}" for v in self.violations]
        if self.violations:
            lines.append(f"  replay: {replay_command(self.seed)}")
        return "\n".join(lines)


class Soak:
    """One environment per pattern, built once; use as a context manager (boto3 is patched)."""

    def __init__(self, max_commands: int = 4, max_faults: int = 3) -> None:
        self.max_commands = max_commands
        self.max_faults = max_faults
        self._built: dict[str, tuple[FakeAWS, Snapshot, dict[tuple[Any, ...], Any]]] = {}
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> Soak:
        # The handlers log every rejected command and every crash: thousands per soak.
        logging.disable(logging.ERROR)
        self._stack.callback(logging.disable, logging.NOTSET)
        return self

    def __exit__(self, *exc_info: object) -> None:
        forget_wired_apps()
        self._stack.close()

    def _environment(self, name: str) -> FakeAWS:
        built = self._built.get(name)
        if built is None:
            aws, clients = FakeAWS(seed=14), {}
            with aws.patch_boto3(), reused_clients(clients):
                PATTERNS[name].build(aws, FakeAWS.session())
            built = self._built[name] = (aws, aws.snapshot(), clients)
        else:
            built[0].restore(built[1])
        return built[0]

    def run_schedule(self, seed: int) -> Outcome:
        rng = random.Random(seed)
        name = rng.choice(sorted(PATTERNS))
        pattern = PATTERNS[name]
        aws = self._environment(name)
        outcome = Outcome(seed, name)
        accepted: list[dict[str, Any]] = []
        sent: list[dict[str, Any]] = []
        crashed = False
        with aws.patch_boto3(), reused_clients(self._built[name][2]):
            session = FakeAWS.session()
            try:
                for _ in range(rng.randint(1, self.max_commands)):
                    for _ in range(rng.randint(0, self.max_faults)):
                        outcome.steps.append(_arm(aws, pattern, rng, crashed))
                        crashed = crashed or outcome.steps[-1].startswith("armed crash")
                    if sent and rng.random() < 0.25:
                        command, note = rng.choice(sent), "resent"
                    else:
                        command, note = pattern.command(rng), "sent"
                        sent.append(command)
                    if pattern.send(aws, session, command):
                        accepted.append(command)
                        note += ", accepted"
                    outcome.steps.append(f"{note}: {command}")
                    if rng.random() < 0.3:
                        seconds = rng.choice([1, 30, 400, 3600])
                        aws.clock.advance(seconds)
                        outcome.steps.append(f"{seconds} s pass")
                    aws.run_until_idle()
                aws.faults.clear()
                aws.clock.advance(7200)  # let every retry and delayed delivery run out
                aws.run_until_idle()
                outcome.violations = pattern.check(aws, accepted, sent)
            except StepLimitExceeded as error:
                outcome.violations = [f"never idle: {error}"]
        outcome.steps.extend(aws.faults.describe().splitlines())
        return outcome


def _arm(aws: FakeAWS, pattern: Any, rng: random.Random, crashed: bool) -> str:
    # One crash per schedule: Lambda's retries are a budget (async: 2) that a team sizes for
    # one failure of a kind, and several crashes of one invocation would exhaust it by design.
    kinds = [k for k in FAULT_KINDS if k == "throttle" or (k == "crash" and not crashed)
             or getattr(pattern, k, None)]
    kind = rng.choice(kinds)
    if kind in ("duplicate", "reorder", "delay"):
        channel = rng.choice(getattr(pattern, kind))
        deliveries = rng.randint(1, 2)
        if kind == "duplicate":
            aws.faults.duplicate(channel, deliveries=deliveries)
        elif kind == "reorder":
            aws.faults.reorder(channel, deliveries=deliveries)
        else:
            aws.faults.delay(channel, rng.choice([1, 60, 900]), deliveries=deliveries)
        return f"armed {kind} on {channel} for {deliveries} deliveries"
    function = rng.choice(pattern.functions)
    if kind == "throttle":
        aws.faults.throttle(function)
        return f"armed throttle on {function}"
    at_call, when = rng.randint(1, 4), rng.choice(["before", "after"])
    aws.faults.crash(function, at_call=at_call, when=when)
    return f"armed crash of {function} at its AWS call #{at_call}, {when} it takes effect"
