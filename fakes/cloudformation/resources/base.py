"""What every resource type's provisioner shares: the context it works in and what it returns."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

__all__ = [
    "Built",
    "ResourceContext",
    "ResourceType",
    "Skip",
    "json_text",
    "physical_name",
    "short_name",
    "tags_dict",
    "text",
]


@dataclass
class Built:
    """One provisioned resource: its physical id, what ``Ref`` and ``Fn::GetAtt`` answer, its wiring."""

    logical_id: str
    type: str
    physical_id: str
    ref: Any
    attributes: dict[str, Any] = field(default_factory=dict)
    wired_to: list[str] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)  # as resolved when it was created
    # What delete needs to undo it (client name, call, arguments), in order.
    undo: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)


@dataclass
class ResourceContext:
    """Everything a resource type's ``create`` may use besides its resolved properties."""

    logical_id: str
    stack_name: str
    region: str
    account_id: str
    client: Callable[[str], Any]
    not_modelled: Callable[[str, str], None]  # (property, detail)
    code_folder: Callable[[dict[str, Any], dict[str, Any]], Path | None]
    metadata: dict[str, Any] = field(default_factory=dict)

    def name(self, max_length: int, suffix: str = "") -> str:
        return physical_name(self.stack_name, self.logical_id, max_length, suffix)

    def arn(self, service: str, resource: str, *, regional: bool = True) -> str:
        region = self.region if regional else ""
        return f"arn:aws:{service}:{region}:{self.account_id}:{resource}"


def physical_name(stack: str, logical_id: str, max_length: int, suffix: str = "") -> str:
    """CloudFormation's generated name, ``stack-LogicalId-RANDOM``; here the random part is a hash."""
    digest = hashlib.sha256(f"{stack}/{logical_id}".encode()).hexdigest().upper()
    random = "".join(c for c in digest if c.isalnum())[:12]
    room = max_length - len(random) - len(suffix) - 2
    stack_part = stack[: max(room // 2, room - len(logical_id))]
    logical_part = logical_id[: room - len(stack_part)]
    return f"{stack_part}-{logical_part}-{random}{suffix}"


class Skip(Exception):
    """The resource cannot be built here; what it lacks was already reported as not modelled."""


class ResourceType:
    """One CloudFormation resource type: its documented properties and how to create it.

    ``documented`` lists every property AWS documents for the type;
    ``not_modelled`` maps the ones the fakes do not model to why. A property
    outside ``documented`` is a template error (CloudFormation refuses it too);
    one in ``not_modelled`` is reported and left out.
    """

    type_name: ClassVar[str]
    documented: ClassVar[frozenset[str]]
    not_modelled: ClassVar[dict[str, str]] = {}
    required: ClassVar[tuple[str, ...]] = ()

    def create(self, props: dict[str, Any], ctx: ResourceContext) -> Built:
        raise NotImplementedError

    def built(self, ctx: ResourceContext, physical_id: str, ref: Any, **attributes: Any) -> Built:
        return Built(ctx.logical_id, self.type_name, physical_id, ref, dict(attributes))


def json_text(value: Any) -> str:
    """A policy or pattern property: CloudFormation takes it as JSON text or as an object."""
    import json

    return value if isinstance(value, str) else json.dumps(value)


def tags_dict(tags: Any) -> dict[str, str]:
    if isinstance(tags, dict):
        return {str(k): str(v) for k, v in tags.items()}
    return {str(t["Key"]): str(t["Value"]) for t in tags or []}


def text(value: Any) -> str:
    """A property value as the string an AWS attribute takes (booleans in lower case)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def short_name(arn_or_url: Any) -> str:
    """The last part of an ARN or URL: what a person reads in the wiring column."""
    text = str(arn_or_url)
    if text.startswith("arn:") and text.count(":") >= 5:
        resource = text.split(":", 5)[5]
        if "/stream/" in resource:  # a DynamoDB stream: name its table
            return f"{resource.split('/')[1]} stream"
        return resource.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    return text.rsplit("/", 1)[-1]
