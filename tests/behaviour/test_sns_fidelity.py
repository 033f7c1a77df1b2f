"""SNS behaviours the fakes once got wrong: list paging, numeric precision, String.Array,
subscription confirmation; on the fakes and on moto.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

CONSTRAINTS_DOC = "https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html"
ATTRIBUTES_DOC = "https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html"
LIST_DOC = "https://docs.aws.amazon.com/sns/latest/api/API_ListTopics.html"
CONFIRM_DOC = "https://docs.aws.amazon.com/sns/latest/api/API_ConfirmSubscription.html"


def filtered_queue(aws: Any, policy: dict[str, Any], scope: str = "MessageAttributes") -> tuple[Any, Any, str, str]:
    sns, sqs = aws.client("sns"), aws.client("sqs")
    topic = sns.create_topic(Name="filtered")["TopicArn"]
    url = sqs.create_queue(QueueName="matches")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=arn,
        Attributes={"FilterPolicy": json.dumps(policy), "FilterPolicyScope": scope, "RawMessageDelivery": "true"},
    )
    return sns, sqs, topic, url


def bodies(sqs: Any, url: str) -> list[str]:
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return sorted(m["Body"] for m in messages)


# --- paging --------------------------------------------------------------------------
def test_list_topics_pages_by_100(aws: Any) -> None:
    sns = aws.client("sns")
    for number in range(150):
        sns.create_topic(Name=f"t{number:03d}")
    first = sns.list_topics()
    assert len(first["Topics"]) == 100
    second = sns.list_topics(NextToken=first["NextToken"])
    assert len(second["Topics"]) == 50
    assert "NextToken" not in second
    arns = {t["TopicArn"] for t in first["Topics"] + second["Topics"]}
    assert len(arns) == 150


def test_list_subscriptions_by_topic_pages_by_100(aws: Any) -> None:
    sns = aws.client("sns")
    topic = sns.create_topic(Name="many")["TopicArn"]
    for number in range(120):
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=f"arn:aws:sqs:us-east-1:123456789012:q{number}")
    first = sns.list_subscriptions_by_topic(TopicArn=topic)
    assert len(first["Subscriptions"]) == 100
    second = sns.list_subscriptions_by_topic(TopicArn=topic, NextToken=first["NextToken"])
    assert len(second["Subscriptions"]) == 20 and "NextToken" not in second


def test_list_subscriptions_pages_by_100(aws: Any) -> None:
    sns = aws.client("sns")
    topic = sns.create_topic(Name="many")["TopicArn"]
    for number in range(101):
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=f"arn:aws:sqs:us-east-1:123456789012:q{number}")
    first = sns.list_subscriptions()
    second = sns.list_subscriptions(NextToken=first["NextToken"])
    assert (len(first["Subscriptions"]), len(second["Subscriptions"])) == (100, 1)


def test_the_paginator_walks_every_page(aws: Any) -> None:
    sns = aws.client("sns")
    for number in range(230):
        sns.create_topic(Name=f"p{number:03d}")
    pages = list(sns.get_paginator("list_topics").paginate())
    assert [len(p["Topics"]) for p in pages] == [100, 100, 30]


@pytest.mark.fakes_only  # LIST_DOC: NextToken must be one SNS handed out; moto ignores it
def test_an_invented_next_token_is_refused(aws: Any) -> None:
    sns = aws.client("sns")
    with pytest.raises(ClientError) as raised:
        sns.list_topics(NextToken="not-a-token")
    assert raised.value.response["Error"]["Code"] == "InvalidParameter"


# --- numeric precision -------------------------------------------------------------------
@pytest.mark.fakes_only  # CONSTRAINTS_DOC: five digits of accuracy after the decimal point
@pytest.mark.parametrize(
    ("policy_value", "attribute", "delivered"),
    [
        (100.123456789, "100.1234567", True),
        (100.12345, "100.123459", True),
        (100.1234, "100.1235", False),
        (0.000001, "0.000009", True),
    ],
)
def test_numeric_matching_keeps_five_decimal_places(
    aws: Any, policy_value: float, attribute: str, delivered: bool
) -> None:
    sns, sqs, topic, url = filtered_queue(aws, {"price": [policy_value]})
    sns.publish(TopicArn=topic, Message="m", MessageAttributes={"price": {"DataType": "Number", "StringValue": attribute}})
    assert bodies(sqs, url) == (["m"] if delivered else [])


@pytest.mark.fakes_only  # CONSTRAINTS_DOC: same precision in numeric ranges and message bodies
def test_numeric_ranges_and_bodies_use_the_same_precision(aws: Any) -> None:
    sns, sqs, topic, url = filtered_queue(aws, {"price": [{"numeric": ["=", 1.000001]}]}, "MessageBody")
    sns.publish(TopicArn=topic, Message=json.dumps({"price": 1.000009}))
    sns.publish(TopicArn=topic, Message=json.dumps({"price": 1.00002}))
    assert bodies(sqs, url) == [json.dumps({"price": 1.000009})]


# --- String.Array ---------------------------------------------------------------------
def array(value: str) -> dict[str, Any]:
    return {"items": {"DataType": "String.Array", "StringValue": value}}


@pytest.mark.parametrize(
    ("policy", "value", "delivered"),
    [
        ({"items": ["b"]}, '["a", "b"]', True),
        ({"items": ["z"]}, '["a", "b"]', False),
        ({"items": [2]}, '[1, 2, 3]', True),
        # Operators apply to each member (ATTRIBUTES_DOC); moto 5.2 matches exact values only.
        pytest.param({"items": [{"numeric": [">", 2]}]}, "[1, 3]", True, marks=pytest.mark.fakes_only),
        pytest.param({"items": [{"prefix": "or"}]}, '["order", "x"]', True, marks=pytest.mark.fakes_only),
    ],
)
def test_string_array_attributes_match_any_member(aws: Any, policy: dict[str, Any], value: str, delivered: bool) -> None:
    sns, sqs, topic, url = filtered_queue(aws, policy)
    sns.publish(TopicArn=topic, Message="m", MessageAttributes=array(value))
    assert bodies(sqs, url) == (["m"] if delivered else [])


@pytest.mark.fakes_only  # ATTRIBUTES_DOC: members are strings, numbers, true, false or null
@pytest.mark.parametrize("value", ["not json", '{"a": 1}', '[{"a": 1}]', "[[1]]"])
def test_a_string_array_that_is_not_a_flat_json_array_is_refused(aws: Any, value: str) -> None:
    sns = aws.client("sns")
    topic = sns.create_topic(Name="t")["TopicArn"]
    with pytest.raises(ClientError) as raised:
        sns.publish(TopicArn=topic, Message="m", MessageAttributes=array(value))
    assert raised.value.response["Error"]["Code"] == "ParameterValueInvalid"


def test_a_string_array_with_keywords_is_accepted(aws: Any) -> None:
    sns = aws.client("sns")
    topic = sns.create_topic(Name="t")["TopicArn"]
    assert sns.publish(TopicArn=topic, Message="m", MessageAttributes=array('["a", 1, true, null]'))["MessageId"]


# --- confirmation ------------------------------------------------------------------------
@pytest.mark.fakes_only  # CONFIRM_DOC: http(s) subscriptions wait for their endpoint's confirmation
def test_an_http_subscription_is_pending_until_confirmed(aws: Any) -> None:
    sns = aws.client("sns")
    topic = sns.create_topic(Name="hooks")["TopicArn"]
    assert sns.subscribe(TopicArn=topic, Protocol="https", Endpoint="https://example.com/hook")[
        "SubscriptionArn"
    ] == "pending confirmation"
    assert sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"][0]["SubscriptionArn"] == "PendingConfirmation"
    (request,) = aws.env.sns.confirmation_requests(topic)
    arn = sns.confirm_subscription(TopicArn=topic, Token=request["Token"])["SubscriptionArn"]
    assert arn.startswith(topic + ":")
    attributes = sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
    assert attributes["PendingConfirmation"] == "false"
    assert sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"][0]["SubscriptionArn"] == arn


@pytest.mark.fakes_only  # API_Subscribe: ReturnSubscriptionArn gives the ARN of a pending one
def test_return_subscription_arn_gives_a_pending_subscription_its_arn(aws: Any) -> None:
    sns = aws.client("sns")
    topic = sns.create_topic(Name="hooks")["TopicArn"]
    arn = sns.subscribe(
        TopicArn=topic, Protocol="email", Endpoint="a@example.com", ReturnSubscriptionArn=True
    )["SubscriptionArn"]
    assert arn.startswith(topic + ":")
    assert sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]["PendingConfirmation"] == "true"


@pytest.mark.fakes_only  # CONFIRM_DOC: a token SNS did not send is invalid
def test_confirming_with_a_wrong_token_is_invalid(aws: Any) -> None:
    sns = aws.client("sns")
    topic = sns.create_topic(Name="hooks")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="https", Endpoint="https://example.com/hook")
    with pytest.raises(ClientError) as raised:
        sns.confirm_subscription(TopicArn=topic, Token="0" * 64)
    assert raised.value.response["Error"]["Code"] == "InvalidParameter"


def test_an_sqs_subscription_needs_no_confirmation(aws: Any) -> None:
    sns = aws.client("sns")
    topic = sns.create_topic(Name="direct")["TopicArn"]
    arn = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint="arn:aws:sqs:us-east-1:123456789012:q")["SubscriptionArn"]
    assert arn.startswith(topic + ":")
