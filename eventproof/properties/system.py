"""A system under test on an emptied ``FakeAWS``, and the deliveries that feed it.

``System.build(aws)`` creates the system's resources (tables, buses, queues)
and returns the Lambda handler to run; it is called inside
``aws.patch_boto3()``, so boto3 clients made there or in the handler talk
to the fakes. Each run starts from an empty account (``FakeAWS.reset``:
clock at zero, ids from the same seed), so two runs differ only in what the
property changes (copies, a crash, an order). ``build`` runs again for every
run, so it must be cheap: create resources, do not import or configure.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import boto3
import boto3.session
import botocore.session

from eventproof.errors import ConfigError
from eventproof.properties.deliveries import delivery_kind
from eventproof.properties.deliveries.sqs import INPUT_DLQ, INPUT_QUEUE
from eventproof.properties.triggers import Trigger
from eventproof_fakes import FakeAWS
from eventproof_fakes.faults import ObservedCall
from eventproof_fakes.patching import Patch, patched
from eventproof_fakes.snapshots import Snapshot

if TYPE_CHECKING:
    from eventproof.properties.deliveries import DeliveryKind

__all__ = [
    "INPUT_QUEUE",
    "Bench",
    "Delivery",
    "Handler",
    "Run",
    "System",
    "Via",
    "as_system",
    "open_bench",
    "reused_clients",
    "run_once",
]

# A registered delivery's name (eventproof.properties.deliveries): sqs, async, eventbridge,
# api, sns, stream, s3, kinesis.
Via = str
Handler = Callable[[Any, Any], Any]
INPUT_SOURCE = "eventproof.property"  # EventBridge source when neither contract nor caller names one


@dataclass(frozen=True)
class System:
    """How to stand the system up on a fresh environment and which handler to feed."""

    build: Callable[[FakeAWS], Handler | None]
    name: str = "handler-under-test"
    timeout: int = 30
    seed: int = 0
    # ``build`` creates function ``name`` itself (e.g. by deploying a template, so the
    # function runs its own code folder, variables and timeout) and returns None.
    deployed: bool = False
    # Deliver through the trigger ``build`` created for the function (its queue, rule, topic
    # subscription, table stream, bucket, Kinesis stream or API route), not one the bench wires.
    own_trigger: bool = False
    # The bench of another backend (moto, an endpoint: eventproof.project.backends) made
    # from this system; None: a ``Bench`` on the fakes.
    bench: Callable[[System], Any] | None = None


def open_bench(system: System) -> Any:
    """The bench the system runs on: its backend's, else a ``Bench`` on the fakes."""
    return system.bench(system) if system.bench is not None else Bench(system)


def as_system(
    handler_or_system: Handler | System, setup: Callable[[FakeAWS], None] | None = None
) -> System:
    """A ``System`` as it is, or a bare ``(event, context)`` handler (after ``setup(aws)``)."""
    if isinstance(handler_or_system, System):
        return handler_or_system
    if not callable(handler_or_system):
        raise ConfigError(f"expected a handler (event, context) or a System, found "
                          f"{handler_or_system!r}")
    handler = handler_or_system

    def build(aws: FakeAWS) -> Handler:
        if setup is not None:
            setup(aws)
        return handler

    # A Lambda function name: a lambda's "<lambda>" would be refused.
    name = re.sub(r"[^a-zA-Z0-9-]", "", getattr(handler, "__name__", "").replace("_", "-"))
    return System(build=build, name=name or "handler")


@dataclass
class Run:
    """One run's raw outcome, the handler's AWS calls in order, and the faults log.

    ``handled`` counts the invocations that ended well (no error, no HTTP
    status >= 400, no batch item failure); ``failures`` names how the others
    ended (AWS's ``errorType``, or ``HTTP 500``). A property is only worth
    what reached a successful handling: see ``eventproof.properties.exercise``.
    ``answers`` are the HTTP statuses a client got back (``via="api"``).
    """

    outcome: dict[str, Any]
    calls: list[str]
    faults: str
    results: list[Any] = field(default_factory=list)
    handled: int = 0
    failures: list[str] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)

    @property
    def rejected(self) -> list[Any]:
        """What landed on the input dead-letter queue."""
        return list(self.outcome.get("queues", {}).get(INPUT_DLQ, []))

    def handled_all(self, messages: int) -> bool:
        """Every one of ``messages`` was handled successfully and none was dead-lettered."""
        return self.handled >= messages and not self.rejected


@dataclass(frozen=True)
class Delivery:
    """How messages reach the handler: the channel, and what the contract says of its shape.

    ``source`` and ``detail_type`` are the EventBridge event's; ``trigger``
    is the contract's ``x-eventproof.trigger`` (SNS message attributes, the
    stream event name, the API route...); ``keys`` its ``x-eventproof.key``.
    """

    via: Via
    source: str = INPUT_SOURCE
    detail_type: str = "message"
    trigger: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, hash=False)
    keys: tuple[str, ...] = ()

    @property
    def kind(self) -> DeliveryKind:
        return delivery_kind(self.via)

    def option(self, kind: str, name: str) -> Any:
        """The contract's ``x-eventproof.trigger.<kind>.<name>``, or None."""
        return self.trigger.get(kind, {}).get(name)


class Bench:
    """One environment, restored for every run: a property runs its system hundreds of times.

    A fresh ``FakeAWS`` per run would also mean fresh botocore clients
    (~20 ms each, and a handler typically makes two or three per
    invocation), and provisioning again costs some 30 boto3 calls per run.
    The bench keeps one environment bound for its whole lifetime, builds
    and wires the system once per delivery on an empty account, snapshots
    it (``FakeAWS.snapshot``), and restores that snapshot before each later
    run: each run is exactly as reproducible as on a fresh instance (same
    clock, same ids). A delivery whose wiring depends on the run's messages
    (``DeliveryKind.wire_reads_messages``) restores the built system and
    wires again. The handler ``build`` returned serves every run, as a warm
    Lambda does. The bench hands out one client or resource per distinct
    ``boto3`` request. Use it as a context manager: boto3 is patched while
    it is open.
    """

    def __init__(self, system: System) -> None:
        self.system = system
        self.aws = FakeAWS(seed=system.seed)
        self._stack = contextlib.ExitStack()
        self.trigger: Trigger | None = None
        self.answers: list[int] = []  # HTTP statuses a client got back in this run
        self.failures: list[str] = []  # failed handlings a delivery saw outside any invocation
        self.watchers: list[Callable[[ObservedCall], None]] = []
        self._built: Snapshot | None = None  # the system as ``build`` left it, unwired
        self._wired: dict[Delivery, tuple[Snapshot, Trigger]] = {}  # ... and wired per delivery

    def __enter__(self) -> Bench:
        self._stack.enter_context(self.aws.patch_boto3())
        self._stack.enter_context(reused_clients())
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stack.close()

    def client(self, service: str) -> Any:
        return boto3.DEFAULT_SESSION.client(service)

    def watch(self, callback: Callable[[ObservedCall], None]) -> None:
        """Call ``callback`` before every AWS call of every later run takes effect."""
        self.watchers.append(callback)

    def run(
        self,
        messages: Sequence[Any],
        *,
        via: Via | Delivery,
        copies: int = 1,
        crash: tuple[int, Literal["before", "after"]] | None = None,
        later: Sequence[float] = (),
    ) -> Run:
        """Restore the system as built and wired (build it the first time), deliver, drive to
        idle, observe.

        ``via`` is a delivery's name or a ``Delivery`` (with what the
        contract says of the trigger).

        ``copies``: each message reaches the handler that many times at once
        (duplicated on the trigger's fault channel, or sent again by the
        client where the trigger has none: an API request retried).
        ``later``: each entry sends one more copy of every message that many
        seconds after the first (a producer retry or a redelivery long after
        the first delivery), on top of the ``copies`` delivered at once.
        """
        aws, system = self.aws, self.system
        delivery = via if isinstance(via, Delivery) else Delivery(via)
        kind = delivery.kind
        if later and not kind.later_copies:
            raise ConfigError(f"via={kind.name!r} cannot send a copy later: {kind.summary}")
        self.answers, self.failures = [], []
        # Handlers calling boto3.client()/resource() would each build a default
        # session (~100 ms); the shared one holds no state of any environment.
        boto3.DEFAULT_SESSION = FakeAWS.session()
        trigger = self.trigger = self._provisioned(delivery, messages)
        calls: list[str] = []

        def count(call: ObservedCall) -> None:
            # Only the handler under test's calls: they are what a crash point counts.
            if call.invocation is not None and call.invocation.function_name == system.name:
                calls.append(f"{call.service}.{call.operation}")

        with contextlib.ExitStack() as observing:  # this run's observers only
            for callback in (count, *self.watchers):
                observing.enter_context(aws.faults.observe(callback))
            return self._deliver(delivery, trigger, calls, messages, copies, crash, later)

    def _provisioned(self, delivery: Delivery, messages: Sequence[Any]) -> Trigger:
        """The system built and wired for ``delivery``: restored from a snapshot after the first run."""
        aws, system, kind = self.aws, self.system, delivery.kind
        wired = self._wired.get(delivery)
        if wired is not None:
            aws.restore(wired[0])
            return wired[1]
        if self._built is not None:
            aws.restore(self._built)
        else:
            aws.reset()
            handler = system.build(aws)
            if not system.deployed:
                if handler is None:
                    raise ConfigError(f"the build of {system.name} returned no handler")
                aws.lambda_.register(system.name, handler, timeout=system.timeout)
            elif system.name not in aws.lambda_.functions:
                raise ConfigError(f"the build of {system.name} created no function {system.name!r}")
            self._built = aws.snapshot()
        # A system deployed with its triggers is fed through them (async invokes have none).
        own = system.own_trigger and kind.own is not None
        trigger = kind.own(self, delivery) if own and kind.own is not None else kind.wire(
            self, delivery, messages)
        if own or not kind.wire_reads_messages:
            self._wired[delivery] = (aws.snapshot(), trigger)
        return trigger

    def _deliver(
        self, delivery: Delivery, trigger: Trigger, calls: list[str], messages: Sequence[Any],
        copies: int, crash: tuple[int, Literal["before", "after"]] | None, later: Sequence[float],
    ) -> Run:
        aws, system, kind = self.aws, self.system, delivery.kind
        if copies > 1 and trigger.channel is not None:
            aws.faults.duplicate(trigger.channel, times=copies)
        if crash is not None:
            aws.faults.crash(system.name, at_call=crash[0], when=crash[1])
        send = functools.partial(kind.send, self, delivery, trigger)
        for message in messages:
            for _ in range(copies if trigger.channel is None else 1):
                send(message)
            for delay in later:
                aws.clock.call_later(delay, functools.partial(send, message),
                                     label=f"a copy {delay:g} s later")
        aws.run_until_idle()
        return self._observed(delivery, trigger, calls)

    def _observed(self, delivery: Delivery, trigger: Trigger, calls: list[str]) -> Run:
        from eventproof.properties.outcome import observe

        aws, kind = self.aws, delivery.kind
        outcome = observe(aws, input_queues=(trigger.queue or INPUT_QUEUE,))
        if trigger.dead_letter_queue is not None:
            # The properties know the input's dead-letter queue as INPUT_DLQ, whatever its name.
            outcome["queues"][INPUT_DLQ] = outcome["queues"].pop(trigger.dead_letter_queue, [])
        if trigger.table is not None:
            outcome["tables"].pop(trigger.table, None)  # the input, not an effect
        if kind.input_event is not None:
            is_input = kind.input_event
            outcome["events"] = {
                bus: kept for bus, events in outcome["events"].items()
                if (kept := [e for e in events if not is_input(e, delivery)])}
        invocations = aws.invocations(self.system.name)
        results = [i.payload for i in invocations]
        failures = [_failure(i) for i in invocations]
        return Run(outcome, calls, aws.faults.describe(), results, handled=failures.count(None),
                   failures=[*(f for f in failures if f is not None), *self.failures],
                   answers=list(self.answers))


def _failure(invocation: Any) -> str | None:
    """How an invocation failed (AWS's error type, an HTTP error status, a batch item failure)."""
    if invocation.error is not None:
        return str(invocation.error)
    result = invocation.result
    if isinstance(result, dict) and isinstance(result.get("statusCode"), int) and result["statusCode"] >= 400:
        return f"HTTP {result['statusCode']}"
    if isinstance(result, dict) and result.get("batchItemFailures"):
        return "batch item failure"
    return None


def reused_clients(made: dict[tuple[Any, ...], Any] | None = None) -> Patch[None]:
    """While open, equal ``create_client``/``resource`` requests get the same object back.

    ``made`` holds them; pass the same dict to reuse clients across blocks
    (e.g. one per hypothesis example), as long as they stay bound to the
    same (reset) environment.

    Clients hold no state of their own beyond configuration, so handing a
    handler the client it asked for last time is invisible to it; the
    environment they are bound to is reset, not replaced.
    """
    made = {} if made is None else made

    def reuse(original: Callable[..., Any]) -> Callable[..., Any]:
        def cached(session: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                key = (original, *args, *sorted(kwargs.items()))
                hash(key)
            except TypeError:
                return original(session, *args, **kwargs)
            if key not in made:
                made[key] = original(session, *args, **kwargs)
            return made[key]

        return cached

    return patched(
        "eventproof reused_clients",
        (botocore.session.Session, "create_client", reuse),
        (boto3.session.Session, "resource", reuse),
    )


def run_once(
    system: System,
    messages: Sequence[Any],
    *,
    via: Via,
    copies: int = 1,
    crash: tuple[int, Literal["before", "after"]] | None = None,
    later: Sequence[float] = (),
) -> Run:
    """One run on its own bench (a property keeps one ``Bench`` open for all its runs)."""
    with open_bench(system) as bench:
        return bench.run(messages, via=via, copies=copies, crash=crash, later=later)
