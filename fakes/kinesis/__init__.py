"""The Kinesis Data Streams fake, and Kinesis as a Lambda event source (registered on import)."""

from eventproof_fakes import fault_channels
from eventproof_fakes.kinesis.backend import Kinesis
from eventproof_fakes.kinesis.lambda_source import KINESIS_STREAMS, KinesisPoller

__all__ = ["KINESIS_STREAMS", "Kinesis", "KinesisPoller"]

fault_channels.register_channel(
    "kinesis",
    "<stream name>",
    ("duplicate",),
    "a Kinesis stream mapping's batch, handed to the function again (shard order never changes)",
)
