"""Event source mappings: pollers that feed SQS messages and stream records to functions."""

from fakes.lambda_.event_source_mappings.api import EventSourceMappingAPI
from fakes.lambda_.event_source_mappings.mapping import EventSourceMapping
from fakes.lambda_.event_source_mappings.sqs import SqsPoller, failed_message_ids
from fakes.lambda_.event_source_mappings.streams import StreamPoller

__all__ = [
    "EventSourceMapping",
    "EventSourceMappingAPI",
    "SqsPoller",
    "StreamPoller",
    "failed_message_ids",
]
