"""Buses, rules and targets as the EventBridge fake stores them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from eventproof_fakes.event_patterns import CompiledPattern, PatternIndex


@dataclass
class Rule:
    name: str
    arn: str
    bus_name: str
    state: str = "ENABLED"
    event_pattern: str | None = None
    compiled: CompiledPattern | None = None
    schedule_expression: str | None = None
    description: str | None = None
    role_arn: str | None = None
    targets: dict[str, dict[str, Any]] = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "Name": self.name,
            "Arn": self.arn,
            "State": self.state,
            "EventBusName": self.bus_name,
        }
        optional = {
            "EventPattern": self.event_pattern,
            "ScheduleExpression": self.schedule_expression,
            "Description": self.description,
            "RoleArn": self.role_arn,
        }
        described.update({key: value for key, value in optional.items() if value is not None})
        return described


@dataclass
class Bus:
    name: str
    arn: str
    created: datetime
    description: str | None = None
    rules: dict[str, Rule] = field(default_factory=dict)
    index: PatternIndex[str] = field(default_factory=PatternIndex)
    events: list[dict[str, Any]] = field(default_factory=list)

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "Name": self.name,
            "Arn": self.arn,
            "CreationTime": self.created,
            "LastModifiedTime": self.created,
        }
        if self.description is not None:
            described["Description"] = self.description
        return described

    def refile(self, rule: Rule) -> None:
        """Only enabled rules with a pattern take part in matching."""
        if rule.state == "ENABLED" and rule.compiled is not None:
            self.index.add(rule.name, rule.compiled)
        else:
            self.index.remove(rule.name)


@dataclass
class Delivery:
    """One attempt to hand an event to a target (inspection API)."""

    rule_name: str
    target_id: str
    target_arn: str
    event_id: str
    input: str
    attempt: int
    time: float
    error: str | None = None
    dead_lettered: bool = False
