"""Fault injection: duplicates, reordering, delays, throttling and crashes.

A test arms faults on ``aws.faults``; the services consult the same object
at each delivery (``copies``, ``reorder``, ``delivery_delay``), each
Lambda attempt (``throttle(name)``) and each client call made by a running
handler (``before_call`` / ``after_call``, called by the boto3 binding).

Channels name a delivery path: ``"sqs:<queue name>"``, ``"events:<rule
arn>"``, ``"lambda:<function name>"`` (asynchronous invocations),
``"stream:<table name>"``, ``"kinesis:<stream name>"``, ``"pipe:<pipe name>"``. A rule's channel may be
a shell-style pattern (``"sqs:*"``).

Faults keep AWS's guarantees unless a test asks otherwise: nothing is
reordered within an SQS FIFO queue's message group or a stream shard
(``force=True`` overrides), and a duplicate or delay never loses a message.
Every random choice comes from a generator seeded from the environment's
seed, so a failing run replays exactly.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any, TypeVar, overload

from fakes.crashes import CrashPoint, CurrentInvocation, HandlerCrashed, Running

if TYPE_CHECKING:
    from fakes.environment import FakeAWS

T = TypeVar("T")

__all__ = ["CurrentInvocation", "Fault", "Faults", "HandlerCrashed", "InjectedFault"]


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


def is_ordered_channel(channel: str) -> bool:
    """Channels where AWS guarantees order: FIFO queues (per group) and stream shards."""
    return channel.startswith(("stream:", "kinesis:")) or (
        channel.startswith("sqs:") and channel.endswith(".fifo")
    )


class Faults:
    def __init__(self, env: FakeAWS) -> None:
        self._env = env
        # A child generator: arming faults never shifts the ids the run would otherwise get.
        self._random = random.Random(f"eventproof-faults-{env.seed}")
        self._rules: list[Fault] = []
        self.injected: list[InjectedFault] = []
        self._current: CurrentInvocation | None = None
        self._active: list[CurrentInvocation] = []
        self._calls: dict[str, int] = {}
        self._crashed: dict[str, HandlerCrashed] = {}

    # --- arming -------------------------------------------------------------
    def duplicate(self, channel: str, times: int = 2, *, deliveries: int | None = None) -> Fault:
        """Make each delivery on ``channel`` ``times`` times, for the next ``deliveries`` (None: all)."""
        _check_positive("times", times, minimum=1)
        _check_optional_count("deliveries", deliveries)
        return self._arm(Fault("duplicate", channel, deliveries, {"times": times}))

    @overload
    def reorder(self, channel: str, *, force: bool = False) -> Fault: ...

    @overload
    def reorder(
        self,
        channel: str,
        items: Sequence[T],
        *,
        group_key: Callable[[T], Hashable] | None = None,
    ) -> list[T]: ...

    def reorder(
        self,
        channel: str,
        items: Sequence[Any] | None = None,
        *,
        force: bool = False,
        group_key: Callable[[Any], Hashable] | None = None,
    ) -> Fault | list[Any]:
        """Arm a reordering (``reorder(channel)``), or apply one (``reorder(channel, items)``).

        Services call the two-argument form with each batch they are about
        to deliver and get back the order to deliver it in. An ordered
        channel (FIFO queue, stream) is shuffled only across message groups
        when ``group_key`` is given, never within one, unless the rule was
        armed with ``force=True``.
        """
        if items is None:
            if is_ordered_channel(channel) and not force:
                raise ValueError(
                    f"{channel} guarantees order (FIFO queue or stream shard); "
                    "pass force=True to reorder it anyway"
                )
            return self._arm(Fault("reorder", channel, None, {"force": force}))
        return self._apply_reorder(channel, list(items), group_key)

    def delay(self, channel: str, seconds: float, *, deliveries: int | None = None) -> Fault:
        """Hold back each delivery on ``channel`` by ``seconds`` of virtual time."""
        if seconds < 0:
            raise ValueError(f"delay must be >= 0 seconds, got {seconds}")
        _check_optional_count("deliveries", deliveries)
        return self._arm(Fault("delay", channel, deliveries, {"seconds": float(seconds)}))

    @overload
    def throttle(self, function_name: str) -> bool: ...

    @overload
    def throttle(self, function_name: str, times: int) -> Fault: ...

    def throttle(self, function_name: str, times: int | None = None) -> bool | Fault:
        """``throttle(name, times=n)`` arms n throttles; ``throttle(name)`` asks (and uses one).

        The Lambda fake asks once per attempt and, on True, treats the
        attempt as throttled (``TooManyRequestsException`` / async retry).
        """
        if times is not None:
            _check_positive("times", times, minimum=1)
            return self._arm(Fault("throttle", function_name, times))
        rule = self._first("throttle", function_name)
        if rule is None:
            return False
        rule.consume()
        self._record("throttle", function_name, "invocation attempt throttled")
        return True

    def crash(
        self, function_name: str, *, at_call: int, when: CrashPoint = "before", times: int = 1
    ) -> Fault:
        """Kill ``function_name``'s handler at its ``at_call``-th AWS call, ``times`` invocations long."""
        _check_positive("at_call", at_call, minimum=1)
        _check_positive("times", times, minimum=1)
        if when not in ("before", "after"):
            raise ValueError(f"when must be 'before' or 'after', got {when!r}")
        return self._arm(Fault("crash", function_name, times, {"at_call": at_call, "when": when}))

    def clear(self) -> None:
        """Disarm every fault (the record of what was injected stays)."""
        self._rules.clear()

    def armed(self) -> list[Fault]:
        return [rule for rule in self._rules if rule.remaining != 0]

    def describe(self) -> str:
        return "\n".join(fault.describe() for fault in self.injected) or "no faults injected"

    # --- consulted by the services ---------------------------------------------
    def copies(self, channel: str) -> int:
        """How many times the next delivery on ``channel`` is made (1: no duplicate)."""
        if not self._rules:
            return 1
        rule = self._first("duplicate", channel)
        if rule is None:
            return 1
        rule.consume()
        times: int = rule.options["times"]
        self._record("duplicate", channel, f"one delivery made {times} times")
        return times

    def delivery_delay(self, channel: str) -> float:
        """Extra virtual seconds before the next delivery on ``channel`` (0: none)."""
        if not self._rules:
            return 0.0
        rule = self._first("delay", channel)
        if rule is None:
            return 0.0
        rule.consume()
        seconds: float = rule.options["seconds"]
        self._record("delay", channel, f"delivery held back {seconds:g} s")
        return seconds

    @property
    def current_invocation(self) -> CurrentInvocation | None:
        return self._current

    @current_invocation.setter
    def current_invocation(self, value: CurrentInvocation | tuple[str, str] | None) -> None:
        if isinstance(value, tuple):
            value = CurrentInvocation(*value)
        if value is None:
            self._active.clear()
        elif value in self._active:
            # Back in an outer invocation after a nested one: it keeps its call count.
            del self._active[self._active.index(value) + 1 :]
        else:
            # A new attempt; a retry keeps its request id but starts in a fresh sandbox.
            self._calls.pop(value.request_id, None)
            self._crashed.pop(value.request_id, None)
            self._active.append(value)
        self._current = value

    def running(
        self, function_name: str, request_id: str, timeout: float = 3.0
    ) -> Running:
        """Context manager for the Lambda fake: a handler attempt runs inside it."""
        return Running(self, CurrentInvocation(function_name, request_id, timeout))

    def crash_of(self, request_id: str) -> HandlerCrashed | None:
        """The crash injected into that invocation, even if its handler swallowed the exception."""
        return self._crashed.get(request_id)

    def before_call(self, service: str, operation: str, params: dict[str, Any]) -> None:
        """Called before a client call takes effect; may raise to crash the caller."""
        invocation = self._current
        if invocation is None:
            return
        dead = self._crashed.get(invocation.request_id)
        if dead is not None:
            # A timed-out sandbox is frozen: nothing after the crash reaches AWS.
            raise dead
        number = self._calls.get(invocation.request_id, 0) + 1
        self._calls[invocation.request_id] = number
        if self._rules:
            self._maybe_crash(invocation, number, service, operation, "before")

    def after_call(self, service: str, operation: str, params: dict[str, Any]) -> None:
        """Called after a client call took effect; may raise to crash the caller."""
        invocation = self._current
        if invocation is None or not self._rules:
            return
        number = self._calls.get(invocation.request_id, 0)
        self._maybe_crash(invocation, number, service, operation, "after")

    # --- internals ------------------------------------------------------------
    def _maybe_crash(
        self,
        invocation: CurrentInvocation,
        number: int,
        service: str,
        operation: str,
        when: CrashPoint,
    ) -> None:
        for rule in self._rules:
            if (
                rule.kind == "crash"
                and rule.applies_to(invocation.function_name)
                and rule.options["at_call"] == number
                and rule.options["when"] == when
            ):
                rule.consume()
                crash = HandlerCrashed(
                    function_name=invocation.function_name,
                    request_id=invocation.request_id,
                    call_number=number,
                    service=service,
                    operation=operation,
                    when=when,
                    timeout=invocation.timeout,
                )
                self._crashed[invocation.request_id] = crash
                self._record("crash", invocation.function_name, crash.describe())
                raise crash

    def _apply_reorder(
        self, channel: str, items: list[T], group_key: Callable[[T], Hashable] | None
    ) -> list[T]:
        if len(items) < 2 or not self._rules:
            return items
        rule = self._first("reorder", channel)
        if rule is None:
            return items
        if not is_ordered_channel(channel) or rule.options["force"]:
            shuffled = items[:]
            self._random.shuffle(shuffled)
        elif group_key is not None:
            shuffled = self._interleave_groups(items, group_key)
        else:
            return items
        if shuffled != items:
            self._record("reorder", channel, f"{len(items)} deliveries shuffled")
        return shuffled

    def _interleave_groups(self, items: list[T], group_key: Callable[[T], Hashable]) -> list[T]:
        """A random merge of the groups that keeps each group's own order."""
        queues: dict[Hashable, list[T]] = {}
        for item in items:
            queues.setdefault(group_key(item), []).append(item)
        order = [key for key, members in queues.items() for _ in members]
        self._random.shuffle(order)
        cursors = dict.fromkeys(queues, 0)
        merged = []
        for key in order:
            merged.append(queues[key][cursors[key]])
            cursors[key] += 1
        return merged

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
    if not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")


def _check_optional_count(name: str, value: int | None) -> None:
    if value is not None:
        _check_positive(name, value, minimum=1)
