"""Subscriptions: Subscribe, Unsubscribe, listings and subscription attributes.

Simplified: only ``sqs`` and ``lambda`` endpoints receive deliveries; the
other protocols AWS knows are accepted and stored but nothing is sent to them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from eventproof_fakes.event_patterns import CompiledPattern
from eventproof_fakes.limits import SNS_LIST_PAGE_SIZE
from eventproof_fakes.operations import operation
from eventproof_fakes.paging import page
from eventproof_fakes.sns.errors import check_arn, invalid_parameter, subscription_not_found
from eventproof_fakes.sns.filter_policy import check_scope, compiled_policy

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS
    from eventproof_fakes.sns.topics import Topic

PROTOCOLS = frozenset(
    {"http", "https", "email", "email-json", "sms", "sqs", "application", "lambda", "firehose"}
)
_SETTABLE = frozenset(
    {
        "DeliveryPolicy",
        "FilterPolicy",
        "FilterPolicyScope",
        "RawMessageDelivery",
        "RedrivePolicy",
        "SubscriptionRoleArn",
        "ReplayPolicy",
    }
)


@dataclass(slots=True)
class Subscription:
    arn: str
    topic_arn: str
    protocol: str
    endpoint: str
    attributes: dict[str, str] = field(default_factory=dict)
    policy: CompiledPattern | None = None
    # Set while an http(s)/email subscription awaits ConfirmSubscription with this token.
    pending_token: str | None = None

    @property
    def raw(self) -> bool:
        return self.attributes.get("RawMessageDelivery", "false").lower() == "true"

    @property
    def scope(self) -> str:
        return self.attributes.get("FilterPolicyScope", "MessageAttributes")


# Protocols whose endpoint must confirm the subscription before it receives anything.
CONFIRMED_BY_ENDPOINT = frozenset({"http", "https", "email", "email-json"})


def _subscribed(subscription: Subscription, params: dict[str, Any]) -> dict[str, Any]:
    """Subscribe's answer: a pending subscription's ARN only with ReturnSubscriptionArn."""
    if subscription.pending_token and not params.get("ReturnSubscriptionArn"):
        return {"SubscriptionArn": "pending confirmation"}
    return {"SubscriptionArn": subscription.arn}


def _checked_attributes(
    current: dict[str, str], changes: dict[str, str], *, at_subscribe: bool
) -> tuple[dict[str, str], CompiledPattern | None]:
    prefix = "Attributes Reason: " if at_subscribe else ""
    merged = dict(current)
    for name, value in changes.items():
        if name not in _SETTABLE:
            if at_subscribe:
                raise invalid_parameter(f"Attributes Reason: Unknown attribute {name}")
            raise invalid_parameter("AttributeName")
        if name == "RawMessageDelivery" and value.lower() not in ("true", "false"):
            raise invalid_parameter(
                f"{prefix}RawMessageDelivery: Invalid value [{value}]. Must be true or false."
            )
        if name == "FilterPolicyScope":
            check_scope(value)
        if name == "RedrivePolicy" and value:
            _check_redrive_policy(value, prefix)
        merged[name] = value
    if not merged.get("FilterPolicy"):
        merged.pop("FilterPolicy", None)
    if "FilterPolicy" in merged:
        merged.setdefault("FilterPolicyScope", "MessageAttributes")
    policy = compiled_policy(
        merged.get("FilterPolicy", ""),
        merged.get("FilterPolicyScope", "MessageAttributes"),
        at_subscribe=at_subscribe,
    )
    return merged, policy


def _check_redrive_policy(value: str, prefix: str) -> None:
    try:
        policy = json.loads(value)
    except ValueError:
        raise invalid_parameter(f"{prefix}RedrivePolicy: failed to parse JSON.") from None
    target = policy.get("deadLetterTargetArn", "") if isinstance(policy, dict) else ""
    if len(str(target).split(":")) < 6:
        raise invalid_parameter(f"{prefix}RedrivePolicy: deadLetterTargetArn is an invalid arn")


class SubscriptionOperations:
    env: FakeAWS
    _subscriptions: dict[str, Subscription]

    def _topic(self, arn: str | None, parameter: str = "TopicArn") -> Topic:
        raise NotImplementedError

    def _subscription(self, arn: str | None) -> Subscription:
        if not arn:
            raise invalid_parameter("SubscriptionArn Reason: no value for required parameter")
        check_arn("SubscriptionArn", arn)
        subscription = self._subscriptions.get(arn)
        if subscription is None:
            raise subscription_not_found()
        return subscription

    def _subscriptions_of(self, topic_arn: str) -> list[Subscription]:
        return [s for s in self._subscriptions.values() if s.topic_arn == topic_arn]

    def _drop_subscriptions_of(self, topic_arn: str) -> None:
        for subscription in self._subscriptions_of(topic_arn):
            del self._subscriptions[subscription.arn]

    @operation
    def subscribe(self, params: dict[str, Any]) -> dict[str, Any]:
        topic = self._topic(params.get("TopicArn"))
        protocol = params["Protocol"]
        endpoint = params.get("Endpoint", "")
        if protocol not in PROTOCOLS:
            raise invalid_parameter(f"Amazon SNS does not support this protocol string: {protocol}")
        if protocol == "sqs":
            if len(endpoint.split(":")) < 6 or not endpoint.startswith("arn:"):
                raise invalid_parameter("SQS endpoint ARN")
            if endpoint.endswith(".fifo") and not topic.fifo:
                raise invalid_parameter(
                    "Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed "
                    "to standard SNS topics"
                )
        if protocol == "lambda" and (len(endpoint.split(":")) < 7 or not endpoint.startswith("arn:")):
            raise invalid_parameter("Lambda endpoint ARN")
        requested = {k: str(v) for k, v in (params.get("Attributes") or {}).items()}
        for existing in self._subscriptions_of(topic.arn):
            if existing.protocol == protocol and existing.endpoint == endpoint:
                if any(existing.attributes.get(k) != v for k, v in requested.items()):
                    raise invalid_parameter(
                        "Attributes Reason: Subscription already exists with different attributes"
                    )
                return _subscribed(existing, params)
        attributes, policy = _checked_attributes({}, requested, at_subscribe=True)
        arn = f"{topic.arn}:{self.env.ids.uuid()}"
        subscription = Subscription(arn, topic.arn, protocol, endpoint, attributes, policy)
        if protocol in CONFIRMED_BY_ENDPOINT:
            subscription.pending_token = self.env.ids.hex(64)
        self._subscriptions[arn] = subscription
        return _subscribed(subscription, params)

    @operation
    def unsubscribe(self, params: dict[str, Any]) -> dict[str, Any]:
        arn = params["SubscriptionArn"]
        check_arn("SubscriptionArn", arn)
        self._subscriptions.pop(arn, None)
        return {}

    def _listing(self, subscriptions: list[Subscription], token: Any) -> dict[str, Any]:
        shown, following = page(
            subscriptions, token, SNS_LIST_PAGE_SIZE, lambda: invalid_parameter("NextToken")
        )
        response: dict[str, Any] = {
            "Subscriptions": [
                {
                    "SubscriptionArn": "PendingConfirmation" if s.pending_token else s.arn,
                    "Owner": self.env.account_id,
                    "Protocol": s.protocol,
                    "Endpoint": s.endpoint,
                    "TopicArn": s.topic_arn,
                }
                for s in shown
            ]
        }
        if following is not None:
            response["NextToken"] = following
        return response

    @operation
    def list_subscriptions(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._listing(list(self._subscriptions.values()), params.get("NextToken"))

    @operation
    def list_subscriptions_by_topic(self, params: dict[str, Any]) -> dict[str, Any]:
        topic = self._topic(params.get("TopicArn"))
        return self._listing(self._subscriptions_of(topic.arn), params.get("NextToken"))

    @operation
    def get_subscription_attributes(self, params: dict[str, Any]) -> dict[str, Any]:
        subscription = self._subscription(params.get("SubscriptionArn"))
        attributes = {
            "ConfirmationWasAuthenticated": "true",
            "Endpoint": subscription.endpoint,
            "Owner": self.env.account_id,
            "PendingConfirmation": "true" if subscription.pending_token else "false",
            "Protocol": subscription.protocol,
            "RawMessageDelivery": "false",
            "SubscriptionArn": subscription.arn,
            "TopicArn": subscription.topic_arn,
            **subscription.attributes,
        }
        return {"Attributes": attributes}

    @operation
    def set_subscription_attributes(self, params: dict[str, Any]) -> dict[str, Any]:
        subscription = self._subscription(params.get("SubscriptionArn"))
        changes = {params["AttributeName"]: str(params.get("AttributeValue", ""))}
        attributes, policy = _checked_attributes(
            subscription.attributes, changes, at_subscribe=False
        )
        subscription.attributes = attributes
        subscription.policy = policy
        return {}
