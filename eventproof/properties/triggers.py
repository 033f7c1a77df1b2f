"""A system's own trigger: the SQS queue or EventBridge rule its build created for the function.

With ``System(own_trigger=True)`` (a function deployed from a template), the
bench delivers into the queue the function's event source mapping reads, or
onto the bus whose rule targets the function, instead of wiring a queue or
rule of its own: batch size, visibility timeout, redrive policy, filters
and input transformers are the template's. Found through the AWS APIs the
fakes answer, as a deployment script would.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eventproof.errors import ConfigError

if TYPE_CHECKING:
    from eventproof.properties.system import Bench, Delivery

__all__ = ["Trigger", "own_trigger"]


@dataclass(frozen=True)
class Trigger:
    """Where to send a message so that it reaches the function through its trigger."""

    channel: str  # the fault-injection channel (fakes.faults)
    queue_url: str | None = None
    queue: str | None = None
    dead_letter_queue: str | None = None
    bus: str | None = None


def own_trigger(bench: Bench, delivery: Delivery) -> Trigger:
    name = bench.system.name
    if delivery.via == "sqs":
        return _queue(bench, name)
    if delivery.via == "eventbridge":
        return _rule(bench, name)
    raise ConfigError(f"{name}: via={delivery.via!r} has no trigger of its own to deliver through")


def _queue(bench: Bench, function: str) -> Trigger:
    mappings = bench.client("lambda").list_event_source_mappings(FunctionName=function)
    queues = [m["EventSourceArn"] for m in mappings.get("EventSourceMappings", [])
              if m["EventSourceArn"].startswith("arn:aws:sqs:")]
    if len(queues) != 1:
        raise ConfigError(f"{function}: via='sqs' needs exactly one SQS event source, found "
                          f"{len(queues)}", hint="name the function's trigger queue in the template")
    sqs = bench.client("sqs")
    queue = queues[0].rsplit(":", 1)[-1]
    url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])
    policy = attributes.get("Attributes", {}).get("RedrivePolicy")
    dead_letters = None
    if policy:
        dead_letters = json.loads(policy)["deadLetterTargetArn"].rsplit(":", 1)[-1]
    return Trigger(f"sqs:{queue}", queue_url=url, queue=queue, dead_letter_queue=dead_letters)


def _rule(bench: Bench, function: str) -> Trigger:
    events = bench.client("events")
    arn = bench.aws.lambda_.function(function).arn
    found: list[tuple[str, dict[str, Any]]] = []
    for bus in events.list_event_buses().get("EventBuses", []):
        for rule in events.list_rules(EventBusName=bus["Name"]).get("Rules", []):
            targets = events.list_targets_by_rule(Rule=rule["Name"], EventBusName=bus["Name"])
            if any(t["Arn"] == arn for t in targets.get("Targets", [])):
                found.append((bus["Name"], rule))
    if len(found) != 1:
        raise ConfigError(f"{function}: via='eventbridge' needs exactly one rule targeting it, "
                          f"found {len(found)}")
    bus, rule = found[0]
    return Trigger(f"events:{rule['Arn']}", bus=bus)
