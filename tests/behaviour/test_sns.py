"""SNS topics, subscriptions, publishing and delivery to SQS, on the fakes and on moto."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def sns(aws: Any) -> Any:
    return aws.client("sns")


@pytest.fixture
def sqs(aws: Any) -> Any:
    return aws.client("sqs")


def make_queue(sqs: Any, name: str = "inbox", **attributes: str) -> tuple[str, str]:
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    return url, arn


def subscribed_queue(
    sns: Any, sqs: Any, topic: str, name: str = "inbox", **attributes: str
) -> tuple[str, str]:
    url, arn = make_queue(sqs, name, **({"FifoQueue": "true", "ContentBasedDeduplication": "true"}
                                       if name.endswith(".fifo") else {}))
    subscription = sns.subscribe(
        TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes=attributes,
        ReturnSubscriptionArn=True,
    )["SubscriptionArn"]
    return url, subscription


def bodies(sqs: Any, url: str) -> list[str]:
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return [m["Body"] for m in messages]


def delivered(sqs: Any, url: str) -> list[dict[str, Any]]:
    return [json.loads(body) for body in bodies(sqs, url)]


@pytest.fixture
def topic(sns: Any) -> str:
    return str(sns.create_topic(Name="events")["TopicArn"])


# --- topics -------------------------------------------------------------------
def test_create_topic_returns_an_arn_in_the_account(topic: str) -> None:
    assert topic == "arn:aws:sns:us-east-1:123456789012:events"


def test_create_topic_twice_returns_the_same_arn(sns: Any, topic: str) -> None:
    assert sns.create_topic(Name="events")["TopicArn"] == topic


def test_list_topics_includes_created_topics(sns: Any, topic: str) -> None:
    assert {"TopicArn": topic} in sns.list_topics()["Topics"]


def test_deleted_topic_is_no_longer_listed(sns: Any, topic: str) -> None:
    sns.delete_topic(TopicArn=topic)
    assert {"TopicArn": topic} not in sns.list_topics()["Topics"]


def test_topic_attributes_carry_the_arn_and_owner(sns: Any, topic: str) -> None:
    attributes = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
    assert attributes["TopicArn"] == topic
    assert attributes["Owner"] == "123456789012"


def test_set_topic_attributes_changes_the_display_name(sns: Any, topic: str) -> None:
    sns.set_topic_attributes(TopicArn=topic, AttributeName="DisplayName", AttributeValue="Ev")
    assert sns.get_topic_attributes(TopicArn=topic)["Attributes"]["DisplayName"] == "Ev"


def test_attributes_of_a_missing_topic_are_not_found(sns: Any) -> None:
    with pytest.raises(sns.exceptions.NotFoundException) as excinfo:
        sns.get_topic_attributes(TopicArn="arn:aws:sns:us-east-1:123456789012:missing")
    assert excinfo.value.response["Error"]["Message"] == "Topic does not exist"


def test_publish_to_a_missing_topic_is_not_found(sns: Any) -> None:
    with pytest.raises(sns.exceptions.NotFoundException):
        sns.publish(TopicArn="arn:aws:sns:us-east-1:123456789012:missing", Message="x")


def test_fifo_topic_reports_fifo_attributes(sns: Any) -> None:
    arn = sns.create_topic(Name="orders.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
    assert sns.get_topic_attributes(TopicArn=arn)["Attributes"]["FifoTopic"] == "true"


def test_fifo_topic_name_needs_the_fifo_suffix(sns: Any) -> None:
    with pytest.raises(sns.exceptions.InvalidParameterException):
        sns.create_topic(Name="orders", Attributes={"FifoTopic": "true"})


# --- subscriptions ------------------------------------------------------------
def test_subscriptions_are_listed_by_topic(sns: Any, sqs: Any, topic: str) -> None:
    _, subscription = subscribed_queue(sns, sqs, topic)
    listed = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert [s["SubscriptionArn"] for s in listed] == [subscription]
    assert listed[0]["Protocol"] == "sqs"


def test_unsubscribed_endpoint_receives_nothing(sns: Any, sqs: Any, topic: str) -> None:
    url, subscription = subscribed_queue(sns, sqs, topic)
    sns.unsubscribe(SubscriptionArn=subscription)
    sns.publish(TopicArn=topic, Message="after")
    assert bodies(sqs, url) == []


def test_subscription_attributes_report_protocol_and_endpoint(
    sns: Any, sqs: Any, topic: str
) -> None:
    _, subscription = subscribed_queue(sns, sqs, topic)
    attributes = sns.get_subscription_attributes(SubscriptionArn=subscription)["Attributes"]
    assert attributes["Protocol"] == "sqs"
    assert attributes["TopicArn"] == topic
    assert attributes["Endpoint"].endswith(":inbox")


@pytest.mark.fakes_only
def test_unknown_protocol_is_rejected(sns: Any, topic: str) -> None:
    # Recorded on AWS (sns_test_sns snapshot): "Amazon SNS does not support this protocol
    # string: test-protocol"; moto accepts it.
    with pytest.raises(sns.exceptions.InvalidParameterException):
        sns.subscribe(TopicArn=topic, Protocol="test-protocol", Endpoint="x")


@pytest.mark.fakes_only
def test_raw_message_delivery_must_be_true_or_false(sns: Any, sqs: Any, topic: str) -> None:
    # Recorded on AWS (sns_test_sns snapshot); moto stores any value.
    _, subscription = subscribed_queue(sns, sqs, topic)
    with pytest.raises(sns.exceptions.InvalidParameterException) as excinfo:
        sns.set_subscription_attributes(
            SubscriptionArn=subscription, AttributeName="RawMessageDelivery",
            AttributeValue="test-ValUe",
        )
    assert excinfo.value.response["Error"]["Message"] == (
        "Invalid parameter: RawMessageDelivery: Invalid value [test-ValUe]. Must be true or false."
    )


# --- publishing and delivery ----------------------------------------------------
def test_sqs_subscriber_receives_the_notification_envelope(sns: Any, sqs: Any, topic: str) -> None:
    url, _ = subscribed_queue(sns, sqs, topic)
    message_id = sns.publish(TopicArn=topic, Message="hello", Subject="greeting")["MessageId"]
    [envelope] = delivered(sqs, url)
    assert envelope["Type"] == "Notification"
    assert envelope["MessageId"] == message_id
    assert envelope["TopicArn"] == topic
    assert envelope["Message"] == "hello"
    assert envelope["Subject"] == "greeting"
    assert envelope["Timestamp"].endswith("Z")
    assert {"SignatureVersion", "Signature", "SigningCertURL", "UnsubscribeURL"} <= set(envelope)


def test_envelope_has_no_subject_unless_one_was_given(sns: Any, sqs: Any, topic: str) -> None:
    url, _ = subscribed_queue(sns, sqs, topic)
    sns.publish(TopicArn=topic, Message="plain")
    [envelope] = delivered(sqs, url)
    assert "Subject" not in envelope


def test_envelope_carries_message_attributes_as_type_and_value(
    sns: Any, sqs: Any, topic: str
) -> None:
    url, _ = subscribed_queue(sns, sqs, topic)
    sns.publish(
        TopicArn=topic, Message="m",
        MessageAttributes={"kind": {"DataType": "String", "StringValue": "order"}},
    )
    [envelope] = delivered(sqs, url)
    assert envelope["MessageAttributes"] == {"kind": {"Type": "String", "Value": "order"}}


def test_raw_delivery_sends_the_bare_message_with_sqs_attributes(
    sns: Any, sqs: Any, topic: str
) -> None:
    url, _ = subscribed_queue(sns, sqs, topic, RawMessageDelivery="true")
    sns.publish(
        TopicArn=topic, Message="raw body",
        MessageAttributes={"kind": {"DataType": "String", "StringValue": "order"}},
    )
    [message] = sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"])["Messages"]
    assert message["Body"] == "raw body"
    assert message["MessageAttributes"] == {"kind": {"DataType": "String", "StringValue": "order"}}


def test_every_subscribed_queue_gets_a_copy(sns: Any, sqs: Any, topic: str) -> None:
    first, _ = subscribed_queue(sns, sqs, topic, name="one")
    second, _ = subscribed_queue(sns, sqs, topic, name="two")
    sns.publish(TopicArn=topic, Message="fan out")
    assert [e["Message"] for e in delivered(sqs, first)] == ["fan out"]
    assert [e["Message"] for e in delivered(sqs, second)] == ["fan out"]


def test_message_structure_json_sends_the_sqs_entry(sns: Any, sqs: Any, topic: str) -> None:
    url, _ = subscribed_queue(sns, sqs, topic)
    sns.publish(
        TopicArn=topic, MessageStructure="json",
        Message=json.dumps({"default": "for everyone", "sqs": "for queues"}),
    )
    assert [e["Message"] for e in delivered(sqs, url)] == ["for queues"]


@pytest.mark.fakes_only
def test_message_structure_json_without_default_is_rejected(sns: Any, topic: str) -> None:
    # Recorded on AWS: "Message Structure - No default entry in JSON message body".
    with pytest.raises(sns.exceptions.InvalidParameterException):
        sns.publish(TopicArn=topic, MessageStructure="json", Message=json.dumps({"sqs": "x"}))


@pytest.mark.fakes_only
def test_an_empty_message_is_rejected(sns: Any, topic: str) -> None:
    # Recorded on AWS (sns_test_sns snapshot): "Invalid parameter: Empty message".
    with pytest.raises(sns.exceptions.InvalidParameterException) as excinfo:
        sns.publish(TopicArn=topic, Message="")
    assert excinfo.value.response["Error"]["Message"] == "Invalid parameter: Empty message"


def test_a_message_over_256_kib_is_too_long(sns: Any, topic: str) -> None:
    with pytest.raises(sns.exceptions.InvalidParameterException) as excinfo:
        sns.publish(TopicArn=topic, Message="x" * (256 * 1024 + 1))
    assert "too long" in excinfo.value.response["Error"]["Message"]


@pytest.mark.fakes_only
def test_message_attribute_with_an_empty_value_is_rejected(sns: Any, topic: str) -> None:
    # Recorded on AWS (sns_test_sns snapshot): ParameterValueInvalid; moto says InvalidParameter.
    with pytest.raises(ClientError) as excinfo:
        sns.publish(
            TopicArn=topic, Message="m",
            MessageAttributes={"attr1": {"DataType": "String", "StringValue": ""}},
        )
    assert excinfo.value.response["Error"]["Code"] == "ParameterValueInvalid"


# --- FIFO topics ------------------------------------------------------------------
@pytest.fixture
def fifo_topic(sns: Any) -> str:
    return str(
        sns.create_topic(
            Name="orders.fifo",
            Attributes={"FifoTopic": "true", "ContentBasedDeduplication": "true"},
        )["TopicArn"]
    )


@pytest.mark.fakes_only
def test_fifo_publish_without_group_id_is_rejected(sns: Any, fifo_topic: str) -> None:
    # Recorded on AWS (sns_test_sns snapshot); moto answers with MissingParameter.
    with pytest.raises(sns.exceptions.InvalidParameterException) as excinfo:
        sns.publish(TopicArn=fifo_topic, Message="x")
    assert excinfo.value.response["Error"]["Message"] == (
        "Invalid parameter: The MessageGroupId parameter is required for FIFO topics"
    )


def test_fifo_topic_delivers_in_order_to_a_fifo_queue(sns: Any, sqs: Any, fifo_topic: str) -> None:
    url, _ = subscribed_queue(sns, sqs, fifo_topic, name="orders.fifo", RawMessageDelivery="true")
    for index in range(3):
        sns.publish(TopicArn=fifo_topic, Message=f"m{index}", MessageGroupId="g")
    assert bodies(sqs, url) == ["m0", "m1", "m2"]


def test_fifo_topic_drops_a_duplicate_within_the_window(
    sns: Any, sqs: Any, fifo_topic: str
) -> None:
    url, _ = subscribed_queue(sns, sqs, fifo_topic, name="orders.fifo", RawMessageDelivery="true")
    sns.publish(TopicArn=fifo_topic, Message="same", MessageGroupId="g")
    sns.publish(TopicArn=fifo_topic, Message="same", MessageGroupId="g")
    assert bodies(sqs, url) == ["same"]


@pytest.mark.fakes_only
def test_fifo_publish_returns_a_sequence_number(sns: Any, fifo_topic: str) -> None:
    # Publish API reference: SequenceNumber is returned for FIFO topics; moto omits it.
    response = sns.publish(TopicArn=fifo_topic, Message="x", MessageGroupId="g")
    assert response["SequenceNumber"].isdigit()


# --- PublishBatch -----------------------------------------------------------------
def test_publish_batch_delivers_every_entry(sns: Any, sqs: Any, topic: str) -> None:
    url, _ = subscribed_queue(sns, sqs, topic, RawMessageDelivery="true")
    response = sns.publish_batch(
        TopicArn=topic,
        PublishBatchRequestEntries=[{"Id": "a", "Message": "1"}, {"Id": "b", "Message": "2"}],
    )
    assert sorted(entry["Id"] for entry in response["Successful"]) == ["a", "b"]
    assert sorted(bodies(sqs, url)) == ["1", "2"]


def test_publish_batch_with_repeated_ids_is_rejected(sns: Any, topic: str) -> None:
    with pytest.raises(sns.exceptions.BatchEntryIdsNotDistinctException):
        sns.publish_batch(
            TopicArn=topic,
            PublishBatchRequestEntries=[{"Id": "a", "Message": "1"}, {"Id": "a", "Message": "2"}],
        )


def test_publish_batch_over_ten_entries_is_rejected(sns: Any, topic: str) -> None:
    entries = [{"Id": str(index), "Message": "x"} for index in range(11)]
    with pytest.raises(sns.exceptions.TooManyEntriesInBatchRequestException):
        sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=entries)
