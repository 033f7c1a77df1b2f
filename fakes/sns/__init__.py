"""In-memory SNS: topics, sqs and lambda subscriptions, filter policies, FIFO topics."""

from fakes.sns.backend import SNS
from fakes.sns.envelope import PublishedMessage
from fakes.sns.subscriptions import Subscription

__all__ = ["SNS", "PublishedMessage", "Subscription"]
