"""SNS subscription filter policies in both scopes, on the fakes and on moto."""

from __future__ import annotations

import json
from typing import Any

import pytest


@pytest.fixture
def sns(aws: Any) -> Any:
    return aws.client("sns")


@pytest.fixture
def sqs(aws: Any) -> Any:
    return aws.client("sqs")


def filtered_queue(sns: Any, sqs: Any, policy: dict[str, Any], scope: str) -> tuple[str, str]:
    topic = sns.create_topic(Name="filtered")["TopicArn"]
    url = sqs.create_queue(QueueName="matches")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sns.subscribe(
        TopicArn=topic, Protocol="sqs", Endpoint=arn,
        Attributes={
            "FilterPolicy": json.dumps(policy), "FilterPolicyScope": scope,
            "RawMessageDelivery": "true",
        },
    )
    return topic, url


def bodies(sqs: Any, url: str) -> list[str]:
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return sorted(m["Body"] for m in messages)


def string(value: str) -> dict[str, str]:
    return {"DataType": "String", "StringValue": value}


def test_attribute_policy_delivers_only_matching_messages(sns: Any, sqs: Any) -> None:
    topic, url = filtered_queue(sns, sqs, {"kind": ["order"]}, "MessageAttributes")
    sns.publish(TopicArn=topic, Message="yes", MessageAttributes={"kind": string("order")})
    sns.publish(TopicArn=topic, Message="no", MessageAttributes={"kind": string("refund")})
    sns.publish(TopicArn=topic, Message="none")
    assert bodies(sqs, url) == ["yes"]


def test_numeric_range_matches_number_attributes(sns: Any, sqs: Any) -> None:
    topic, url = filtered_queue(
        sns, sqs, {"price": [{"numeric": [">=", 100, "<", 200]}]}, "MessageAttributes"
    )
    for price in ("99", "100", "150.5", "200"):
        sns.publish(
            TopicArn=topic, Message=price,
            MessageAttributes={"price": {"DataType": "Number", "StringValue": price}},
        )
    assert bodies(sqs, url) == ["100", "150.5"]


def test_prefix_matches_string_attributes(sns: Any, sqs: Any) -> None:
    topic, url = filtered_queue(sns, sqs, {"region": [{"prefix": "eu-"}]}, "MessageAttributes")
    sns.publish(TopicArn=topic, Message="eu", MessageAttributes={"region": string("eu-west-1")})
    sns.publish(TopicArn=topic, Message="us", MessageAttributes={"region": string("us-east-1")})
    assert bodies(sqs, url) == ["eu"]


def test_anything_but_excludes_listed_values(sns: Any, sqs: Any) -> None:
    topic, url = filtered_queue(
        sns, sqs, {"kind": [{"anything-but": ["test"]}]}, "MessageAttributes"
    )
    sns.publish(TopicArn=topic, Message="real", MessageAttributes={"kind": string("live")})
    sns.publish(TopicArn=topic, Message="test", MessageAttributes={"kind": string("test")})
    assert bodies(sqs, url) == ["real"]


def test_exists_false_matches_messages_without_the_attribute(sns: Any, sqs: Any) -> None:
    topic, url = filtered_queue(sns, sqs, {"debug": [{"exists": False}]}, "MessageAttributes")
    sns.publish(TopicArn=topic, Message="quiet")
    sns.publish(TopicArn=topic, Message="loud", MessageAttributes={"debug": string("1")})
    assert bodies(sqs, url) == ["quiet"]


def test_string_array_attribute_matches_any_member(sns: Any, sqs: Any) -> None:
    topic, url = filtered_queue(sns, sqs, {"tags": ["urgent"]}, "MessageAttributes")
    sns.publish(
        TopicArn=topic, Message="tagged",
        MessageAttributes={"tags": {"DataType": "String.Array",
                                    "StringValue": json.dumps(["low", "urgent"])}},
    )
    sns.publish(
        TopicArn=topic, Message="untagged",
        MessageAttributes={"tags": {"DataType": "String.Array", "StringValue": '["low"]'}},
    )
    assert bodies(sqs, url) == ["tagged"]


def test_body_policy_matches_nested_fields(sns: Any, sqs: Any) -> None:
    topic, url = filtered_queue(
        sns, sqs, {"order": {"status": ["paid"]}}, "MessageBody"
    )
    paid = json.dumps({"order": {"status": "paid"}})
    sns.publish(TopicArn=topic, Message=paid)
    sns.publish(TopicArn=topic, Message=json.dumps({"order": {"status": "open"}}))
    assert bodies(sqs, url) == [paid]


def test_body_policy_never_matches_a_non_json_body(sns: Any, sqs: Any) -> None:
    topic, url = filtered_queue(sns, sqs, {"status": ["paid"]}, "MessageBody")
    sns.publish(TopicArn=topic, Message="status paid")
    assert bodies(sqs, url) == []


def test_filter_policy_can_be_changed_after_subscribing(sns: Any, sqs: Any) -> None:
    topic, url = filtered_queue(sns, sqs, {"kind": ["a"]}, "MessageAttributes")
    [subscription] = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    sns.set_subscription_attributes(
        SubscriptionArn=subscription["SubscriptionArn"], AttributeName="FilterPolicy",
        AttributeValue=json.dumps({"kind": ["b"]}),
    )
    sns.publish(TopicArn=topic, Message="a", MessageAttributes={"kind": string("a")})
    sns.publish(TopicArn=topic, Message="b", MessageAttributes={"kind": string("b")})
    assert bodies(sqs, url) == ["b"]


def test_filter_policy_is_returned_in_subscription_attributes(sns: Any, sqs: Any) -> None:
    topic, _ = filtered_queue(sns, sqs, {"kind": ["a"]}, "MessageBody")
    [subscription] = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    attributes = sns.get_subscription_attributes(
        SubscriptionArn=subscription["SubscriptionArn"]
    )["Attributes"]
    assert json.loads(attributes["FilterPolicy"]) == {"kind": ["a"]}
    assert attributes["FilterPolicyScope"] == "MessageBody"


@pytest.mark.fakes_only
def test_an_empty_match_array_is_rejected_with_aws_message(sns: Any, sqs: Any) -> None:
    # Recorded on AWS (sns_test_sns_filter_policy snapshot): "Empty arrays are not allowed".
    topic, _ = filtered_queue(sns, sqs, {"kind": ["a"]}, "MessageAttributes")
    [subscription] = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    with pytest.raises(sns.exceptions.InvalidParameterException) as excinfo:
        sns.set_subscription_attributes(
            SubscriptionArn=subscription["SubscriptionArn"], AttributeName="FilterPolicy",
            AttributeValue=json.dumps({"key": []}),
        )
    assert excinfo.value.response["Error"]["Message"] == (
        "Invalid parameter: FilterPolicy: Empty arrays are not allowed"
    )


@pytest.mark.fakes_only
def test_nested_policy_in_attribute_scope_is_rejected(sns: Any, sqs: Any) -> None:
    # Recorded on AWS: "Filter policy scope MessageAttributes does not support nested filter policy".
    with pytest.raises(sns.exceptions.InvalidParameterException) as excinfo:
        filtered_queue(sns, sqs, {"order": {"status": ["paid"]}}, "MessageAttributes")
    assert excinfo.value.response["Error"]["Message"] == (
        "Invalid parameter: Filter policy scope MessageAttributes does not support nested "
        "filter policy"
    )


@pytest.mark.fakes_only
def test_unknown_filter_policy_scope_is_rejected(sns: Any, sqs: Any) -> None:
    # Recorded on AWS (sns_test_sns_filter_policy snapshot).
    with pytest.raises(sns.exceptions.InvalidParameterException) as excinfo:
        filtered_queue(sns, sqs, {"kind": ["a"]}, "RandomValue")
    assert excinfo.value.response["Error"]["Message"] == (
        "Invalid parameter: FilterPolicyScope: Invalid value [RandomValue]. "
        "Please use either MessageBody or MessageAttributes"
    )
