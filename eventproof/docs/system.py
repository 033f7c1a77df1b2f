"""The system map: producers -> channels (queues, topics, buses, streams, pipes) -> consumers.

With a template, the wiring is what the fakes' CloudFormation built from it
(event source mappings, rules and their targets, subscriptions, pipes, APIs,
and the resources a function's environment names, which is where it sends);
the contracts label each arrow with the messages that travel on it. Without
a template, the contracts alone draw it: each producer -> the contract's
channel (its ``trigger``, or the contract itself) -> each consumer.

A site over several projects (``eventproof docs build --config A --config B``)
merges their maps (``merge``): each template's resources form a group named
after its project (a Mermaid subgraph), their node ids prefixed with it so two
stacks' same logical id stay two nodes; components named by the contracts
(outside every template) are shared.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eventproof.catalog import Catalog

__all__ = ["MapEdge", "MapNode", "SystemMap", "anchor", "from_contracts", "from_template", "merge", "mermaid"]

_NODE_TYPES = {
    "AWS::Lambda::Function": "function", "AWS::SQS::Queue": "queue", "AWS::SNS::Topic": "topic",
    "AWS::Events::EventBus": "bus", "AWS::Kinesis::Stream": "stream", "AWS::DynamoDB::Table": "table",
    "AWS::Pipes::Pipe": "pipe", "AWS::ApiGateway::RestApi": "api", "AWS::ApiGatewayV2::Api": "api",
    "AWS::S3::Bucket": "bucket", "AWS::StepFunctions::StateMachine": "state machine",
}
_TRIGGER_KINDS = {"eventbridge": "bus", "sqs": "queue", "sns": "topic", "kinesis": "stream"}


@dataclass
class MapNode:
    id: str
    label: str
    kind: str  # function, queue, topic, bus, stream, table, pipe, api, contract, component, ...
    href: str = ""  # set by the site: the node's page
    group: str = ""  # the project whose template built it, on a site over several projects


@dataclass
class MapEdge:
    source: str
    target: str
    label: str = ""
    dashed: bool = False  # "may send to" (a function's environment), not a delivery


@dataclass
class SystemMap:
    origin: str  # what it was drawn from, for the page
    nodes: dict[str, MapNode] = field(default_factory=dict)
    edges: list[MapEdge] = field(default_factory=list)

    def node(self, node_id: str, label: str, kind: str, group: str = "") -> str:
        self.nodes.setdefault(node_id, MapNode(node_id, label, kind, group=group))
        return node_id

    def groups(self) -> list[str]:
        return list(dict.fromkeys(n.group for n in self.nodes.values() if n.group))

    def functions_named(self, name: str) -> list[MapNode]:
        """The function nodes of that logical id (one per project that has it)."""
        return [n for n in self.nodes.values() if n.kind == "function" and n.label == name]

    def edge(self, source: str, target: str, label: str = "", dashed: bool = False) -> None:
        for known in self.edges:
            if (known.source, known.target) == (source, target):
                if label and label not in known.label.split(", "):
                    known.label = ", ".join(p for p in (known.label, label) if p)
                return
        self.edges.append(MapEdge(source, target, label, dashed))


def from_contracts(catalog: Catalog) -> SystemMap:
    """The map the contracts' producers, consumers and triggers describe."""
    system = SystemMap(origin="the contracts' producers, consumers and triggers")
    for contract in catalog:
        producers = [p for p in contract.producers if not (p.startswith("aws:") and not contract.consumers)]
        if not producers and not contract.consumers:
            continue
        channel = _channel(system, contract)
        # A contract drawn as its own channel needs no label: its box says what travels.
        label = "" if channel == f"contract:{contract.name}" else contract.name
        for producer in producers:
            system.edge(system.node(f"c:{producer}", producer, "component"), channel, label)
        for consumer in contract.consumers:
            system.edge(channel, system.node(f"c:{consumer}", consumer, "component"), label)
    return system


def _channel(system: SystemMap, contract: Any) -> str:
    for kind, settings in contract.metadata.trigger.items():
        name = settings.get("queue") or settings.get("topic") or settings.get("source") or kind
        return system.node(f"{kind}:{name}", f"{name} ({kind})", _TRIGGER_KINDS.get(kind, "channel"))
    return system.node(f"contract:{contract.name}", contract.name, "contract")


def from_template(template: Path, parameters: dict[str, str], catalog: Catalog,
                  group: str = "", consumes: dict[str, str] | None = None) -> SystemMap:
    """The wiring the template builds on the fakes, labelled with the contracts (and with
    ``consumes``: a configured handler's logical id -> its contract); with ``group`` (a
    project's name), its nodes belong to that group and their ids start with ``group/``."""
    from eventproof_fakes import FakeAWS

    aws = FakeAWS(seed=0)
    with aws.patch_boto3():
        stack = aws.cloudformation.deploy(template, parameters=dict(parameters))
    system = SystemMap(origin=f"the template {template.name} (deployed on eventproof's fakes) "
                              "and the contracts")
    prefix = f"{group}/" if group else ""
    names: dict[str, str] = {}  # every name, URL and ARN of a resource -> its node id
    for logical, built in stack.resources.items():
        kind = _NODE_TYPES.get(built.type)
        if kind is None:
            continue
        system.node(prefix + logical, logical, kind, group)
        for value in (built.physical_id, built.ref, *built.attributes.values()):
            if isinstance(value, str) and value:
                names[value] = prefix + logical
    for logical, built in stack.resources.items():
        _wire(system, prefix + logical, built, names, group)
    _label(system, catalog, consumes or {})
    return system


def merge(maps: dict[str, SystemMap]) -> SystemMap:
    """One map of several projects' maps (project name -> its map, drawn with that group)."""
    merged = SystemMap(origin="the templates of " + ", ".join(
        f"{name} ({system.origin.split(' (', 1)[0].removeprefix('the template ')})"
        for name, system in maps.items()) + ", each deployed on eventproof's fakes, and the contracts")
    for system in maps.values():
        for node in system.nodes.values():
            merged.nodes.setdefault(node.id, node)
        for edge in system.edges:
            merged.edge(edge.source, edge.target, edge.label, edge.dashed)
    return merged


def _find(names: dict[str, str], value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    if value in names:
        return names[value]
    # A stream ARN (table/X/stream/...), a function ARN with a qualifier, a queue by URL tail.
    for known, logical in names.items():
        if (known.startswith("arn:") and value.startswith(known + "/")) or value.startswith(known + ":"):
            return logical
    return None


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _wire(system: SystemMap, logical: str, built: Any, names: dict[str, str], group: str) -> None:
    props = built.properties or {}
    kind = built.type
    if kind == "AWS::Lambda::EventSourceMapping":
        source, target = _find(names, props.get("EventSourceArn")), _find(names, props.get("FunctionName"))
        if source and target:
            system.edge(source, target)
    elif kind == "AWS::Events::Rule":
        bus_name = props.get("EventBusName", "default")
        bus = _find(names, bus_name) or system.node(f"{group}/bus:{bus_name}" if group else f"bus:{bus_name}",
                                                    f"{bus_name} bus", "bus", group)
        pattern = props.get("EventPattern") or {}
        label = ", ".join(map(str, pattern.get("detail-type", []))) if isinstance(pattern, dict) else ""
        for target in props.get("Targets", []):
            found = _find(names, target.get("Arn"))
            if found:
                system.edge(bus, found, label)
    elif kind == "AWS::SNS::Subscription":
        topic, endpoint = _find(names, props.get("TopicArn")), _find(names, props.get("Endpoint"))
        if topic and endpoint:
            system.edge(topic, endpoint)
    elif kind == "AWS::SNS::Topic":
        for subscription in props.get("Subscription", []):
            endpoint = _find(names, subscription.get("Endpoint"))
            if endpoint:
                system.edge(logical, endpoint)
    elif kind == "AWS::Pipes::Pipe":
        source, target = _find(names, props.get("Source")), _find(names, props.get("Target"))
        if source:
            system.edge(source, logical)
        if target:
            system.edge(logical, target)
    elif kind == "AWS::Lambda::EventInvokeConfig":
        function = _find(names, props.get("FunctionName"))
        for outcome, config in (props.get("DestinationConfig") or {}).items():
            destination = _find(names, (config or {}).get("Destination"))
            if function and destination:
                system.edge(function, destination, outcome)
    elif _NODE_TYPES.get(kind) == "api":
        for text in _strings(props):
            for function in {_find(names, arn) for arn in re.findall(r"arn:aws:lambda:[^/\"' ]+", text)}:
                if function and system.nodes[function].kind == "function":
                    system.edge(logical, function)
    elif kind == "AWS::SQS::Queue":
        dead = _find(names, (props.get("RedrivePolicy") or {}).get("deadLetterTargetArn"))
        if dead:
            system.edge(logical, dead, "dead letters", dashed=True)
    elif kind == "AWS::Lambda::Function":
        variables = ((props.get("Environment") or {}).get("Variables") or {})
        for value in variables.values():
            target = _find(names, value)
            if target and target != logical:
                system.edge(logical, target, dashed=True)


def _label(system: SystemMap, catalog: Catalog, configured: dict[str, str]) -> None:
    """Each arrow into a function carries what it consumes; each arrow out, what it emits."""
    for edge in system.edges:
        source, target = system.nodes[edge.source], system.nodes[edge.target]
        if target.kind == "function":
            consumed = [c.name for c in catalog if target.label in c.consumers]
            consumed += [configured[target.label]] if target.label in configured else []
            edge.label = ", ".join(dict.fromkeys(consumed)) or edge.label
        elif source.kind == "function":
            emitted = [c.name for c in catalog if source.label in c.producers
                       and any(_TRIGGER_KINDS.get(k) == target.kind for k in c.metadata.trigger)]
            if emitted:
                edge.label, edge.dashed = ", ".join(emitted), False
    # Producers outside the template (a web shop, another team) send where their message is consumed.
    in_template = {node.label for node in system.nodes.values() if node.kind != "component"}
    for contract in catalog:
        for producer in contract.producers:
            if producer in in_template or producer.startswith("aws:"):
                continue
            for edge in list(system.edges):
                if (system.nodes[edge.target].label in contract.consumers
                        and contract.name in edge.label.split(", ")):
                    system.edge(system.node(f"c:{producer}", producer, "component"), edge.source,
                                contract.name)


def anchor(node_id: str) -> str:
    """The id of a node's row on the map page."""
    return "node-" + re.sub(r"[^A-Za-z0-9_-]+", "-", node_id)


_SHAPES = {"function": ('(["', '"])'), "queue": ('[["', '"]]'), "topic": ('{{"', '"}}'),
           "bus": ('{{"', '"}}'), "stream": ('[("', '")]'), "table": ('[("', '")]'),
           "pipe": ('>"', '"]'), "contract": ('["', '"]'), "api": ('[/"', '"/]')}


_STYLES = {"function": "fill:#dbeafe,stroke:#2f5bd3", "queue": "fill:#fef3c7,stroke:#b45309",
           "bus": "fill:#ede9fe,stroke:#6d28d9", "topic": "fill:#ede9fe,stroke:#6d28d9",
           "table": "fill:#dcfce7,stroke:#15803d", "stream": "fill:#dcfce7,stroke:#15803d",
           "pipe": "fill:#fce7f3,stroke:#be185d", "contract": "fill:#ffffff,stroke:#667085",
           "component": "fill:#f1f5f9,stroke:#475569", "api": "fill:#e0f2fe,stroke:#0369a1"}


def _safe(text: str) -> str:
    # Mermaid's own syntax characters and anything HTML-like become spaces: labels stay text.
    return re.sub(r"[^\w .,:/()@+-]", " ", text).strip() or "?"


def mermaid(system: SystemMap) -> tuple[str, dict[str, str]]:
    """The map as Mermaid flowchart text, and Mermaid node id -> the node's page."""
    ids = {node_id: f"n{index}" for index, node_id in enumerate(system.nodes)}
    lines = ["flowchart LR", *(f"  classDef {kind} {style}" for kind, style in _STYLES.items())]
    links: dict[str, str] = {}

    def draw(node: MapNode, indent: str) -> None:
        left, right = _SHAPES.get(node.kind, ('["', '"]'))
        lines.append(f"{indent}{ids[node.id]}{left}{_safe(node.label)}{right}:::"
                     f"{_safe(node.kind).replace(' ', '_')}")
        if node.href:
            links[ids[node.id]] = node.href

    # Mermaid stacks sibling subgraphs last first: written in reverse, they read in order.
    for number, group in reversed(list(enumerate(system.groups()))):
        lines.append(f'  subgraph g{number}["{_safe(group)}"]')
        for node in system.nodes.values():
            if node.group == group:
                draw(node, "    ")
        lines.append("  end")
    for node in system.nodes.values():
        if not node.group:
            draw(node, "  ")
    for edge in system.edges:
        arrow = "-.->" if edge.dashed else "-->"
        label = f'|"{_safe(edge.label)}"|' if edge.label else ""
        lines.append(f"  {ids[edge.source]} {arrow}{label} {ids[edge.target]}")
    return "\n".join(lines), links
