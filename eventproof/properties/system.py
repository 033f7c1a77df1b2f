"""A system under test on a fresh ``FakeAWS``, and the deliveries that feed it.

``System.build(aws)`` creates the system's resources (tables, buses, queues)
and returns the Lambda handler to run; it is called inside
``aws.patch_boto3()``, so boto3 clients made there or in the handler talk
to the fakes. Each run starts from a fresh environment with the same seed,
so two runs differ only in what the property changes (copies, a crash, an
order).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import boto3

from eventproof.errors import ConfigError
from fakes import FakeAWS
from fakes.environment import shared_session

__all__ = ["INPUT_QUEUE", "Run", "System", "Via", "as_system", "run"]

Via = Literal["sqs", "async", "eventbridge"]
Handler = Callable[[Any, Any], Any]
INPUT_QUEUE = "eventproof-input"
INPUT_DLQ = "eventproof-input-dlq"
INPUT_SOURCE = "eventproof.property"
_MAX_RECEIVES = 3  # redrive to the DLQ after this many receives


@dataclass(frozen=True)
class System:
    """How to stand the system up on a fresh environment and which handler to feed."""

    build: Callable[[FakeAWS], Handler]
    name: str = "handler-under-test"
    timeout: int = 30
    seed: int = 0


def as_system(handler_or_system: Any, setup: Callable[[FakeAWS], None] | None = None) -> System:
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
    """One run's raw outcome, the handler's AWS calls in order, and the faults log."""

    outcome: dict[str, Any]
    calls: list[str]
    faults: str
    results: list[Any] = field(default_factory=list)


def run(
    system: System,
    messages: Sequence[Any],
    *,
    via: Via,
    copies: int = 1,
    crash: tuple[int, Literal["before", "after"]] | None = None,
) -> Run:
    from eventproof.properties.outcome import observe

    aws = FakeAWS(seed=system.seed)
    calls: list[str] = []
    consult = aws.faults.before_call

    def counting(service: str, operation: str, params: dict[str, Any]) -> None:
        if aws.faults.current_invocation is not None:
            calls.append(f"{service}.{operation}")
        consult(service, operation, params)

    aws.faults.before_call = counting  # type: ignore[method-assign]
    with aws.patch_boto3():
        # Handlers calling boto3.client()/resource() would each build a default
        # session (~100 ms); the shared one holds no state of any environment.
        boto3.DEFAULT_SESSION = shared_session()
        handler = system.build(aws)
        aws.lambda_.register(system.name, handler, timeout=system.timeout)
        channel = _wire(aws, system, via)
        sends = 1
        if copies > 1 and via == "sqs":
            # The SQS fake's duplicate keeps a message visible, but the mapping deletes it
            # before polling again; k sends of the same body model the duplicate instead
            # (as a producer retry makes one): consumers must dedupe on the message's ids.
            sends = copies
        elif copies > 1:
            aws.faults.duplicate(channel, times=copies)
        if crash is not None:
            aws.faults.crash(system.name, at_call=crash[0], when=crash[1])
        for message in messages:
            for _ in range(sends):
                _send(aws, system, via, message)
        aws.run_until_idle()
        outcome = observe(aws, input_queues=(INPUT_QUEUE,))
        outcome["events"] = {
            bus: kept
            for bus, events in outcome["events"].items()
            if (kept := [e for e in events if e["source"] != INPUT_SOURCE])
        }
        results = [i.payload for i in aws.invocations(system.name)]
    return Run(outcome, calls, aws.faults.describe(), results)


def _wire(aws: FakeAWS, system: System, via: Via) -> str:
    function_arn = aws.lambda_.function(system.name).arn
    if via == "async":
        return f"lambda:{system.name}"
    if via == "sqs":
        sqs = aws.client("sqs")
        dlq = sqs.create_queue(QueueName=INPUT_DLQ)["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])
        policy = {"deadLetterTargetArn": dlq_arn["Attributes"]["QueueArn"],
                  "maxReceiveCount": _MAX_RECEIVES}
        url = sqs.create_queue(QueueName=INPUT_QUEUE, Attributes={
            "VisibilityTimeout": str(system.timeout * 2), "RedrivePolicy": json.dumps(policy)})
        arn = sqs.get_queue_attributes(QueueUrl=url["QueueUrl"], AttributeNames=["QueueArn"])
        aws.client("lambda").create_event_source_mapping(
            EventSourceArn=arn["Attributes"]["QueueArn"], FunctionName=system.name, BatchSize=1
        )
        return f"sqs:{INPUT_QUEUE}"
    if via == "eventbridge":
        events = aws.client("events")
        rule = events.put_rule(Name="eventproof-input",
                               EventPattern=json.dumps({"source": [INPUT_SOURCE]}))
        events.put_targets(Rule="eventproof-input", Targets=[{"Id": "1", "Arn": function_arn}])
        return f"events:{rule['RuleArn']}"
    raise ConfigError(f"unknown delivery {via!r}: expected sqs, async or eventbridge")


def _send(aws: FakeAWS, system: System, via: Via, message: Any) -> None:
    body = json.dumps(message)
    if via == "async":
        aws.lambda_.invoke_async(system.name, body)
    elif via == "sqs":
        sqs = aws.client("sqs")
        sqs.send_message(QueueUrl=sqs.get_queue_url(QueueName=INPUT_QUEUE)["QueueUrl"],
                         MessageBody=body)
    else:
        aws.client("events").put_events(Entries=[{
            "Source": INPUT_SOURCE, "DetailType": "message", "Detail": body}])
