"""In-memory DynamoDB and DynamoDB Streams behind real botocore clients."""

from fakes.dynamodb.backend import DynamoDB
from fakes.dynamodb.stream_api import DynamoDBStreams
from fakes.dynamodb.streams import StreamRecord

__all__ = ["DynamoDB", "DynamoDBStreams", "StreamRecord"]
