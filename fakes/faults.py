"""Fault injection, as a test arms it: duplicates, reordering, delays, throttles, crashes.

A test arms faults on ``aws.faults`` (``duplicate``, ``reorder``, ``delay``
on a delivery channel; ``throttle``, ``crash`` on a Lambda function) and
reads what happened in ``aws.faults.injected``. The services never call
these methods: they consult ``aws.faults.hook`` (``eventproof_fakes.fault_hook``), the
service-facing side of the same rules.

Channels name a delivery path; each is registered by the service that
consults it (``eventproof_fakes.fault_channels``), and a fault on a channel no service
applies is refused with the list of what can be armed:

- ``sqs:<queue name>``: duplicate, reorder. A standard queue's receive
  (``ReceiveMessage`` or an event source mapping's poll); a duplicated
  message is received once more, with the same ``MessageId``, even after
  its first receipt was deleted. FIFO queues are refused: they deliver once,
  in order.
- ``sqs-esm:<event source mapping UUID>``: reorder, the batch an SQS
  mapping hands its function (standard queues).
- ``stream:<table name>``: duplicate, a DynamoDB stream mapping's batch is
  handed to the function again; a shard's order is never changed.
- ``kinesis:<stream name>``: duplicate, a Kinesis stream mapping's batch is
  handed to the function again; a shard's order is never changed.
- ``s3:<bucket name>``: duplicate, a bucket's event notification is
  delivered to each destination again.
- ``lambda:<function name>``: duplicate, delay, asynchronous invocations.
- ``events:<rule ARN>``: duplicate, EventBridge delivering to a rule's targets.
- ``pipe:<pipe name>``: duplicate, an EventBridge Pipe's delivery to its target.

``describe_channels()`` lists the registered channels at run time. The
prefix of a channel may be a shell-style pattern (``"*:orders"``), the name
too (``"sqs:*"``). Every random choice comes from a generator seeded from the
environment's seed, so a failing run replays exactly.

``observe(callback)`` calls ``callback`` with every AWS call a client bound
to the environment makes (which handler invocation made it, and its number
there), before the call takes effect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any

from eventproof_fakes.crashes import CrashPoint, CurrentInvocation, HandlerCrashed
from eventproof_fakes.errors import FaultError
from eventproof_fakes.fault_channels import check_channel, check_function_name, describe_channels
from eventproof_fakes.fault_hook import CallObserver, FaultHook, ObservedCall
from eventproof_fakes.records import Records

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

__all__ = [
    "CallObserver",
    "CurrentInvocation",
    "Fault",
    "FaultHook",
    "Faults",
    "HandlerCrashed",
    "InjectedFault",
    "ObservedCall",
    "Observer",
]


@dataclass(frozen=True)
class InjectedFault:
    """One fault that actually happened, for the test's story of the run."""

    kind: str
    target: str
    at: float
    detail: str

    def describe(self) -> str:
        return f"[t={self.at:.3f}] {self.kind} on {self.target}: {self.detail}"


@dataclass
class Fault:
    """An armed fault rule. ``cancel()`` disarms it; as a context manager it disarms on exit.

    ``remaining`` counts how many more times it fires (None: every time).
    """

    kind: str
    target: str
    remaining: int | None
    options: dict[str, Any] = field(default_factory=dict)
    _faults: Faults | None = field(default=None, repr=False)

    def applies_to(self, name: str) -> bool:
        return self.remaining != 0 and (self.target == name or fnmatchcase(name, self.target))

    def consume(self) -> None:
        if self.remaining is not None:
            self.remaining -= 1

    def cancel(self) -> None:
        if self._faults is not None:
            self._faults._remove(self)

    def __enter__(self) -> Fault:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.cancel()


class Observer:
    """A registered observer; ``cancel()`` (or leaving its ``with`` block) removes it."""

    def __init__(self, faults: Faults, callback: CallObserver) -> None:
        self._faults = faults
        self.callback = callback

    def cancel(self) -> None:
        if self in self._faults._observers:
            self._faults._observers.remove(self)

    def __enter__(self) -> Observer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.cancel()


class Faults:
    """The faults of one environment, as a test arms them (see the module docstring).

    ``hook`` is the side the services consult; tests have no use for it.
    """

    def __init__(self, env: FakeAWS) -> None:
        self._env = env
        self._rules: list[Fault] = []
        self._observers: list[Observer] = []
        # Bounded by FakeAWS(max_records=...); ``injected.dropped`` counts what is no longer kept.
        self.injected: Records[InjectedFault] = Records(env.max_records)
        self.hook = FaultHook(self, env)

    # --- arming ---------------------------------------------------------------
    def duplicate(self, channel: str, times: int = 2, *, deliveries: int | None = None) -> Fault:
        """Make each delivery on ``channel`` ``times`` times, for the next ``deliveries`` (None: all).

        A delivery is duplicated once: its copies are not duplicated again.
        """
        check_channel("duplicate", channel, self._env)
        _check_positive("times", times, minimum=2)
        _check_optional_count("deliveries", deliveries)
        return self._arm(Fault("duplicate", channel, deliveries, {"times": times}))

    def reorder(self, channel: str, *, deliveries: int | None = None) -> Fault:
        """Shuffle each batch on ``channel`` before delivery, for the next ``deliveries`` batches.

        Only channels without an order guarantee take it (standard queues,
        an SQS mapping's batch); FIFO queues and stream shards are refused.
        """
        check_channel("reorder", channel, self._env)
        _check_optional_count("deliveries", deliveries)
        return self._arm(Fault("reorder", channel, deliveries))

    def delay(self, channel: str, seconds: float, *, deliveries: int | None = None) -> Fault:
        """Hold back each delivery on ``channel`` by ``seconds`` of virtual time."""
        check_channel("delay", channel, self._env)
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise FaultError(f"delay must be a number of seconds >= 0, got {seconds!r}")
        _check_optional_count("deliveries", deliveries)
        return self._arm(Fault("delay", channel, deliveries, {"seconds": float(seconds)}))

    def throttle(self, function_name: str, times: int = 1) -> Fault:
        """Throttle the next ``times`` attempts to run ``function_name`` (a name or pattern).

        A synchronous invoke answers ``TooManyRequestsException``; an
        asynchronous event or a mapping's batch is retried as AWS retries it.
        """
        check_function_name("throttle", function_name)
        _check_positive("times", times, minimum=1)
        return self._arm(Fault("throttle", function_name, times))

    def crash(
        self, function_name: str, *, at_call: int, when: CrashPoint = "before", times: int = 1
    ) -> Fault:
        """Kill ``function_name``'s handler at its ``at_call``-th AWS call, ``times`` invocations long."""
        check_function_name("crash", function_name)
        _check_positive("at_call", at_call, minimum=1)
        _check_positive("times", times, minimum=1)
        if when not in ("before", "after"):
            raise FaultError(f"when must be 'before' or 'after', got {when!r}")
        return self._arm(Fault("crash", function_name, times, {"at_call": at_call, "when": when}))

    def clear(self) -> None:
        """Disarm every fault (the record of what was injected stays)."""
        self._rules.clear()

    def armed(self) -> list[Fault]:
        return [rule for rule in self._rules if rule.remaining != 0]

    def describe(self) -> str:
        return "\n".join(fault.describe() for fault in self.injected) or "no faults injected"

    @staticmethod
    def channels(kind: str | None = None) -> str:
        """The channels that take ``kind`` (every channel if None), one per line."""
        return describe_channels(kind)

    # --- observing ------------------------------------------------------------
    def observe(self, callback: CallObserver) -> Observer:
        """Call ``callback(ObservedCall)`` before every AWS call of a bound client takes effect.

        An observer only watches: what it raises propagates to the caller
        like a crash would, so keep it to recording. It stays until
        ``cancel()`` or ``FakeAWS.reset()``, which starts with no faults and no
        observers.
        """
        observer = Observer(self, callback)
        self._observers.append(observer)
        return observer

    # --- shared with the hook -------------------------------------------------
    def _arm(self, rule: Fault) -> Fault:
        rule._faults = self
        self._rules.append(rule)
        return rule

    def _remove(self, rule: Fault) -> None:
        if rule in self._rules:
            self._rules.remove(rule)

    def _first(self, kind: str, name: str) -> Fault | None:
        for rule in self._rules:
            if rule.kind == kind and rule.applies_to(name):
                return rule
        return None

    def _record(self, kind: str, target: str, detail: str) -> None:
        self.injected.append(InjectedFault(kind, target, self._env.clock.now(), detail))


def _check_positive(name: str, value: int, *, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise FaultError(f"{name} must be an integer >= {minimum}, got {value!r}")


def _check_optional_count(name: str, value: int | None) -> None:
    if value is not None:
        _check_positive(name, value, minimum=1)
