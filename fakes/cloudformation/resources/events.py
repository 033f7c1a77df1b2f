"""EventBridge buses and rules (with their targets), and EventBridge Pipes."""

from __future__ import annotations

from typing import Any

from eventproof_fakes.cloudformation.resources.base import (
    Built,
    ResourceContext,
    ResourceType,
    json_text,
    short_name,
)

__all__ = ["EventBus", "Pipe", "Rule"]


class EventBus(ResourceType):
    type_name = "AWS::Events::EventBus"
    documented = frozenset({
        "DeadLetterConfig", "Description", "EventSourceName", "KmsKeyIdentifier", "LogConfig",
        "Name", "Policy", "Tags",
    })
    not_modelled = {
        "DeadLetterConfig": "bus-level dead-letter queues are not modelled (rule targets' are)",
        "EventSourceName": "partner event sources are not modelled",
        "KmsKeyIdentifier": "encryption is not modelled",
        "LogConfig": "bus logging is not modelled",
        "Policy": "bus resource policies are not modelled (permissions are not enforced)",
        "Tags": "the fake EventBridge does not store tags",
    }
    required = ("Name",)

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        request = {"Name": props["Name"]}
        if "Description" in props:
            request["Description"] = props["Description"]
        arn = ctx.client("events").create_event_bus(**request)["EventBusArn"]
        built = self.built(ctx, props["Name"], props["Name"], Arn=arn, Name=props["Name"])
        built.undo.append(("events", "delete_event_bus", {"Name": props["Name"]}))
        return built


class Rule(ResourceType):
    type_name = "AWS::Events::Rule"
    documented = frozenset({
        "Description", "EventBusName", "EventPattern", "Name", "RoleArn", "ScheduleExpression",
        "State", "Targets",
    })
    _TARGET_KEYS = frozenset({
        "Arn", "Id", "Input", "InputPath", "InputTransformer", "RetryPolicy", "DeadLetterConfig",
        "RoleArn", "SqsParameters",
    })

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        name = props.get("Name") or ctx.name(64)
        bus = props.get("EventBusName")
        bus_name = short_name(bus) if bus and str(bus).startswith("arn:") else bus
        request: dict[str, Any] = {"Name": name}
        if bus_name:
            request["EventBusName"] = bus_name
        if "EventPattern" in props:
            request["EventPattern"] = json_text(props["EventPattern"])
        for key in ("ScheduleExpression", "State", "Description", "RoleArn"):
            if key in props:
                request[key] = props[key]
        events = ctx.client("events")
        arn = events.put_rule(**request)["RuleArn"]
        ref = f"{bus_name}|{name}" if bus_name and bus_name != "default" else name
        built = self.built(ctx, ref, ref, Arn=arn)
        if "ScheduleExpression" in props:
            built.wired_to.append(f"schedule {props['ScheduleExpression']}")
        targets = []
        for target in props.get("Targets") or []:
            for key in set(target) - self._TARGET_KEYS:
                ctx.not_modelled(f"Targets[{target.get('Id')}].{key}", "this kind of target parameter is not modelled")
            entry = {key: target[key] for key in self._TARGET_KEYS if key in target}
            if "RetryPolicy" in entry:
                entry["RetryPolicy"] = {k: int(v) for k, v in entry["RetryPolicy"].items()}
            targets.append(entry)
            extras = [k for k in ("Input", "InputPath", "InputTransformer", "RetryPolicy", "DeadLetterConfig") if k in entry]
            built.wired_to.append(f"-> {short_name(entry['Arn'])}" + (f" [{', '.join(extras)}]" if extras else ""))
        if targets:
            events.put_targets(Rule=name, Targets=targets, **({"EventBusName": bus_name} if bus_name else {}))
            built.undo.append((
                "events", "remove_targets",
                {"Rule": name, "Ids": [t["Id"] for t in targets], **({"EventBusName": bus_name} if bus_name else {})},
            ))
        built.undo.append(("events", "delete_rule", {"Name": name, **({"EventBusName": bus_name} if bus_name else {})}))
        return built


class Pipe(ResourceType):
    type_name = "AWS::Pipes::Pipe"
    documented = frozenset({
        "Description", "DesiredState", "Enrichment", "EnrichmentParameters", "KmsKeyIdentifier",
        "LogConfiguration", "Name", "RoleArn", "Source", "SourceParameters", "Tags", "Target",
        "TargetParameters",
    })
    not_modelled = {
        "KmsKeyIdentifier": "encryption is not modelled",
        "LogConfiguration": "pipe logging is not modelled",
    }
    required = ("RoleArn", "Source", "Target")
    _PASSED = ("Description", "DesiredState", "Enrichment", "EnrichmentParameters", "RoleArn",
               "Source", "SourceParameters", "Target", "TargetParameters", "Tags")

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        name = props.get("Name") or ctx.name(64)
        request = {key: props[key] for key in self._PASSED if key in props}
        source = dict(request.get("SourceParameters") or {})
        criteria = source.get("FilterCriteria")
        if criteria:
            source["FilterCriteria"] = {
                "Filters": [{"Pattern": json_text(f["Pattern"])} for f in criteria.get("Filters", [])]
            }
            request["SourceParameters"] = source
        arn = ctx.client("pipes").create_pipe(Name=name, **request)["Arn"]
        built = self.built(ctx, name, name, Arn=arn)
        extras = [k for k in ("FilterCriteria",) if criteria] + [
            k for k in ("InputTemplate",) if k in (props.get("TargetParameters") or {})
        ]
        built.wired_to.append(
            f"{short_name(props['Source'])} -> {short_name(props['Target'])}"
            + (f" [{', '.join(extras)}]" if extras else "")
        )
        built.undo.append(("pipes", "delete_pipe", {"Name": name}))
        return built
