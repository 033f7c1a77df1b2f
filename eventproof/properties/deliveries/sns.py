"""``via="sns"``: a message published on a topic with a Lambda subscription.

The message is the notification's ``Message``; its message attributes are
the contract's ``x-eventproof.trigger.sns.message-attributes`` (a string is a
``String``, a number a ``Number``, a list of strings a ``String.Array``), so
a subscription's filter policy lets it through. SNS invokes Lambda
asynchronously: copies are duplicate invocations (channel
``lambda:<function>``) and a failure is retried as any asynchronous invoke.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from eventproof.properties.deliveries.common import body, function_arn
from eventproof.properties.deliveries.registry import DeliveryKind, register_delivery
from eventproof.properties.triggers import Deployed, Found, Trigger, the_one

if TYPE_CHECKING:
    from eventproof.properties.system import Bench, Delivery

INPUT_TOPIC = "eventproof-input"


def wire(bench: Bench, delivery: Delivery, messages: Sequence[Any]) -> Trigger:
    sns = bench.client("sns")
    topic = sns.create_topic(Name=INPUT_TOPIC)["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=function_arn(bench))
    return Trigger(f"lambda:{bench.system.name}", {"topic": topic})


def find(deployed: Deployed, delivery: Delivery) -> list[Found]:
    sns, arn = deployed.client("sns"), deployed.arn.split(":")
    found: list[Found] = []
    for page in sns.get_paginator("list_subscriptions").paginate():
        found.extend(Found(f"SNS topic {s['TopicArn'].rsplit(':', 1)[-1]}",
                           Trigger(f"lambda:{deployed.function}", {"topic": s["TopicArn"]}))
                     for s in page.get("Subscriptions", [])
                     if s["Protocol"] == "lambda" and s["Endpoint"].split(":")[:7] == arn)
    return found


def own(bench: Bench, delivery: Delivery) -> Trigger:
    return the_one(bench.system.name, "sns", find(Deployed.of(bench), delivery), "SNS subscription",
                   "give the function one SNS event in the template")


def attributes(delivery: Delivery) -> dict[str, dict[str, str]]:
    """The contract's message attributes in ``Publish`` form."""
    declared = delivery.option("sns", "message-attributes") or {}
    result = {}
    for name, value in declared.items():
        if isinstance(value, list):
            result[name] = {"DataType": "String.Array", "StringValue": json.dumps(value)}
        elif isinstance(value, int | float) and not isinstance(value, bool):
            result[name] = {"DataType": "Number", "StringValue": str(value)}
        else:
            result[name] = {"DataType": "String", "StringValue": str(value)}
    return result


def send(bench: Bench, delivery: Delivery, trigger: Trigger, message: Any) -> None:
    topic = trigger.address["topic"]
    request: dict[str, Any] = {"TopicArn": topic, "Message": body(message)}
    if declared := attributes(delivery):
        request["MessageAttributes"] = declared
    bench.client("sns").publish(**request)


register_delivery(DeliveryKind(
    name="sns", summary="a topic with a Lambda subscription; the message is the notification's "
                        "Message, with the contract's message attributes",
    wire=wire, own=own, find=find, send=send, redelivery="Lambda's asynchronous retries of SNS's invoke"))
