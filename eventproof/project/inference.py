"""Handlers that need no ``[tool.eventproof.handlers]`` entry: the contracts already say it.

A template function triggered by an SQS queue (an event source mapping) or
an EventBridge rule, that exactly one contract lists among its
``consumers`` (by the function's logical id), is verified as if configured
with ``consumes`` = that contract, ``via`` = its trigger, ``emits`` = the
contracts listing it among their ``producers``, and the default promise
(``accepts-valid``). A configured entry always wins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventproof.project.config import HandlerConfig

if TYPE_CHECKING:
    from eventproof.catalog import Catalog
    from eventproof_fakes import FakeAWS

__all__ = ["inferred_handlers"]


def inferred_handlers(aws: FakeAWS, stack: Any, catalog: Catalog,
                      configured: dict[str, HandlerConfig]) -> dict[str, HandlerConfig]:
    """Logical id -> the handler its contracts describe, for functions not configured."""
    found: dict[str, HandlerConfig] = {}
    for logical, built in stack.resources.items():
        if logical in configured or built.physical_id not in aws.lambda_.functions:
            continue
        consumed = [c.name for c in catalog if logical in c.consumers]
        via = _trigger(aws, built.physical_id)
        if len(consumed) != 1 or via is None:
            continue
        emitted = tuple(c.name for c in catalog if logical in c.producers)
        found[logical] = HandlerConfig(logical, consumed[0], emitted, via)
    return found


def _trigger(aws: FakeAWS, function: str) -> str | None:
    lambda_ = aws.client("lambda")
    mappings = lambda_.list_event_source_mappings(FunctionName=function)["EventSourceMappings"]
    if any(m["EventSourceArn"].startswith("arn:aws:sqs:") for m in mappings):
        return "sqs"
    events = aws.client("events")
    arn = aws.lambda_.function(function).arn
    for bus in events.list_event_buses().get("EventBuses", []):
        for rule in events.list_rules(EventBusName=bus["Name"]).get("Rules", []):
            targets = events.list_targets_by_rule(Rule=rule["Name"], EventBusName=bus["Name"])
            if any(t["Arn"] == arn for t in targets.get("Targets", [])):
                return "eventbridge"
    return None
