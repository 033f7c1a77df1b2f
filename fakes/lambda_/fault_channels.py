"""The fault channels the Lambda fake consults (see ``eventproof_fakes.fault_channels``).

Its asynchronous queue and the event source mappings' batches; throttle and
crash are armed on function names, not channels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventproof_fakes.errors import AWSError
from eventproof_fakes.fault_channels import register_channel

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

__all__: list[str] = []


def _sqs_mapping_refused(kind: str, uuid: str, env: FakeAWS) -> str | None:
    if any(wildcard in uuid for wildcard in "*?["):
        return None
    try:
        source = env.lambda_.get_event_source_mapping({"UUID": uuid})["EventSourceArn"]
    except AWSError:
        return f"no event source mapping has the UUID {uuid}: create the mapping first"
    if not source.startswith("arn:aws:sqs:"):
        return f"mapping {uuid} reads {source}, not an SQS queue"
    if source.endswith(".fifo"):
        return f"mapping {uuid} reads a FIFO queue, whose order the fakes never change"
    return None


register_channel(
    "lambda", "<function name>", ("duplicate", "delay"), "asynchronous invocations"
)
register_channel(
    "sqs-esm", "<event source mapping UUID>", ("reorder",),
    "the batch an SQS event source mapping hands its function (standard queues)",
    excludes=_sqs_mapping_refused,
)
register_channel(
    "stream", "<table name>", ("duplicate",),
    "a DynamoDB stream mapping's batch, handed to the function again",
)
