"""The settings stream sources share (DynamoDB Streams, Kinesis): defaults, ranges, description.

Ranges from https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html;
messages as recorded from AWS (snapshots lambda__event_source_mapping_*).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from botocore.utils import parse_timestamp

from eventproof_fakes.lambda_.errors import invalid_parameter
from eventproof_fakes.lambda_.event_source_mappings.mapping import EventSourceMapping
from eventproof_fakes.limits import (
    LAMBDA_STREAM_MAX_BATCH_SIZE,
    LAMBDA_STREAM_MAX_BATCHING_WINDOW,
    LAMBDA_STREAM_MAX_PARALLELIZATION_FACTOR,
    LAMBDA_STREAM_MAX_RECORD_AGE_SECONDS,
    LAMBDA_STREAM_MAX_RETRY_ATTEMPTS,
    LAMBDA_STREAM_MAX_TUMBLING_WINDOW,
)

__all__ = ["configure_stream", "describe_stream", "require_starting_position"]


def require_starting_position(params: dict[str, Any], allowed: tuple[str, ...], source: str) -> None:
    """``StartingPosition`` is required for streams and must be one the source knows."""
    if "StartingPosition" not in params:
        raise invalid_parameter(
            "1 validation error detected: Value null at 'startingPosition' failed to satisfy "
            "constraint: Member must not be null."
        )
    if params["StartingPosition"] not in allowed:
        raise invalid_parameter(
            f"StartingPosition must be {' or '.join(allowed)} for {source}."
        )


def configure_stream(
    mapping: EventSourceMapping, params: dict[str, Any], *, parallel: bool
) -> None:
    """Apply and check the stream settings; ``parallel``: the poller runs parallel lanes."""
    mapping.starting_position = params.get("StartingPosition", mapping.starting_position)
    if "StartingPositionTimestamp" in params:
        mapping.starting_position_timestamp = _as_datetime(params["StartingPositionTimestamp"])
    mapping.bisect = params.get("BisectBatchOnFunctionError", mapping.bisect)
    mapping.maximum_retry_attempts = params.get(
        "MaximumRetryAttempts", mapping.maximum_retry_attempts
    )
    mapping.maximum_record_age = params.get("MaximumRecordAgeInSeconds", mapping.maximum_record_age)
    mapping.parallelization_factor = params.get(
        "ParallelizationFactor", mapping.parallelization_factor
    )
    if "DestinationConfig" in params:
        on_failure = params["DestinationConfig"].get("OnFailure", {}).get("Destination")
        mapping.on_failure = on_failure or None
    mapping.tumbling_window = params.get("TumblingWindowInSeconds", mapping.tumbling_window)
    if not 0 <= mapping.tumbling_window <= LAMBDA_STREAM_MAX_TUMBLING_WINDOW:
        raise invalid_parameter(
            f"TumblingWindowInSeconds must be between 0 and {LAMBDA_STREAM_MAX_TUMBLING_WINDOW}."
        )
    if not 1 <= mapping.batch_size <= LAMBDA_STREAM_MAX_BATCH_SIZE:
        raise invalid_parameter(f"BatchSize must be between 1 and {LAMBDA_STREAM_MAX_BATCH_SIZE}.")
    if not 0 <= mapping.batching_window <= LAMBDA_STREAM_MAX_BATCHING_WINDOW:
        raise invalid_parameter(
            "MaximumBatchingWindowInSeconds must be between 0 and "
            f"{LAMBDA_STREAM_MAX_BATCHING_WINDOW}."
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
    factor = mapping.parallelization_factor
    if not 1 <= factor <= LAMBDA_STREAM_MAX_PARALLELIZATION_FACTOR:
        raise invalid_parameter(
            f"ParallelizationFactor must be between 1 and {LAMBDA_STREAM_MAX_PARALLELIZATION_FACTOR}."
        )
    if factor != 1 and not parallel:
        raise invalid_parameter(
            "eventproof's fake Lambda does not model ParallelizationFactor for this source; "
            "leave it out or set it to 1"
        )


def describe_stream(mapping: EventSourceMapping) -> dict[str, Any]:
    """What GetEventSourceMapping adds for a stream source."""
    description: dict[str, Any] = {"StartingPosition": mapping.starting_position}
    if mapping.starting_position_timestamp is not None:
        description["StartingPositionTimestamp"] = mapping.starting_position_timestamp
    description.update(
        BisectBatchOnFunctionError=mapping.bisect,
        MaximumRetryAttempts=mapping.maximum_retry_attempts,
        MaximumRecordAgeInSeconds=mapping.maximum_record_age,
        ParallelizationFactor=mapping.parallelization_factor,
        TumblingWindowInSeconds=mapping.tumbling_window,
        DestinationConfig={
            "OnFailure": {"Destination": mapping.on_failure} if mapping.on_failure else {}
        },
        LastProcessingResult="No records processed",
        StateTransitionReason="User action",
    )
    return description


def _as_datetime(value: Any) -> datetime:
    """A timestamp parameter (datetime, epoch number or ISO text), as botocore would send it."""
    moment = value if isinstance(value, datetime) else parse_timestamp(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
