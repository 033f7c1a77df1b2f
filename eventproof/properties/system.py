"""A system under test on a ``FakeAWS``, and the deliveries that feed it.

``System.build(aws)`` creates the system's resources (tables, buses, queues)
and returns the Lambda handler to run; it is called inside
``aws.patch_boto3()``, so boto3 clients made there or in the handler talk
to the fakes. A bench builds and wires a system once per delivery, on an
empty account (``FakeAWS.reset``: clock at zero, ids from the same seed),
snapshots that environment (``FakeAWS.snapshot``) and restores the
snapshot before every run, so two runs differ only in what the property
changes (copies, a crash, an order). The handler ``build`` returned serves
every run, as a warm Lambda would: it must reach the fakes through boto3
or through ``aws`` at call time (``aws.clock`` is replaced by a restore),
not hold a backend object of its own.
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import boto3
import boto3.session
import botocore.session

from eventproof.errors import ConfigError
from eventproof.properties.triggers import Trigger, own_trigger
from fakes import FakeAWS
from fakes.faults import ObservedCall
from fakes.patching import Patch, patched
from fakes.snapshots import Snapshot

__all__ = [
    "INPUT_QUEUE",
    "Bench",
    "Delivery",
    "Handler",
    "Run",
    "System",
    "Via",
    "as_system",
    "reused_clients",
    "run_once",
]

Via = Literal["sqs", "async", "eventbridge"]
Handler = Callable[[Any, Any], Any]
INPUT_QUEUE = "eventproof-input"
INPUT_DLQ = "eventproof-input-dlq"
INPUT_SOURCE = "eventproof.property"  # EventBridge source when neither contract nor caller names one
_MAX_RECEIVES = 3  # redrive to the DLQ after this many receives


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
    # Deliver through the queue or rule ``build`` created for the function
    # (eventproof.properties.triggers), not through one the bench wires.
    own_trigger: bool = False


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

    return System(build=build, name=getattr(handler, "__name__", "handler").replace("_", "-"))


@dataclass
class Run:
    """One run's raw outcome, the handler's AWS calls in order, and the faults log.

    ``handled`` counts the invocations that ended well (no error, no HTTP
    status >= 400); ``failures`` names how the others ended (AWS's
    ``errorType``, or ``HTTP 500``). A property is only worth what reached
    a successful handling: see ``eventproof.properties.exercise``.
    """

    outcome: dict[str, Any]
    calls: list[str]
    faults: str
    results: list[Any] = field(default_factory=list)
    handled: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> list[Any]:
        """What landed on the input dead-letter queue."""
        return list(self.outcome.get("queues", {}).get(INPUT_DLQ, []))

    def handled_all(self, messages: int) -> bool:
        """Every one of ``messages`` was handled successfully and none was dead-lettered."""
        return self.handled >= messages and not self.rejected


@dataclass(frozen=True)
class Delivery:
    """How messages reach the handler: the channel and, for EventBridge, the event's metadata."""

    via: Via
    source: str = INPUT_SOURCE
    detail_type: str = "message"


class Bench:
    """One environment, restored for every run: a property runs its system hundreds of times.

    A fresh ``FakeAWS`` per run would also mean fresh botocore clients
    (~20 ms each, and a handler typically makes two or three per
    invocation), and provisioning again costs some 30 boto3 calls per run.
    The bench keeps one environment bound for its whole lifetime, builds
    and wires the system once per delivery on an empty account, snapshots
    it, and restores that snapshot before each later run (each run is
    exactly as reproducible as on a fresh instance: same clock, same ids),
    and hands out one client or resource per distinct ``boto3`` request.
    Use it as a context manager: boto3 is patched while it is open.
    """

    def __init__(self, system: System) -> None:
        self.system = system
        self.aws = FakeAWS(seed=system.seed)
        self._stack = contextlib.ExitStack()
        self.trigger: Trigger | None = None
        # Per delivery: the environment just built and wired, the channel, the trigger.
        self._snapshots: dict[Delivery, tuple[Snapshot, str, Trigger | None]] = {}

    def __enter__(self) -> Bench:
        self._stack.enter_context(self.aws.patch_boto3())
        self._stack.enter_context(reused_clients())
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stack.close()

    def client(self, service: str) -> Any:
        return boto3.DEFAULT_SESSION.client(service)

    def run(
        self,
        messages: Sequence[Any],
        *,
        via: Via | Delivery,
        copies: int = 1,
        crash: tuple[int, Literal["before", "after"]] | None = None,
        later: Sequence[float] = (),
    ) -> Run:
        """Restore the system as built (build it the first time), deliver, drive to idle, observe.

        ``via`` is a channel name or a ``Delivery`` (EventBridge source and
        detail-type included).

        ``later``: each entry sends one more copy of every message that many
        seconds after the first (a producer retry or a redelivery long after
        the first delivery), on top of the ``copies`` delivered at once.
        """
        aws, system = self.aws, self.system
        delivery = via if isinstance(via, Delivery) else Delivery(via)
        # Handlers calling boto3.client()/resource() would each build a default
        # session (~100 ms); the shared one holds no state of any environment.
        boto3.DEFAULT_SESSION = FakeAWS.session()
        channel = self._provisioned(delivery)
        calls: list[str] = []

        def count(call: ObservedCall) -> None:
            # Only the handler under test's calls: they are what a crash point counts.
            if call.invocation is not None and call.invocation.function_name == system.name:
                calls.append(f"{call.service}.{call.operation}")

        with aws.faults.observe(count):
            return self._deliver(delivery, channel, calls, messages, copies, crash, later)

    def _provisioned(self, delivery: Delivery) -> str:
        """Build and wire once per delivery and snapshot; every later run restores the snapshot."""
        aws, system = self.aws, self.system
        provisioned = self._snapshots.get(delivery)
        if provisioned is not None:
            snapshot, channel, self.trigger = provisioned
            aws.restore(snapshot)
            return channel
        aws.reset()
        handler = system.build(aws)
        if not system.deployed:
            if handler is None:
                raise ConfigError(f"the build of {system.name} returned no handler")
            aws.lambda_.register(system.name, handler, timeout=system.timeout)
        elif system.name not in aws.lambda_.functions:
            raise ConfigError(f"the build of {system.name} created no function {system.name!r}")
        channel = _wire(self, delivery)
        self._snapshots[delivery] = (aws.snapshot(), channel, self.trigger)
        return channel

    def _deliver(
        self, delivery: Delivery, channel: str, calls: list[str], messages: Sequence[Any],
        copies: int, crash: tuple[int, Literal["before", "after"]] | None, later: Sequence[float],
    ) -> Run:
        from eventproof.properties.outcome import observe

        aws, system = self.aws, self.system
        if copies > 1:
            aws.faults.duplicate(channel, times=copies)
        if crash is not None:
            aws.faults.crash(system.name, at_call=crash[0], when=crash[1])
        for message in messages:
            _send(self, delivery, message)
            for delay in later:
                aws.clock.call_later(delay, functools.partial(_send, self, delivery, message),
                                     label=f"a copy {delay:g} s later")
        aws.run_until_idle()
        trigger = self.trigger
        outcome = observe(aws, input_queues=(trigger.queue if trigger and trigger.queue
                                             else INPUT_QUEUE,))
        if trigger is not None and trigger.dead_letter_queue is not None:
            # The properties know the input's dead-letter queue as INPUT_DLQ, whatever its name.
            outcome["queues"][INPUT_DLQ] = outcome["queues"].pop(trigger.dead_letter_queue, [])
        outcome["events"] = {
            bus: kept
            for bus, events in outcome["events"].items()
            if (kept := [e for e in events if not _is_input(e, delivery)])
        }
        invocations = aws.invocations(system.name)
        results = [i.payload for i in invocations]
        failures = [_failure(i) for i in invocations]
        return Run(outcome, calls, aws.faults.describe(), results,
                   handled=failures.count(None), failures=[f for f in failures if f is not None])


def _failure(invocation: Any) -> str | None:
    """How an invocation failed (AWS's error type, or an HTTP error status), or None."""
    if invocation.error is not None:
        return str(invocation.error)
    result = invocation.result
    if isinstance(result, dict) and isinstance(result.get("statusCode"), int) and result["statusCode"] >= 400:
        return f"HTTP {result['statusCode']}"
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
    with Bench(system) as bench:
        return bench.run(messages, via=via, copies=copies, crash=crash, later=later)


def _is_input(event: dict[str, Any], delivery: Delivery) -> bool:
    return delivery.via == "eventbridge" and event.get("source") == delivery.source and (
        event.get("detail-type") == delivery.detail_type)


def _wire(bench: Bench, delivery: Delivery) -> str:
    aws, system = bench.aws, bench.system
    via = delivery.via
    bench.trigger = None
    if system.own_trigger and via != "async":
        bench.trigger = own_trigger(bench, delivery)
        return bench.trigger.channel
    function_arn = aws.lambda_.function(system.name).arn
    if via == "async":
        return f"lambda:{system.name}"
    if via == "sqs":
        sqs = bench.client("sqs")
        dlq = sqs.create_queue(QueueName=INPUT_DLQ)["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])
        policy = {"deadLetterTargetArn": dlq_arn["Attributes"]["QueueArn"],
                  "maxReceiveCount": _MAX_RECEIVES}
        url = sqs.create_queue(QueueName=INPUT_QUEUE, Attributes={
            "VisibilityTimeout": str(system.timeout * 2), "RedrivePolicy": json.dumps(policy)})
        arn = sqs.get_queue_attributes(QueueUrl=url["QueueUrl"], AttributeNames=["QueueArn"])
        bench.client("lambda").create_event_source_mapping(
            EventSourceArn=arn["Attributes"]["QueueArn"], FunctionName=system.name, BatchSize=1
        )
        return f"sqs:{INPUT_QUEUE}"
    if via == "eventbridge":
        events = bench.client("events")
        pattern = {"source": [delivery.source], "detail-type": [delivery.detail_type]}
        rule = events.put_rule(Name="eventproof-input", EventPattern=json.dumps(pattern))
        events.put_targets(Rule="eventproof-input", Targets=[{"Id": "1", "Arn": function_arn}])
        return f"events:{rule['RuleArn']}"
    raise ConfigError(f"unknown delivery {via!r}: expected sqs, async or eventbridge")


def _send(bench: Bench, delivery: Delivery, message: Any) -> None:
    aws, system = bench.aws, bench.system
    via = delivery.via
    body = json.dumps(message)
    if via == "async":
        aws.lambda_.invoke_async(system.name, body)
    elif bench.trigger is not None and bench.trigger.queue_url is not None:
        bench.client("sqs").send_message(QueueUrl=bench.trigger.queue_url, MessageBody=body)
    elif bench.trigger is not None and bench.trigger.bus is not None:
        bench.client("events").put_events(Entries=[{
            "EventBusName": bench.trigger.bus, "Source": delivery.source,
            "DetailType": delivery.detail_type, "Detail": body}])
    elif via == "sqs":
        # The bench made the queue: its URL is known without a GetQueueUrl per message.
        bench.client("sqs").send_message(QueueUrl=bench.aws.sqs.queue_url(INPUT_QUEUE),
                                         MessageBody=body)
    else:
        bench.client("events").put_events(Entries=[{
            "Source": delivery.source, "DetailType": delivery.detail_type, "Detail": body}])
