"""Fake AWS Lambda: Python handlers run in-process, on the virtual clock."""

from fakes import fault_channels
from fakes.lambda_.backend import Lambda
from fakes.lambda_.context import LambdaContext
from fakes.lambda_.runtime import Invocation, InvocationResult, Throttled

__all__ = ["Invocation", "InvocationResult", "Lambda", "LambdaContext", "Throttled"]

# The channels the Lambda fake consults: its asynchronous queue and the event
# source mappings' batches (throttle and crash are armed on function names).
fault_channels.register_channel(
    "lambda", "<function name>", ("duplicate", "delay"), "asynchronous invocations"
)
fault_channels.register_channel(
    "sqs-esm", "<event source mapping UUID>", ("reorder",),
    "the batch an SQS event source mapping hands its function",
)
fault_channels.register_channel(
    "stream", "<table name>", ("duplicate",),
    "a DynamoDB stream mapping's batch, handed to the function again",
)
