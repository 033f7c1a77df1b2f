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
from eventproof.properties.triggers import Deployed, Found, Trigger, the_one

if TYPE_CHECKING:
    from eventproof.properties.system import Bench, Delivery

INPUT_RULE = "eventproof-input"


def wire(bench: Bench, delivery: Delivery, messages: Sequence[Any]) -> Trigger:
    events = bench.client("events")
    pattern = {"source": [delivery.source], "detail-type": [delivery.detail_type]}
    rule = events.put_rule(Name=INPUT_RULE, EventPattern=json.dumps(pattern))
    events.put_targets(Rule=INPUT_RULE, Targets=[{"Id": "1", "Arn": function_arn(bench)}])
    return Trigger(f"events:{rule['RuleArn']}", {"bus": "default"})


def find(deployed: Deployed, delivery: Delivery) -> list[Found]:
    """The rules with an event pattern targeting the function (a schedule carries no message)."""
    events, found = deployed.client("events"), []
    for bus in events.list_event_buses().get("EventBuses", []):
        for rule in events.list_rules(EventBusName=bus["Name"]).get("Rules", []):
            if not rule.get("EventPattern"):
                continue
            targets = events.list_targets_by_rule(Rule=rule["Name"], EventBusName=bus["Name"])
            if any(t["Arn"] == deployed.arn for t in targets.get("Targets", [])):
                found.append(Found(f"EventBridge rule {rule['Name']} on bus {bus['Name']}",
                                   Trigger(f"events:{rule['Arn']}", {"bus": bus["Name"]})))
    return found


def own(bench: Bench, delivery: Delivery) -> Trigger:
    return the_one(bench.system.name, "eventbridge", find(Deployed.of(bench), delivery),
                   "rule with an event pattern targeting it",
                   "give the function one EventBridgeRule event in the template")


def send(bench: Bench, delivery: Delivery, trigger: Trigger, message: Any) -> None:
    bench.client("events").put_events(Entries=[{
        "EventBusName": trigger.address["bus"], "Source": delivery.source,
        "DetailType": delivery.detail_type, "Detail": body(message)}])


def is_input(event: dict[str, Any], delivery: Delivery) -> bool:
    return event.get("source") == delivery.source and event.get("detail-type") == delivery.detail_type


register_delivery(DeliveryKind(
    name="eventbridge",
    summary="an event on a bus matched by a rule; the message is its detail",
    wire=wire, own=own, find=find, send=send, redelivery="EventBridge's retries", input_event=is_input))
