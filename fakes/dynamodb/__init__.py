"""In-memory DynamoDB and DynamoDB Streams behind real botocore clients."""

from eventproof_fakes.dynamodb.backend import DynamoDB
from eventproof_fakes.dynamodb.stream_api import DynamoDBStreams
from eventproof_fakes.dynamodb.streams import StreamRecord

__all__ = ["DynamoDB", "DynamoDBStreams", "StreamRecord"]
