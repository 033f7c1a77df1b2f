"""One event source mapping's configuration, and the filters it applies."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from eventproof_fakes.event_patterns import compile_pattern
from eventproof_fakes.event_patterns.errors import InvalidPatternError
from eventproof_fakes.lambda_.errors import invalid_parameter


@dataclass
class EventSourceMapping:
    uuid: str
    arn: str
    source_arn: str
    function_name: str
    function_arn: str
    batch_size: int
    batching_window: int
    enabled: bool = True
    filter_criteria: dict[str, Any] | None = None
    patterns: list[Any] = field(default_factory=list)
    response_types: list[str] = field(default_factory=list)
    starting_position: str | None = None
    starting_position_timestamp: datetime | None = None
    parallelization_factor: int = 1
    tumbling_window: int = 0
    bisect: bool = False
    maximum_retry_attempts: int = -1
    maximum_record_age: int = -1
    on_failure: str | None = None
    last_modified: datetime | None = None
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """The service field of the source ARN: the key of its ``EventSourceKind``."""
        return self.source_arn.split(":")[2]

    @property
    def reports_item_failures(self) -> bool:
        return "ReportBatchItemFailures" in self.response_types

    def matches(self, record: dict[str, Any]) -> bool:
        """No filters: everything matches; otherwise any one filter (they are OR-ed)."""
        return not self.patterns or any(p.matches(record) for p in self.patterns)

    def describe(self, state: str | None = None) -> dict[str, Any]:
        """The fields every kind shows; the kind's ``describe`` adds its own."""
        description: dict[str, Any] = {
            "UUID": self.uuid,
            "EventSourceMappingArn": self.arn,
            "EventSourceArn": self.source_arn,
            "FunctionArn": self.function_arn,
            "BatchSize": self.batch_size,
            "MaximumBatchingWindowInSeconds": self.batching_window,
            "FunctionResponseTypes": list(self.response_types),
            "LastModified": self.last_modified,
            "State": state or ("Enabled" if self.enabled else "Disabled"),
            "StateTransitionReason": "USER_INITIATED",
        }
        if self.filter_criteria:
            description["FilterCriteria"] = self.filter_criteria
        return description


def compile_filters(criteria: dict[str, Any] | None) -> list[Any]:
    """``FilterCriteria.Filters[].Pattern`` (JSON text) -> compiled patterns, or AWS's error."""
    if not criteria:
        return []
    patterns = []
    for entry in criteria.get("Filters", []):
        text = entry.get("Pattern")
        try:
            if not isinstance(text, str) or not isinstance(json.loads(text), dict):
                raise ValueError(text)
            patterns.append(compile_pattern(text, dialect="eventbridge"))
        except (ValueError, InvalidPatternError):
            raise invalid_parameter("Invalid filter pattern definition.") from None
    return patterns


def sqs_filter_view(record: dict[str, Any]) -> dict[str, Any]:
    """What SQS filters see: the record, with ``body`` as JSON when it parses as an object."""
    view = dict(record)
    try:
        body = json.loads(record["body"])
    except (TypeError, ValueError):
        return view
    if isinstance(body, dict):
        view["body"] = body
    return view
