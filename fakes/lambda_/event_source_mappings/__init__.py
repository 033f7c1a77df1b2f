"""Event source mappings: pollers that feed queue messages and stream records to functions.

Each kind of source registers an ``EventSourceKind`` (see ``registry``);
SQS queues and DynamoDB streams register here, other services from their
own package (``eventproof_fakes.kinesis``).
"""

from eventproof_fakes.lambda_.event_source_mappings.api import EventSourceMappingAPI
from eventproof_fakes.lambda_.event_source_mappings.dynamodb_streams import StreamPoller
from eventproof_fakes.lambda_.event_source_mappings.mapping import EventSourceMapping
from eventproof_fakes.lambda_.event_source_mappings.registry import (
    EventSourceKind,
    event_source_kind,
    register_event_source,
    registered_event_sources,
)
from eventproof_fakes.lambda_.event_source_mappings.sqs import SqsPoller, failed_message_ids
from eventproof_fakes.lambda_.event_source_mappings.streams import ShardLane, ShardSource

__all__ = [
    "EventSourceKind",
    "EventSourceMapping",
    "EventSourceMappingAPI",
    "ShardLane",
    "ShardSource",
    "SqsPoller",
    "StreamPoller",
    "event_source_kind",
    "failed_message_ids",
    "register_event_source",
    "registered_event_sources",
]
