"""The Kinesis Data Streams fake, and Kinesis as a Lambda event source (registered on import)."""

from fakes.kinesis.backend import Kinesis
from fakes.kinesis.lambda_source import KINESIS_STREAMS, KinesisPoller

__all__ = ["KINESIS_STREAMS", "Kinesis", "KinesisPoller"]
