"""The SNS fake's Python API and its Lambda delivery."""

from __future__ import annotations

import json
from typing import Any

from eventproof_fakes import FakeAWS


def test_publish_records_the_message_and_returns_its_id() -> None:
    env = FakeAWS()
    topic = env.client("sns").create_topic(Name="t")["TopicArn"]
    message_id = env.sns.publish_message(topic, "hello", subject="s")
    [published] = env.sns.published(topic)
    assert published.message_id == message_id
    assert published.subject == "s"
    assert published.timestamp == "2026-01-01T00:00:00.000Z"


def test_lambda_subscription_gets_the_sns_event_shape() -> None:
    env = FakeAWS()
    seen: list[dict[str, Any]] = []
    function_arn = env.lambda_.register("listener", lambda event, context: seen.append(event))
    sns = env.client("sns")
    topic = sns.create_topic(Name="t")["TopicArn"]
    subscription = sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=function_arn)[
        "SubscriptionArn"
    ]
    sns.publish(
        TopicArn=topic, Message="to lambda",
        MessageAttributes={"k": {"DataType": "String", "StringValue": "v"}},
    )
    env.run_until_idle()
    [event] = seen
    [record] = event["Records"]
    assert record["EventSource"] == "aws:sns"
    assert record["EventVersion"] == "1.0"
    assert record["EventSubscriptionArn"] == subscription
    assert record["Sns"]["Message"] == "to lambda"
    assert record["Sns"]["TopicArn"] == topic
    assert record["Sns"]["MessageAttributes"] == {"k": {"Type": "String", "Value": "v"}}
    assert {"SigningCertUrl", "UnsubscribeUrl", "Signature"} <= set(record["Sns"])


def test_delivery_to_a_deleted_queue_is_recorded_not_raised() -> None:
    env = FakeAWS()
    sqs = env.client("sqs")
    url = sqs.create_queue(QueueName="q")["QueueUrl"]
    sns = env.client("sns")
    topic = sns.create_topic(Name="t")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=env.sqs.queue_arn("q"))
    sqs.delete_queue(QueueUrl=url)
    sns.publish(TopicArn=topic, Message=json.dumps({"x": 1}))
    assert len(env.sns.failed_deliveries) == 1
