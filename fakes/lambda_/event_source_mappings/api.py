"""Create/Get/List/Update/DeleteEventSourceMapping for SQS queues and DynamoDB streams.

Defaults and ranges from https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html;
error messages as recorded from AWS (snapshots lambda__event_source_mapping_*).
Each mapping is a pump on the environment, so ``run_until_idle`` polls it.
"""

from __future__ import annotations

from typing import Any

from fakes.errors import AWSError
from fakes.lambda_.errors import invalid_parameter, lambda_error, not_found
from fakes.lambda_.event_source_mappings.mapping import EventSourceMapping, compile_filters
from fakes.lambda_.event_source_mappings.sqs import SqsPoller
from fakes.lambda_.event_source_mappings.streams import StreamPoller
from fakes.lambda_.functions import FunctionsAPI
from fakes.limits import (
    LAMBDA_SQS_FIFO_MAX_BATCH_SIZE,
    LAMBDA_SQS_MAX_BATCH_SIZE,
    LAMBDA_SQS_MAX_BATCHING_WINDOW,
    LAMBDA_STREAM_MAX_BATCH_SIZE,
    LAMBDA_STREAM_MAX_RECORD_AGE_SECONDS,
    LAMBDA_STREAM_MAX_RETRY_ATTEMPTS,
)
from fakes.operations import operation

Poller = SqsPoller | StreamPoller


class EventSourceMappingAPI(FunctionsAPI):
    """Mixed into ``Lambda``."""

    def _init_event_source_mappings(self) -> None:
        self.pollers: dict[str, Poller] = {}

    @operation
    def create_event_source_mapping(self, params: dict[str, Any]) -> dict[str, Any]:
        function = self.function(params["FunctionName"])
        source = params.get("EventSourceArn", "")
        kind = source.split(":")[2] if source.count(":") >= 5 else ""
        if kind not in ("sqs", "dynamodb"):
            raise invalid_parameter(f"Unsupported event source: {source}")
        if kind == "sqs":
            self._check_queue(source)
        else:
            self._check_stream(source, params)
        for existing_poller in self.pollers.values():
            existing = existing_poller.mapping
            if existing.source_arn == source and existing.function_name == function.name:
                raise lambda_error(
                    "ResourceConflictException",
                    f"An event source mapping with {'SQS' if kind == 'sqs' else 'event source'} "
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
            batch_size=params.get("BatchSize", 10 if kind == "sqs" else 100),
            batching_window=params.get("MaximumBatchingWindowInSeconds", 0),
            enabled=params.get("Enabled", True),
            last_modified=self.env.clock.now_datetime(),
        )
        self._configure(mapping, params)
        poller: Poller = SqsPoller(self, mapping) if kind == "sqs" else StreamPoller(self, mapping)  # type: ignore[arg-type]
        self.pollers[uuid] = poller
        self.env.add_pump(poller)
        return {**mapping.describe("Creating"), "_http_status": 202}

    @operation
    def get_event_source_mapping(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._mapping(params["UUID"]).describe()

    @operation
    def list_event_source_mappings(self, params: dict[str, Any]) -> dict[str, Any]:
        mappings = [p.mapping for p in self.pollers.values()]
        if params.get("EventSourceArn"):
            mappings = [m for m in mappings if m.source_arn == params["EventSourceArn"]]
        if params.get("FunctionName"):
            name = self.function(params["FunctionName"]).name
            mappings = [m for m in mappings if m.function_name == name]
        return {"EventSourceMappings": [m.describe() for m in mappings]}

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
        self._configure(mapping, params)
        mapping.last_modified = self.env.clock.now_datetime()
        return {**mapping.describe("Updating"), "_http_status": 202}

    @operation
    def delete_event_source_mapping(self, params: dict[str, Any]) -> dict[str, Any]:
        mapping = self._mapping(params["UUID"])
        poller = self.pollers.pop(mapping.uuid)
        self.env.remove_pump(poller)
        return {**mapping.describe("Deleting"), "_http_status": 202}

    # --- helpers ------------------------------------------------------------
    def _mapping(self, uuid: str) -> EventSourceMapping:
        poller = self.pollers.get(uuid)
        if poller is None:
            raise not_found(
                f"The resource you requested does not exist. (Service: Lambda, UUID: {uuid})"
            )
        return poller.mapping

    def _configure(self, mapping: EventSourceMapping, params: dict[str, Any]) -> None:
        """Apply and check every optional setting; shared by Create and Update."""
        if "FilterCriteria" in params:
            mapping.patterns = compile_filters(params["FilterCriteria"])
            mapping.filter_criteria = params["FilterCriteria"] or None
        if "FunctionResponseTypes" in params:
            mapping.response_types = list(params["FunctionResponseTypes"])
        if mapping.kind == "sqs":
            self._check_sqs_batching(mapping)
            return
        mapping.starting_position = params.get("StartingPosition", mapping.starting_position)
        mapping.bisect = params.get("BisectBatchOnFunctionError", mapping.bisect)
        mapping.maximum_retry_attempts = params.get(
            "MaximumRetryAttempts", mapping.maximum_retry_attempts
        )
        mapping.maximum_record_age = params.get(
            "MaximumRecordAgeInSeconds", mapping.maximum_record_age
        )
        if "DestinationConfig" in params:
            on_failure = params["DestinationConfig"].get("OnFailure", {}).get("Destination")
            mapping.on_failure = on_failure or None
        if not 1 <= mapping.batch_size <= LAMBDA_STREAM_MAX_BATCH_SIZE:
            raise invalid_parameter(
                f"BatchSize must be between 1 and {LAMBDA_STREAM_MAX_BATCH_SIZE}."
            )
        if not -1 <= mapping.maximum_retry_attempts <= LAMBDA_STREAM_MAX_RETRY_ATTEMPTS:
            raise invalid_parameter(
                f"MaximumRetryAttempts must be between -1 and {LAMBDA_STREAM_MAX_RETRY_ATTEMPTS}."
            )
        age = mapping.maximum_record_age
        if age != -1 and not 60 <= age <= LAMBDA_STREAM_MAX_RECORD_AGE_SECONDS:
            raise invalid_parameter(
                "MaximumRecordAgeInSeconds must be -1 or between 60 and "
                f"{LAMBDA_STREAM_MAX_RECORD_AGE_SECONDS}."
            )

    def _check_sqs_batching(self, mapping: EventSourceMapping) -> None:
        fifo = mapping.source_arn.endswith(".fifo")
        limit = LAMBDA_SQS_FIFO_MAX_BATCH_SIZE if fifo else LAMBDA_SQS_MAX_BATCH_SIZE
        if not 1 <= mapping.batch_size <= limit:
            raise invalid_parameter(f"BatchSize must be between 1 and {limit}.")
        if not 0 <= mapping.batching_window <= LAMBDA_SQS_MAX_BATCHING_WINDOW:
            raise invalid_parameter(
                f"MaximumBatchingWindowInSeconds must be between 0 and {LAMBDA_SQS_MAX_BATCHING_WINDOW}."
            )
        if mapping.batch_size > 10 and mapping.batching_window == 0:
            raise invalid_parameter(
                "Maximum batch window in seconds must be greater than 0 if maximum batch size "
                "is greater than 10"
            )

    def _check_queue(self, source: str) -> None:
        try:
            self.env.sqs.queue_arn(source)
        except AWSError:
            raise invalid_parameter(
                "Error occurred while ReceiveMessage. SQS Error Code: "
                "AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: "
                "The specified queue does not exist."
            ) from None

    def _check_stream(self, source: str, params: dict[str, Any]) -> None:
        if params.get("StartingPosition") not in ("TRIM_HORIZON", "LATEST"):
            raise invalid_parameter(
                "1 validation error detected: Value null at 'startingPosition' failed to satisfy "
                "constraint: Member must not be null."
                if "StartingPosition" not in params
                else "StartingPosition must be TRIM_HORIZON or LATEST for DynamoDB streams."
            )
        if "/stream/" not in source:
            raise invalid_parameter(f"Stream not found: {source}")
