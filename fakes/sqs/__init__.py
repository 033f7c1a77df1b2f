"""In-memory SQS: standard and FIFO queues on the virtual clock."""

from fakes.sqs.backend import SQS
from fakes.sqs.messages import Message, ReceivedMessage

__all__ = ["SQS", "Message", "ReceivedMessage"]
