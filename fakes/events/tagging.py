"""EventBridge resource tags and ListRuleNamesByTarget.

Tags belong to a rule or a bus, by ARN (AWS's limit: 50 per resource);
``PutRule`` and ``CreateEventBus`` tag what they create.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventproof_fakes.errors import AWSError
from eventproof_fakes.events.listing import paged
from eventproof_fakes.operations import operation

if TYPE_CHECKING:
    from eventproof_fakes.events.model import Bus

__all__ = ["TagOperations"]

_MAX_TAGS = 50


class TagOperations:
    buses: dict[str, Bus]
    tags: dict[str, dict[str, str]]

    def _resource_exists(self, arn: str) -> bool:
        for bus in self.buses.values():
            if bus.arn == arn or any(rule.arn == arn for rule in bus.rules.values()):
                return True
        return False

    def _tagged(self, arn: str) -> dict[str, str]:
        if not self._resource_exists(arn):
            name = arn.rsplit("/", 1)[-1]
            raise AWSError("ResourceNotFoundException", f"Resource {name} does not exist.")
        return self.tags.setdefault(arn, {})

    def add_tags(self, arn: str, tags: list[dict[str, str]]) -> None:
        merged = {**self._tagged(arn), **{t["Key"]: t["Value"] for t in tags}}
        if len(merged) > _MAX_TAGS:
            raise AWSError(
                "LimitExceededException",
                f"The request would cause the resource to exceed the limit of {_MAX_TAGS} tags.",
            )
        self.tags[arn] = merged

    @operation
    def tag_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        self.add_tags(params["ResourceARN"], params["Tags"])
        return {}

    @operation
    def untag_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        tags = self._tagged(params["ResourceARN"])
        for key in params["TagKeys"]:
            tags.pop(key, None)
        return {}

    @operation
    def list_tags_for_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        tags = self._tagged(params["ResourceARN"])
        return {"Tags": [{"Key": k, "Value": v} for k, v in sorted(tags.items())]}

    @operation
    def list_rule_names_by_target(self, params: dict[str, Any]) -> dict[str, Any]:
        name = params.get("EventBusName") or "default"
        name = name.rsplit("event-bus/", 1)[-1] if name.startswith("arn:") else name
        bus = self.buses.get(name)
        if bus is None:
            raise AWSError("ResourceNotFoundException", f"Event bus {name} does not exist.")
        target = params["TargetArn"]
        names = [
            rule_name
            for rule_name, rule in sorted(bus.rules.items())
            if any(t["Arn"] == target for t in rule.targets.values())
        ]
        return paged(names, params, "RuleNames")
