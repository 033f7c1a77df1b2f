"""Topics: CreateTopic, DeleteTopic, ListTopics and topic attributes."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from eventproof_fakes.errors import AWSError
from eventproof_fakes.limits import SNS_LIST_PAGE_SIZE
from eventproof_fakes.operations import operation
from eventproof_fakes.paging import page
from eventproof_fakes.sns.errors import check_arn, invalid_parameter, topic_not_found

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS
    from eventproof_fakes.sns.envelope import PublishedMessage

_TOPIC_NAME = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_FIFO_TOPIC_NAME = re.compile(r"^[A-Za-z0-9_-]{1,251}\.fifo$")
_SETTABLE = frozenset(
    {
        "DisplayName",
        "Policy",
        "DeliveryPolicy",
        "KmsMasterKeyId",
        "SignatureVersion",
        "TracingConfig",
        "ContentBasedDeduplication",
        "FifoTopic",
        "ArchivePolicy",
        "FifoThroughputScope",
    }
)


@dataclass(slots=True)
class Topic:
    arn: str
    name: str
    fifo: bool
    attributes: dict[str, str]
    tags: dict[str, str] = field(default_factory=dict)
    published: list[PublishedMessage] = field(default_factory=list)
    # FIFO deduplication id -> (message id, sequence number, expiry)
    deduplication: dict[str, tuple[str, str | None, float]] = field(default_factory=dict)

    @property
    def content_based_deduplication(self) -> bool:
        return self.attributes.get("ContentBasedDeduplication", "false").lower() == "true"


_MAX_TAGS = 50


def _default_policy(arn: str, account_id: str) -> str:
    return json.dumps(
        {
            "Version": "2008-10-17",
            "Id": "__default_policy_ID",
            "Statement": [
                {
                    "Sid": "__default_statement_ID",
                    "Effect": "Allow",
                    "Principal": {"AWS": "*"},
                    "Action": [
                        "SNS:GetTopicAttributes", "SNS:SetTopicAttributes",
                        "SNS:AddPermission", "SNS:RemovePermission", "SNS:DeleteTopic",
                        "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish",
                    ],
                    "Resource": arn,
                    "Condition": {"StringEquals": {"AWS:SourceOwner": account_id}},
                }
            ],
        },
        separators=(",", ":"),
    )


class TopicOperations:
    env: FakeAWS
    _topics: dict[str, Topic]

    def _topic(self, arn: str | None, parameter: str = "TopicArn") -> Topic:
        if not arn:
            raise invalid_parameter(parameter)
        check_arn(parameter, arn)
        topic = self._topics.get(arn)
        if topic is None:
            raise topic_not_found()
        return topic

    @operation(refuses=("DataProtectionPolicy",))
    def create_topic(self, params: dict[str, Any]) -> dict[str, Any]:
        name = params["Name"]
        attributes = {k: str(v) for k, v in (params.get("Attributes") or {}).items()}
        fifo = attributes.get("FifoTopic", "false").lower() == "true"
        if not (_FIFO_TOPIC_NAME if fifo else _TOPIC_NAME).match(name):
            raise invalid_parameter("Topic Name")
        for key in attributes:
            if key not in _SETTABLE:
                raise invalid_parameter(f"Attributes Reason: Unknown attribute {key}")
        if not fifo and "ContentBasedDeduplication" in attributes:
            raise invalid_parameter(
                "Attributes Reason: ContentBasedDeduplication is only valid for FIFO topics"
            )
        arn = self.env.arn("sns", name)
        existing = self._topics.get(arn)
        if existing is not None:
            for key, value in attributes.items():
                if existing.attributes.get(key) != value:
                    raise invalid_parameter(
                        "Attributes Reason: Topic already exists with different attributes"
                    )
            return {"TopicArn": arn}
        if fifo:
            attributes["FifoTopic"] = "true"
            attributes.setdefault("ContentBasedDeduplication", "false")
        topic = Topic(arn, name, fifo, attributes)
        topic.tags = {tag["Key"]: tag["Value"] for tag in params.get("Tags") or []}
        self._topics[arn] = topic
        return {"TopicArn": arn}

    @operation
    def delete_topic(self, params: dict[str, Any]) -> dict[str, Any]:
        arn = params["TopicArn"]
        check_arn("TopicArn", arn)
        # DeleteTopic is idempotent: deleting a missing topic succeeds.
        if self._topics.pop(arn, None) is not None:
            self._drop_subscriptions_of(arn)
        return {}

    def _drop_subscriptions_of(self, topic_arn: str) -> None:
        raise NotImplementedError

    @operation
    def list_topics(self, params: dict[str, Any]) -> dict[str, Any]:
        shown, following = page(
            sorted(self._topics),
            params.get("NextToken"),
            SNS_LIST_PAGE_SIZE,
            lambda: invalid_parameter("NextToken"),
        )
        response: dict[str, Any] = {"Topics": [{"TopicArn": arn} for arn in shown]}
        if following is not None:
            response["NextToken"] = following
        return response

    @operation
    def get_topic_attributes(self, params: dict[str, Any]) -> dict[str, Any]:
        topic = self._topic(params.get("TopicArn"))
        confirmed = sum(1 for s in self._subscriptions_of(topic.arn))
        attributes = {
            "DisplayName": "",
            "Owner": self.env.account_id,
            "Policy": _default_policy(topic.arn, self.env.account_id),
            "SubscriptionsConfirmed": str(confirmed),
            "SubscriptionsDeleted": "0",
            "SubscriptionsPending": "0",
            "TopicArn": topic.arn,
            "EffectiveDeliveryPolicy": json.dumps(
                {"http": {"defaultHealthyRetryPolicy": {
                    "minDelayTarget": 20, "maxDelayTarget": 20, "numRetries": 3,
                    "numMaxDelayRetries": 0, "numNoDelayRetries": 0, "numMinDelayRetries": 0,
                    "backoffFunction": "linear"},
                    "disableSubscriptionOverrides": False,
                    "defaultRequestPolicy": {"headerContentType": "text/plain; charset=UTF-8"}}},
                separators=(",", ":"),
            ),
            **topic.attributes,
        }
        return {"Attributes": attributes}

    def _subscriptions_of(self, topic_arn: str) -> list[Any]:
        raise NotImplementedError

    @operation
    def set_topic_attributes(self, params: dict[str, Any]) -> dict[str, Any]:
        topic = self._topic(params.get("TopicArn"))
        name = params["AttributeName"]
        if name not in _SETTABLE or name == "FifoTopic":
            raise invalid_parameter("AttributeName")
        if name == "ContentBasedDeduplication" and not topic.fifo:
            raise invalid_parameter(
                "ContentBasedDeduplication Reason: Content-based deduplication can only be set "
                "for FIFO topics"
            )
        topic.attributes[name] = params.get("AttributeValue", "")
        return {}

    @operation
    def tag_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        topic = self._topic(params["ResourceArn"], "ResourceArn")
        merged = {**topic.tags, **{tag["Key"]: tag["Value"] for tag in params["Tags"]}}
        if len(merged) > _MAX_TAGS:
            raise AWSError(
                "TagLimitExceeded",
                "Could not complete request: tag quota of per resource exceeded",
            )
        topic.tags = merged
        return {}

    @operation
    def list_tags_for_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        topic = self._topic(params["ResourceArn"], "ResourceArn")
        return {"Tags": [{"Key": k, "Value": v} for k, v in topic.tags.items()]}

    @operation
    def untag_resource(self, params: dict[str, Any]) -> dict[str, Any]:
        topic = self._topic(params["ResourceArn"], "ResourceArn")
        for key in params["TagKeys"]:
            topic.tags.pop(key, None)
        return {}
