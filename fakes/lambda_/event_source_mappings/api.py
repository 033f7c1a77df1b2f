"""Create/Get/List/Update/DeleteEventSourceMapping for every registered event source kind.

Defaults and ranges from https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html;
error messages as recorded from AWS (snapshots lambda__event_source_mapping_*).
What differs between SQS queues, DynamoDB streams and Kinesis streams lives
in their ``EventSourceKind`` (see ``registry``); this API only looks it up.
Each mapping is a pump on the environment, so ``run_until_idle`` polls it.
"""

from __future__ import annotations

from typing import Any

from eventproof_fakes.lambda_.errors import invalid_parameter, lambda_error, not_found
from eventproof_fakes.lambda_.event_source_mappings.mapping import (
    EventSourceMapping,
    compile_filters,
)
from eventproof_fakes.lambda_.event_source_mappings.registry import (
    EventSourceKind,
    MappingPoller,
    event_source_kind,
)
from eventproof_fakes.lambda_.functions import FunctionsAPI
from eventproof_fakes.operations import operation


class EventSourceMappingAPI(FunctionsAPI):
    """Mixed into ``Lambda``."""

    def _init_event_source_mappings(self) -> None:
        self.pollers: dict[str, MappingPoller] = {}

    @operation
    def create_event_source_mapping(self, params: dict[str, Any]) -> dict[str, Any]:
        function = self.function(params["FunctionName"])
        source = params.get("EventSourceArn", "")
        kind = self._source_kind(source)
        kind.check_source(self, source, params)  # type: ignore[arg-type]
        for existing_poller in self.pollers.values():
            existing = existing_poller.mapping
            if existing.source_arn == source and existing.function_name == function.name:
                raise lambda_error(
                    "ResourceConflictException",
                    f"An event source mapping with {kind.conflict_label} "
                    f'arn (" {source} ") and function (" {function.name} ") already exists. '
                    f"Please update or delete the existing mapping with UUID {existing.uuid}",
                    409,
                )
        uuid = self.env.ids.uuid()
        mapping = EventSourceMapping(
            uuid=uuid,
            arn=self.env.arn("lambda", f"event-source-mapping:{uuid}"),
            source_arn=source,
            function_name=function.name,
            function_arn=function.arn,
            batch_size=params.get("BatchSize", kind.default_batch_size),
            batching_window=params.get("MaximumBatchingWindowInSeconds", 0),
            enabled=params.get("Enabled", True),
            last_modified=self.env.clock.now_datetime(),
            tags=dict(params.get("Tags") or {}),
        )
        self._configure(kind, mapping, params)
        poller = kind.make_poller(self, mapping)  # type: ignore[arg-type]
        self.pollers[uuid] = poller
        self.env.add_pump(poller)
        return {**self._describe_mapping(mapping, "Creating"), "_http_status": 202}

    @operation
    def get_event_source_mapping(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._describe_mapping(self._mapping(params["UUID"]))

    @operation
    def list_event_source_mappings(self, params: dict[str, Any]) -> dict[str, Any]:
        mappings = [p.mapping for p in self.pollers.values()]
        if params.get("EventSourceArn"):
            mappings = [m for m in mappings if m.source_arn == params["EventSourceArn"]]
        if params.get("FunctionName"):
            name = self.function(params["FunctionName"]).name
            mappings = [m for m in mappings if m.function_name == name]
        return {"EventSourceMappings": [self._describe_mapping(m) for m in mappings]}

    @operation
    def update_event_source_mapping(self, params: dict[str, Any]) -> dict[str, Any]:
        mapping = self._mapping(params["UUID"])
        if "FunctionName" in params:
            function = self.function(params["FunctionName"])
            mapping.function_name, mapping.function_arn = function.name, function.arn
        mapping.batch_size = params.get("BatchSize", mapping.batch_size)
        mapping.batching_window = params.get(
            "MaximumBatchingWindowInSeconds", mapping.batching_window
        )
        if "Enabled" in params:
            mapping.enabled = params["Enabled"]
        self._configure(self._source_kind(mapping.source_arn), mapping, params)
        mapping.last_modified = self.env.clock.now_datetime()
        return {**self._describe_mapping(mapping, "Updating"), "_http_status": 202}

    @operation
    def delete_event_source_mapping(self, params: dict[str, Any]) -> dict[str, Any]:
        mapping = self._mapping(params["UUID"])
        poller = self.pollers.pop(mapping.uuid)
        self.env.remove_pump(poller)
        return {**self._describe_mapping(mapping, "Deleting"), "_http_status": 202}

    # --- helpers ------------------------------------------------------------
    def _source_kind(self, source: str) -> EventSourceKind:
        service = source.split(":")[2] if source.count(":") >= 5 else ""
        kind = event_source_kind(self.env, service) if service else None
        if kind is None:
            raise invalid_parameter(f"Unsupported event source: {source}")
        return kind

    def _mapping(self, uuid: str) -> EventSourceMapping:
        poller = self.pollers.get(uuid)
        if poller is None:
            raise not_found(
                f"The resource you requested does not exist. (Service: Lambda, UUID: {uuid})"
            )
        return poller.mapping

    def _describe_mapping(self, mapping: EventSourceMapping, state: str | None = None) -> dict[str, Any]:
        kind = self._source_kind(mapping.source_arn)
        return {**mapping.describe(state), **kind.describe(mapping)}

    def _configure(
        self, kind: EventSourceKind, mapping: EventSourceMapping, params: dict[str, Any]
    ) -> None:
        """Apply and check every optional setting; shared by Create and Update."""
        if "FilterCriteria" in params:
            mapping.patterns = compile_filters(params["FilterCriteria"])
            mapping.filter_criteria = params["FilterCriteria"] or None
        if "FunctionResponseTypes" in params:
            mapping.response_types = list(params["FunctionResponseTypes"])
        kind.configure(mapping, params)
