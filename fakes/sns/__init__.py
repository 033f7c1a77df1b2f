"""In-memory SNS: topics, sqs and lambda subscriptions, filter policies, FIFO topics."""

from eventproof_fakes.sns.backend import SNS
from eventproof_fakes.sns.envelope import PublishedMessage
from eventproof_fakes.sns.subscriptions import Subscription

__all__ = ["SNS", "PublishedMessage", "Subscription"]
