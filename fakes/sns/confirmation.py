"""ConfirmSubscription, and the confirmation messages an http(s)/email endpoint would get.

On AWS an http(s) or email subscription stays "PendingConfirmation" until
its endpoint sends back the token SNS delivered in a
``SubscriptionConfirmation`` message. The fake has no network endpoint, so
those messages are kept for the test to read (``confirmation_requests``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventproof_fakes.operations import operation
from eventproof_fakes.sns.errors import invalid_parameter

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS
    from eventproof_fakes.sns.subscriptions import Subscription
    from eventproof_fakes.sns.topics import Topic

__all__ = ["ConfirmationOperations"]


class ConfirmationOperations:
    env: FakeAWS
    _subscriptions: dict[str, Subscription]

    def _topic(self, arn: str | None, parameter: str = "TopicArn") -> Topic:
        raise NotImplementedError

    def confirmation_requests(self, topic_arn: str | None = None) -> list[dict[str, Any]]:
        """The ``SubscriptionConfirmation`` message of every pending subscription."""
        return [
            {
                "Type": "SubscriptionConfirmation",
                "TopicArn": s.topic_arn,
                "Token": s.pending_token,
                "Endpoint": s.endpoint,
                "Protocol": s.protocol,
                "Message": f"You have chosen to subscribe to the topic {s.topic_arn}.\n"
                "To confirm the subscription, visit the SubscribeURL included in this message.",
            }
            for s in self._subscriptions.values()
            if s.pending_token and topic_arn in (None, s.topic_arn)
        ]

    @operation
    def confirm_subscription(self, params: dict[str, Any]) -> dict[str, Any]:
        topic = self._topic(params.get("TopicArn"))
        token = params["Token"]
        for subscription in self._subscriptions.values():
            if subscription.topic_arn == topic.arn and subscription.pending_token == token:
                subscription.pending_token = None
                flag = params.get("AuthenticateOnUnsubscribe")
                if flag is not None:
                    subscription.attributes["ConfirmationWasAuthenticated"] = (
                        "true" if str(flag).lower() == "true" else "false"
                    )
                return {"SubscriptionArn": subscription.arn}
        raise invalid_parameter("Token")
