"""A setup project's handler on moto: its function, and the input the bench wires for it.

A project with ``setup = "module:function"`` creates its resources itself;
the handler (``module:function`` in the project folder) gets the input the
fakes' ``Bench`` would wire: an SQS queue with a dead-letter queue (three
receives) read one message at a time, a rule on the default bus matching
the delivery's source and detail-type, or direct asynchronous invocations.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eventproof.project.backends.drive import Route, SqsMapping
from eventproof.project.backends.runtime import FunctionSpec
from eventproof.properties.system import INPUT_DLQ, INPUT_QUEUE, Delivery

__all__ = ["INPUT_RULE", "SetupSystem", "wire_input"]

INPUT_RULE = "eventproof-input"
_MAX_RECEIVES = 3  # as the fakes' bench: redrive to the DLQ after this many receives


@dataclass(frozen=True)
class SetupSystem:
    """The project's setup function and the handler's function, deployed by eventproof itself."""

    setup: Callable[[Any], None]
    spec: FunctionSpec


def wire_input(client: Callable[[str], Any], spec: FunctionSpec, delivery: Delivery
               ) -> tuple[list[SqsMapping], list[Route]]:
    """Create the input queue or rule for ``spec``'s function; async needs neither."""
    if delivery.via == "sqs":
        sqs = client("sqs")
        dead_letters = sqs.create_queue(QueueName=INPUT_DLQ)["QueueUrl"]
        policy = {"deadLetterTargetArn": _arn(sqs, dead_letters), "maxReceiveCount": _MAX_RECEIVES}
        url = sqs.create_queue(QueueName=INPUT_QUEUE, Attributes={
            "VisibilityTimeout": str(int(spec.timeout) * 2), "RedrivePolicy": json.dumps(policy)})["QueueUrl"]
        return [SqsMapping(spec.name, _arn(sqs, url), url, 1, False)], []
    if delivery.via == "eventbridge":
        pattern = json.dumps({"source": [delivery.source], "detail-type": [delivery.detail_type]})
        rule = client("events").put_rule(Name=INPUT_RULE, EventPattern=pattern)
        return [], [Route(spec.name, "default", INPUT_RULE, rule["RuleArn"], pattern)]
    return [], []


def _arn(sqs: Any, url: str) -> str:
    return str(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"])
