"""The service-facing side of fault injection: what the fakes consult at each delivery.

Services ask ``env.faults.hook`` as they deliver: ``copies(channel)`` (how
many times to make this delivery), ``order(channel, batch)`` (the order to
hand a batch out in), ``delay_for(channel)`` (extra virtual seconds),
``throttled(function_name)`` (per Lambda attempt). The Lambda fake marks
the running handler (``running``), and the boto3 binding brackets every
call with ``before_call``/``after_call``, where armed crashes fire and
observers are told. Each answer that injects a fault records it in
``faults.injected``. A service that consults a new channel registers it in
``eventproof_fakes.fault_channels``, so tests can arm it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from eventproof_fakes.crashes import CrashPoint, CurrentInvocation, HandlerCrashed, Running

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS
    from eventproof_fakes.faults import Faults

T = TypeVar("T")

__all__ = ["CallObserver", "FaultHook", "ObservedCall"]


@dataclass(frozen=True)
class ObservedCall:
    """One AWS call made through a bound client, as an observer sees it.

    ``invocation`` is the handler invocation that made it (None: test code)
    and ``number`` its position among that invocation's calls (1-based; the
    count ``crash(at_call=...)`` uses), 0 outside an invocation.
    """

    service: str
    operation: str
    params: dict[str, Any]
    invocation: CurrentInvocation | None
    number: int


CallObserver = Callable[[ObservedCall], None]


class FaultHook:
    """Consulted by the services; the rules are the ones armed on ``Faults``."""

    def __init__(self, faults: Faults, env: FakeAWS) -> None:
        self._faults = faults
        # A child generator: arming faults never shifts the ids the run would otherwise get.
        self._random = random.Random(f"eventproof-faults-{env.seed}")
        self._current: CurrentInvocation | None = None
        self._active: list[CurrentInvocation] = []
        self._calls: dict[str, int] = {}
        self._crashed: dict[str, HandlerCrashed] = {}

    # --- deliveries -----------------------------------------------------------
    def copies(self, channel: str) -> int:
        """How many times the next delivery on ``channel`` is made (1: no duplicate)."""
        times: int | None = self._consume("duplicate", channel, "times", "one delivery made {:g} times")
        return 1 if times is None else times

    def delay_for(self, channel: str) -> float:
        """Extra virtual seconds before the next delivery on ``channel`` (0: none)."""
        seconds: float | None = self._consume("delay", channel, "seconds", "delivery held back {:g} s")
        return 0.0 if seconds is None else seconds

    def _consume(self, kind: str, channel: str, option: str, record: str) -> Any:
        """The armed ``kind`` rule's ``option`` for ``channel``, used once and recorded; else None."""
        faults = self._faults
        if not faults._rules:  # the common case: nothing armed, nothing to look up
            return None
        rule = faults._first(kind, channel)
        if rule is None:
            return None
        rule.consume()
        value = rule.options[option]
        faults._record(kind, channel, record.format(value))
        return value

    def order(self, channel: str, batch: Sequence[T]) -> list[T]:
        """The order to deliver ``batch`` in: shuffled if a reorder is armed on ``channel``."""
        items = list(batch)
        faults = self._faults
        if len(items) < 2 or not faults._rules:
            return items
        rule = faults._first("reorder", channel)
        if rule is None:
            return items
        rule.consume()
        shuffled = items[:]
        self._random.shuffle(shuffled)
        if shuffled != items:
            faults._record("reorder", channel, f"{len(items)} deliveries shuffled")
        return shuffled

    def throttled(self, function_name: str) -> bool:
        """Whether this attempt to run ``function_name`` is throttled (uses up one throttle)."""
        faults = self._faults
        if not faults._rules:
            return False
        rule = faults._first("throttle", function_name)
        if rule is None:
            return False
        rule.consume()
        faults._record("throttle", function_name, "invocation attempt throttled")
        return True

    # --- the running handler --------------------------------------------------
    @property
    def current_invocation(self) -> CurrentInvocation | None:
        return self._current

    @current_invocation.setter
    def current_invocation(self, value: CurrentInvocation | None) -> None:
        if value is None:
            self._active.clear()
            # No handler runs any more: the call counts of finished invocations are never read
            # again (a retry starts its own), so a long run does not keep one per invocation.
            self._calls.clear()
        elif value in self._active:
            # Back in an outer invocation after a nested one: it keeps its call count.
            del self._active[self._active.index(value) + 1 :]
        else:
            # A new attempt; a retry keeps its request id but starts in a fresh sandbox.
            self._calls.pop(value.request_id, None)
            self._crashed.pop(value.request_id, None)
            self._active.append(value)
        self._current = value

    def running(self, function_name: str, request_id: str, timeout: float = 3.0) -> Running:
        """Context manager for the Lambda fake: a handler attempt runs inside it."""
        return Running(self, CurrentInvocation(function_name, request_id, timeout))

    def crash_of(self, request_id: str) -> HandlerCrashed | None:
        """The crash injected into that invocation, even if its handler swallowed the exception."""
        return self._crashed.get(request_id)

    # --- client calls (the boto3 binding) -------------------------------------
    def before_call(self, service: str, operation: str, params: dict[str, Any]) -> None:
        """Called before a client call takes effect; may raise to crash the caller."""
        invocation = self._current
        number = 0
        if invocation is not None:
            number = self._calls.get(invocation.request_id, 0) + 1
        faults = self._faults
        if faults._observers:
            call = ObservedCall(service, operation, params, invocation, number)
            for observer in list(faults._observers):
                observer.callback(call)
        if invocation is None:
            return
        dead = self._crashed.get(invocation.request_id)
        if dead is not None:
            # A timed-out sandbox is frozen: nothing after the crash reaches AWS.
            raise dead
        self._calls[invocation.request_id] = number
        if faults._rules:
            self._maybe_crash(invocation, number, service, operation, "before")

    def after_call(self, service: str, operation: str, params: dict[str, Any]) -> None:
        """Called after a client call took effect; may raise to crash the caller."""
        invocation = self._current
        if invocation is None or not self._faults._rules:
            return
        number = self._calls.get(invocation.request_id, 0)
        self._maybe_crash(invocation, number, service, operation, "after")

    def _maybe_crash(
        self,
        invocation: CurrentInvocation,
        number: int,
        service: str,
        operation: str,
        when: CrashPoint,
    ) -> None:
        faults = self._faults
        for rule in faults._rules:
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
                faults._record("crash", invocation.function_name, crash.describe())
                raise crash
