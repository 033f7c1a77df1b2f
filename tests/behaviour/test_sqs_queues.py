"""SQS queue lifecycle and attributes, on the fakes and on moto."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def sqs(aws: Any) -> Any:
    return aws.client("sqs")


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> dict[str, Any]:
    return excinfo.value.response["Error"]


def test_create_queue_returns_a_url_ending_in_the_account_and_name(sqs: Any) -> None:
    url = sqs.create_queue(QueueName="orders")["QueueUrl"]
    assert url.endswith("/123456789012/orders")
    assert sqs.get_queue_url(QueueName="orders")["QueueUrl"] == url


def test_create_queue_with_the_same_attributes_is_idempotent(sqs: Any) -> None:
    first = sqs.create_queue(QueueName="q", Attributes={"DelaySeconds": "5"})["QueueUrl"]
    second = sqs.create_queue(QueueName="q", Attributes={"DelaySeconds": "5"})["QueueUrl"]
    assert first == second


def test_create_queue_with_different_attributes_fails_with_queue_already_exists(sqs: Any) -> None:
    sqs.create_queue(QueueName="q", Attributes={"DelaySeconds": "5"})
    with pytest.raises(sqs.exceptions.QueueNameExists) as excinfo:
        sqs.create_queue(QueueName="q", Attributes={"DelaySeconds": "6"})
    assert error_of(excinfo)["Code"] == "QueueAlreadyExists"


def test_queue_names_with_invalid_characters_are_rejected(sqs: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        sqs.create_queue(QueueName="bad name!")
    assert error_of(excinfo)["Code"] == "InvalidParameterValue"


def test_get_queue_url_of_a_missing_queue_raises_queue_does_not_exist(sqs: Any) -> None:
    with pytest.raises(sqs.exceptions.QueueDoesNotExist) as excinfo:
        sqs.get_queue_url(QueueName="missing")
    assert error_of(excinfo)["Code"] == "AWS.SimpleQueueService.NonExistentQueue"
    assert error_of(excinfo)["Message"] == "The specified queue does not exist."


def test_deleted_queue_no_longer_accepts_messages(sqs: Any) -> None:
    url = sqs.create_queue(QueueName="gone")["QueueUrl"]
    sqs.delete_queue(QueueUrl=url)
    with pytest.raises(sqs.exceptions.QueueDoesNotExist):
        sqs.send_message(QueueUrl=url, MessageBody="x")


def test_list_queues_filters_by_prefix(sqs: Any) -> None:
    for name in ("alpha-1", "alpha-2", "beta-1"):
        sqs.create_queue(QueueName=name)
    urls = sqs.list_queues(QueueNamePrefix="alpha")["QueueUrls"]
    assert sorted(url.rsplit("/", 1)[-1] for url in urls) == ["alpha-1", "alpha-2"]


def test_list_queues_without_matches_has_no_queue_urls_key(sqs: Any) -> None:
    assert "QueueUrls" not in sqs.list_queues(QueueNamePrefix="nothing")


def test_list_queues_pages_with_max_results(sqs: Any) -> None:
    for index in range(5):
        sqs.create_queue(QueueName=f"page-{index}")
    first = sqs.list_queues(QueueNamePrefix="page-", MaxResults=2)
    assert len(first["QueueUrls"]) == 2 and "NextToken" in first
    rest = sqs.list_queues(QueueNamePrefix="page-", MaxResults=10, NextToken=first["NextToken"])
    assert len(first["QueueUrls"]) + len(rest["QueueUrls"]) == 5


def test_default_queue_attributes_match_aws(sqs: Any) -> None:
    url = sqs.create_queue(QueueName="defaults")["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["VisibilityTimeout"] == "30"
    assert attributes["MessageRetentionPeriod"] == "345600"
    assert attributes["DelaySeconds"] == "0"
    assert attributes["ReceiveMessageWaitTimeSeconds"] == "0"
    assert attributes["QueueArn"] == "arn:aws:sqs:us-east-1:123456789012:defaults"
    assert attributes["ApproximateNumberOfMessages"] == "0"


@pytest.mark.fakes_only
def test_default_maximum_message_size_is_one_mebibyte(sqs: Any) -> None:
    # AWS raised the SQS payload limit to 1 MiB in January 2026; moto 5.2 still says 256 KiB.
    # https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
    url = sqs.create_queue(QueueName="big")["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["MaximumMessageSize"])
    assert attributes["Attributes"] == {"MaximumMessageSize": "1048576"}


def test_get_queue_attributes_returns_only_the_names_asked_for(sqs: Any) -> None:
    url = sqs.create_queue(QueueName="some")["QueueUrl"]
    attributes = sqs.get_queue_attributes(
        QueueUrl=url, AttributeNames=["VisibilityTimeout", "DelaySeconds"]
    )["Attributes"]
    assert attributes == {"VisibilityTimeout": "30", "DelaySeconds": "0"}


def test_set_queue_attributes_changes_what_get_returns(sqs: Any) -> None:
    url = sqs.create_queue(QueueName="tuned")["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "69"})
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout"])
    assert attributes["Attributes"]["VisibilityTimeout"] == "69"


@pytest.mark.fakes_only
def test_out_of_range_visibility_timeout_is_an_invalid_attribute_value(sqs: Any) -> None:
    # CreateQueue API reference: VisibilityTimeout is 0 to 43,200 seconds; moto accepts any value.
    with pytest.raises(ClientError) as excinfo:
        sqs.create_queue(QueueName="q", Attributes={"VisibilityTimeout": "43201"})
    assert error_of(excinfo)["Code"] == "InvalidAttributeValue"


@pytest.mark.fakes_only
def test_fifo_attribute_on_a_standard_queue_is_an_unknown_attribute(sqs: Any) -> None:
    # Recorded on AWS (sqs_test_sqs snapshot): "Unknown Attribute FifoQueue."; moto accepts it.
    with pytest.raises(ClientError) as excinfo:
        sqs.create_queue(QueueName="std", Attributes={"FifoQueue": "false"})
    assert error_of(excinfo)["Code"] == "InvalidAttributeName"
    assert error_of(excinfo)["Message"] == "Unknown Attribute FifoQueue."


def test_fifo_queue_reports_its_fifo_attributes(sqs: Any) -> None:
    url = sqs.create_queue(
        QueueName="f.fifo", Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"}
    )["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["FifoQueue"] == "true"
    assert attributes["ContentBasedDeduplication"] == "true"


def test_approximate_counts_follow_visible_in_flight_and_delayed_messages(sqs: Any) -> None:
    url = sqs.create_queue(QueueName="counts")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="visible")
    sqs.send_message(QueueUrl=url, MessageBody="in flight")
    sqs.send_message(QueueUrl=url, MessageBody="delayed", DelaySeconds=60)
    sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1)
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["ApproximateNumberOfMessages"] == "1"
    assert attributes["ApproximateNumberOfMessagesNotVisible"] == "1"
    assert attributes["ApproximateNumberOfMessagesDelayed"] == "1"


def test_purge_queue_removes_every_message(sqs: Any) -> None:
    url = sqs.create_queue(QueueName="purged")["QueueUrl"]
    for index in range(3):
        sqs.send_message(QueueUrl=url, MessageBody=str(index))
    sqs.purge_queue(QueueUrl=url)
    assert "Messages" not in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)


def test_a_second_purge_within_sixty_seconds_fails(sqs: Any) -> None:
    url = sqs.create_queue(QueueName="purged-twice")["QueueUrl"]
    sqs.purge_queue(QueueUrl=url)
    with pytest.raises(sqs.exceptions.PurgeQueueInProgress):
        sqs.purge_queue(QueueUrl=url)


def test_redrive_policy_round_trips_as_json(sqs: Any) -> None:
    dlq = sqs.create_queue(QueueName="dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    policy = {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 3}
    url = sqs.create_queue(QueueName="src", Attributes={"RedrivePolicy": json.dumps(policy)})[
        "QueueUrl"
    ]
    stored = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])
    assert json.loads(stored["Attributes"]["RedrivePolicy"]) == policy


def test_unknown_attribute_name_in_get_queue_attributes_is_rejected(sqs: Any) -> None:
    url = sqs.create_queue(QueueName="q")["QueueUrl"]
    with pytest.raises(ClientError) as excinfo:
        sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["NotAnAttribute"])
    assert error_of(excinfo)["Code"] == "InvalidAttributeName"
