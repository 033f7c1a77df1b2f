"""A stack: its template, parameters, what was built, its outputs; and how AWS describes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from eventproof_fakes.cloudformation.errors import Report
from eventproof_fakes.cloudformation.provisioner import Deployment
from eventproof_fakes.cloudformation.resources import Built

__all__ = ["Stack"]


@dataclass
class Stack:
    name: str
    stack_id: str
    template_body: str
    created: datetime
    status: str = "CREATE_IN_PROGRESS"
    status_reason: str | None = None
    deployment: Deployment | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    description: str | None = None
    tags: list[dict[str, str]] = field(default_factory=list)
    capabilities: list[str] = field(default_factory=list)
    updated: datetime | None = None

    # --- for tests ----------------------------------------------------------------
    @property
    def outputs(self) -> dict[str, str]:
        """Output key -> value, as ``describe_stacks`` gives them."""
        return {k: v["OutputValue"] for k, v in self._deployment.outputs.items()}

    @property
    def resources(self) -> dict[str, Built]:
        """Logical id -> what was built, in creation order."""
        return dict(self._deployment.resources)

    @property
    def report(self) -> Report:
        """What the template used that the fakes do not model."""
        return self._deployment.report

    @property
    def not_built(self) -> dict[str, str]:
        """Logical id -> why it was not created (false condition, not modelled)."""
        return dict(self._deployment.not_built)

    def physical_id(self, logical_id: str) -> str:
        built = self._deployment.resources.get(logical_id)
        if built is None:
            reason = self._deployment.not_built.get(logical_id, "no such resource")
            raise KeyError(f"stack {self.name} has no built resource {logical_id!r}: {reason}")
        return built.physical_id

    def attribute(self, logical_id: str, name: str) -> Any:
        """What ``Fn::GetAtt logical_id.name`` gives."""
        built = self._deployment.resources[logical_id]
        return built.attributes[name]

    @property
    def _deployment(self) -> Deployment:
        if self.deployment is None:
            raise KeyError(f"stack {self.name} has nothing built ({self.status}: {self.status_reason})")
        return self.deployment

    # --- AWS shapes ---------------------------------------------------------------
    def describe(self) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "StackId": self.stack_id,
            "StackName": self.name,
            "CreationTime": self.created,
            "StackStatus": self.status,
            "DisableRollback": False,
            "Parameters": [
                {"ParameterKey": k, "ParameterValue": v if isinstance(v, str) else ",".join(v)}
                for k, v in self.parameters.items()
            ],
            "Tags": list(self.tags),
            "Capabilities": list(self.capabilities),
            "DriftInformation": {"StackDriftStatus": "NOT_CHECKED"},
        }
        if self.description:
            answer["Description"] = self.description
        if self.status_reason:
            answer["StackStatusReason"] = self.status_reason
        if self.updated is not None:
            answer["LastUpdatedTime"] = self.updated
        if self.deployment is not None and self.deployment.outputs:
            answer["Outputs"] = [dict(v) for v in self.deployment.outputs.values()]
        return answer

    def resource_summaries(self, when: datetime) -> list[dict[str, Any]]:
        if self.deployment is None:
            return []
        return [
            {
                "StackName": self.name, "StackId": self.stack_id, "LogicalResourceId": built.logical_id,
                "PhysicalResourceId": built.physical_id, "ResourceType": built.type,
                "Timestamp": when, "LastUpdatedTimestamp": when, "ResourceStatus": "CREATE_COMPLETE",
                "DriftInformation": {"StackResourceDriftStatus": "NOT_CHECKED"},
            }
            for built in self.deployment.resources.values()
        ]
