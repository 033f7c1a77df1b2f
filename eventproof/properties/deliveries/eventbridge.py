"""``via="eventbridge"``: an event on a bus, matched by a rule targeting the function.

The event's source and detail-type are the contract's
(``x-eventproof.trigger.eventbridge``) or the caller's; the message is its
``detail``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from eventproof.properties.deliveries.common import body, function_arn
from eventproof.properties.deliveries.registry import DeliveryKind, register_delivery
from eventproof.properties.triggers import Trigger, exactly_one

if TYPE_CHECKING:
    from eventproof.properties.system import Bench, Delivery

INPUT_RULE = "eventproof-input"


def wire(bench: Bench, delivery: Delivery, messages: Sequence[Any]) -> Trigger:
    events = bench.client("events")
    pattern = {"source": [delivery.source], "detail-type": [delivery.detail_type]}
    rule = events.put_rule(Name=INPUT_RULE, EventPattern=json.dumps(pattern))
    events.put_targets(Rule=INPUT_RULE, Targets=[{"Id": "1", "Arn": function_arn(bench)}])
    return Trigger(f"events:{rule['RuleArn']}", {"bus": "default"})


def own(bench: Bench, delivery: Delivery) -> Trigger:
    events = bench.client("events")
    arn = function_arn(bench)
    found: list[tuple[str, dict[str, Any]]] = []
    for bus in events.list_event_buses().get("EventBuses", []):
        for rule in events.list_rules(EventBusName=bus["Name"]).get("Rules", []):
            targets = events.list_targets_by_rule(Rule=rule["Name"], EventBusName=bus["Name"])
            if any(t["Arn"] == arn for t in targets.get("Targets", [])):
                found.append((bus["Name"], rule))
    bus, rule = exactly_one(bench.system.name, "eventbridge", found, "rule targeting it",
                            "give the function one EventBridgeRule event in the template")
    return Trigger(f"events:{rule['Arn']}", {"bus": bus})


def send(bench: Bench, delivery: Delivery, trigger: Trigger, message: Any) -> None:
    bench.client("events").put_events(Entries=[{
        "EventBusName": trigger.address["bus"], "Source": delivery.source,
        "DetailType": delivery.detail_type, "Detail": body(message)}])


def is_input(event: dict[str, Any], delivery: Delivery) -> bool:
    return event.get("source") == delivery.source and event.get("detail-type") == delivery.detail_type


register_delivery(DeliveryKind(
    name="eventbridge",
    summary="an event on a bus matched by a rule; the message is its detail",
    wire=wire, own=own, send=send, redelivery="EventBridge's retries", input_event=is_input))
