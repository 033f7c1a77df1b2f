"""The SNS fake: boto3 operations plus a small Python API for other fakes and tests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventproof_fakes.sns.confirmation import ConfirmationOperations
from eventproof_fakes.sns.envelope import PublishedMessage
from eventproof_fakes.sns.publishing import PublishOperations
from eventproof_fakes.sns.subscriptions import Subscription, SubscriptionOperations
from eventproof_fakes.sns.topics import Topic, TopicOperations

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS


class SNS(TopicOperations, SubscriptionOperations, PublishOperations, ConfirmationOperations):
    """In-memory SNS for one account and region; delivers to the SQS and Lambda fakes.

    See ``eventproof_fakes.sns.subscriptions``, ``eventproof_fakes.sns.envelope`` and
    ``eventproof_fakes.sns.publishing`` for where this fake simplifies AWS.
    """

    def __init__(self, env: FakeAWS) -> None:
        self.env = env
        self._topics: dict[str, Topic] = {}
        self._subscriptions: dict[str, Subscription] = {}
        self.failed_deliveries: list[tuple[str, str, str]] = []

    def _topic(self, arn: str | None, parameter: str = "TopicArn") -> Topic:
        return TopicOperations._topic(self, arn, parameter)

    def _subscriptions_of(self, topic_arn: str) -> list[Subscription]:
        return SubscriptionOperations._subscriptions_of(self, topic_arn)

    def _drop_subscriptions_of(self, topic_arn: str) -> None:
        SubscriptionOperations._drop_subscriptions_of(self, topic_arn)

    # --- Python API -----------------------------------------------------------
    def publish_message(
        self,
        topic_arn: str,
        message: str,
        *,
        subject: str | None = None,
        message_attributes: dict[str, Any] | None = None,
        group_id: str | None = None,
        deduplication_id: str | None = None,
    ) -> str:
        """Publish as the Publish API does, for other fakes; returns the MessageId."""
        params: dict[str, Any] = {"TopicArn": topic_arn, "Message": message}
        for key, value in (
            ("Subject", subject),
            ("MessageAttributes", message_attributes),
            ("MessageGroupId", group_id),
            ("MessageDeduplicationId", deduplication_id),
        ):
            if value is not None:
                params[key] = value
        return str(self.publish(params)["MessageId"])

    def published(self, topic_arn: str) -> list[PublishedMessage]:
        """Every message the topic accepted, oldest first (duplicates dropped by FIFO excluded)."""
        return list(self._topic(topic_arn).published)

    def subscriptions(self, topic_arn: str) -> list[Subscription]:
        return self._subscriptions_of(topic_arn)
