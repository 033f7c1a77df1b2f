"""``via="sqs"``: a standard queue with a redrive policy, read by an event source mapping."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from eventproof.properties.deliveries.common import body
from eventproof.properties.deliveries.registry import DeliveryKind, register_delivery
from eventproof.properties.triggers import Deployed, Found, Trigger, event_sources, the_one

if TYPE_CHECKING:
    from eventproof.properties.system import Bench, Delivery, Run

INPUT_QUEUE = "eventproof-input"
INPUT_DLQ = "eventproof-input-dlq"
_MAX_RECEIVES = 3  # redrive to the DLQ after this many receives


def wire(bench: Bench, delivery: Delivery, messages: Sequence[Any]) -> Trigger:
    sqs = bench.client("sqs")
    dlq = sqs.create_queue(QueueName=INPUT_DLQ)["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])
    policy = {"deadLetterTargetArn": dlq_arn["Attributes"]["QueueArn"],
              "maxReceiveCount": _MAX_RECEIVES}
    url = sqs.create_queue(QueueName=INPUT_QUEUE, Attributes={
        "VisibilityTimeout": str(bench.system.timeout * 2), "RedrivePolicy": json.dumps(policy)})
    arn = sqs.get_queue_attributes(QueueUrl=url["QueueUrl"], AttributeNames=["QueueArn"])
    bench.client("lambda").create_event_source_mapping(
        EventSourceArn=arn["Attributes"]["QueueArn"], FunctionName=bench.system.name, BatchSize=1)
    return Trigger(f"sqs:{INPUT_QUEUE}", {"queue_url": url["QueueUrl"]}, queue=INPUT_QUEUE,
                   dead_letter_queue=INPUT_DLQ)


def find(deployed: Deployed, delivery: Delivery) -> list[Found]:
    sqs, found = deployed.client("sqs"), []
    for arn in event_sources(deployed, "sqs"):
        queue = arn.rsplit(":", 1)[-1]
        url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])
        policy = attributes.get("Attributes", {}).get("RedrivePolicy")
        dead_letters = None
        if policy:
            dead_letters = json.loads(policy)["deadLetterTargetArn"].rsplit(":", 1)[-1]
        found.append(Found(f"SQS queue {queue}", Trigger(
            f"sqs:{queue}", {"queue_url": url}, queue=queue, dead_letter_queue=dead_letters)))
    return found


def own(bench: Bench, delivery: Delivery) -> Trigger:
    return the_one(bench.system.name, "sqs", find(Deployed.of(bench), delivery), "SQS event source",
                   "name the function's trigger queue in the template")


def send(bench: Bench, delivery: Delivery, trigger: Trigger, message: Any) -> None:
    bench.client("sqs").send_message(QueueUrl=trigger.address["queue_url"], MessageBody=body(message))


def dead_lettered(run: Run) -> bool:
    return bool(run.rejected)


register_delivery(DeliveryKind(
    name="sqs", summary="an SQS queue read by an event source mapping; the message is a record's body",
    wire=wire, own=own, find=find, send=send, redelivery="SQS visibility timeout",
    rejected=dead_lettered, rejection="the message ends on the dead-letter queue"))
