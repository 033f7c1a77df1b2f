"""SQS behaviours the fakes once got wrong, on the fakes and on moto.

AWSTraceHeader (recorded: tests/aws/services/sqs/test_sqs.py::test_aws_trace_header_propagation
in /work/shared/aws-recordings), attribute-name wildcards, str blobs, ListQueues
limits, TagQueue limits.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

TRACE = "Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1"
RECEIVE_DOC = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html"
LIST_DOC = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueues.html"


def queue(aws: Any, name: str = "jobs") -> tuple[Any, str]:
    client = aws.client("sqs")
    return client, client.create_queue(QueueName=name)["QueueUrl"]


def receive_one(client: Any, url: str, **extra: Any) -> dict[str, Any]:
    messages = client.receive_message(QueueUrl=url, **extra).get("Messages", [])
    assert len(messages) == 1
    return dict(messages[0])


# --- AWSTraceHeader --------------------------------------------------------------
def test_the_trace_header_comes_back_as_a_system_attribute(aws: Any) -> None:
    client, url = queue(aws)
    client.send_message(
        QueueUrl=url,
        MessageBody="test",
        MessageSystemAttributes={"AWSTraceHeader": {"DataType": "String", "StringValue": TRACE}},
    )
    message = receive_one(client, url, MessageSystemAttributeNames=["AWSTraceHeader"])
    assert message["Attributes"] == {"AWSTraceHeader": TRACE}


def test_the_trace_header_is_among_all_attributes(aws: Any) -> None:
    client, url = queue(aws)
    client.send_message(
        QueueUrl=url,
        MessageBody="test",
        MessageSystemAttributes={"AWSTraceHeader": {"DataType": "String", "StringValue": TRACE}},
    )
    message = receive_one(client, url, AttributeNames=["All"])
    assert message["Attributes"]["AWSTraceHeader"] == TRACE
    assert "SentTimestamp" in message["Attributes"]


@pytest.mark.fakes_only  # API_SendMessageBatchRequestEntry has MessageSystemAttributes; moto drops them
def test_a_batch_entry_carries_its_trace_header(aws: Any) -> None:
    client, url = queue(aws)
    client.send_message_batch(
        QueueUrl=url,
        Entries=[
            {
                "Id": "1",
                "MessageBody": "a",
                "MessageSystemAttributes": {"AWSTraceHeader": {"DataType": "String", "StringValue": TRACE}},
            }
        ],
    )
    message = receive_one(client, url, MessageSystemAttributeNames=["All"])
    assert message["Attributes"]["AWSTraceHeader"] == TRACE


@pytest.mark.fakes_only  # API_SendMessage: only AWSTraceHeader is a settable system attribute
def test_an_unknown_system_attribute_is_refused(aws: Any) -> None:
    client, url = queue(aws)
    with pytest.raises(ClientError) as raised:
        client.send_message(
            QueueUrl=url,
            MessageBody="x",
            MessageSystemAttributes={"SenderId": {"DataType": "String", "StringValue": "me"}},
        )
    assert raised.value.response["Error"]["Code"] == "InvalidParameterValue"


@pytest.mark.fakes_only  # API_SendMessage returns MD5OfMessageSystemAttributes; moto omits it
def test_sending_a_trace_header_returns_its_digest(aws: Any) -> None:
    client, url = queue(aws)
    response = client.send_message(
        QueueUrl=url,
        MessageBody="x",
        MessageSystemAttributes={"AWSTraceHeader": {"DataType": "String", "StringValue": TRACE}},
    )
    assert len(response["MD5OfMessageSystemAttributes"]) == 32


def test_without_a_trace_header_none_is_returned(aws: Any) -> None:
    client, url = queue(aws)
    client.send_message(QueueUrl=url, MessageBody="x")
    message = receive_one(client, url, MessageSystemAttributeNames=["AWSTraceHeader"])
    assert "AWSTraceHeader" not in message.get("Attributes", {})


# --- message attribute names ------------------------------------------------------
ATTRIBUTES = {
    "Custom.one": {"DataType": "String", "StringValue": "1"},
    "Custom.two": {"DataType": "Number", "StringValue": "2"},
    "Other": {"DataType": "String", "StringValue": "x"},
}


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Custom.*"], {"Custom.one", "Custom.two"}),
        (["All"], {"Custom.one", "Custom.two", "Other"}),
        ([".*"], {"Custom.one", "Custom.two", "Other"}),
        (["Other"], {"Other"}),
        (["Custom.one", "Other"], {"Custom.one", "Other"}),
        (["Nothing.*"], set()),
    ],
)
def test_message_attribute_names_select_attributes(aws: Any, names: list[str], expected: set[str]) -> None:
    client, url = queue(aws)
    client.send_message(QueueUrl=url, MessageBody="x", MessageAttributes=ATTRIBUTES)
    message = receive_one(client, url, MessageAttributeNames=names)
    assert set(message.get("MessageAttributes", {})) == expected


# --- blobs given as str -------------------------------------------------------------
def test_a_binary_attribute_given_as_str_is_sent_as_its_utf8_bytes(aws: Any) -> None:
    client, url = queue(aws)
    client.send_message(
        QueueUrl=url,
        MessageBody="x",
        MessageAttributes={"blob": {"DataType": "Binary", "BinaryValue": "héllo"}},
    )
    message = receive_one(client, url, MessageAttributeNames=["All"])
    assert message["MessageAttributes"]["blob"]["BinaryValue"] == "héllo".encode()


def test_a_binary_attribute_given_as_bytes_round_trips(aws: Any) -> None:
    client, url = queue(aws)
    client.send_message(
        QueueUrl=url,
        MessageBody="x",
        MessageAttributes={"blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}},
    )
    message = receive_one(client, url, MessageAttributeNames=["blob"])
    assert message["MessageAttributes"]["blob"]["BinaryValue"] == b"\x00\x01"


# --- ListQueues --------------------------------------------------------------------
@pytest.mark.fakes_only  # LIST_DOC: at most 1,000 results without MaxResults; creating 1,001 on moto is slow
def test_list_queues_returns_at_most_1000_urls(aws: Any) -> None:
    client = aws.client("sqs")
    for number in range(1001):
        client.create_queue(QueueName=f"q{number:04d}")
    response = client.list_queues()
    assert len(response["QueueUrls"]) == 1000
    assert "NextToken" not in response


def test_list_queues_pages_with_max_results(aws: Any) -> None:
    client = aws.client("sqs")
    for number in range(5):
        client.create_queue(QueueName=f"page-{number}")
    first = client.list_queues(QueueNamePrefix="page-", MaxResults=2)
    assert len(first["QueueUrls"]) == 2
    second = client.list_queues(QueueNamePrefix="page-", MaxResults=2, NextToken=first["NextToken"])
    rest = client.list_queues(QueueNamePrefix="page-", MaxResults=2, NextToken=second["NextToken"])
    urls = first["QueueUrls"] + second["QueueUrls"] + rest["QueueUrls"]
    assert sorted(u.rsplit("/", 1)[1] for u in urls) == [f"page-{n}" for n in range(5)]
    assert "NextToken" not in rest


# --- TagQueue ----------------------------------------------------------------------
def test_tag_queue_with_an_empty_map_is_refused(aws: Any) -> None:
    client, url = queue(aws)
    with pytest.raises(ClientError) as raised:
        client.tag_queue(QueueUrl=url, Tags={})
    assert "The request must contain the parameter Tags." in raised.value.response["Error"]["Message"]


def test_tag_queue_with_more_than_50_tags_is_refused_and_changes_nothing(aws: Any) -> None:
    client, url = queue(aws, "tagged")
    client.tag_queue(QueueUrl=url, Tags={"keep": "me"})
    with pytest.raises(ClientError) as raised:
        client.tag_queue(QueueUrl=url, Tags={f"k{n}": "v" for n in range(51)})
    assert raised.value.response["Error"]["Message"] == "Too many tags added for queue tagged."
    assert client.list_queue_tags(QueueUrl=url)["Tags"] == {"keep": "me"}


def test_tags_with_empty_values_are_kept(aws: Any) -> None:
    client, url = queue(aws)
    client.tag_queue(QueueUrl=url, Tags={"tag1": "value1", "tag3": ""})
    assert client.list_queue_tags(QueueUrl=url)["Tags"] == {"tag1": "value1", "tag3": ""}


# --- GetQueueUrl ----------------------------------------------------------------------
def test_get_queue_url_with_the_owner_account(aws: Any) -> None:
    client, url = queue(aws)
    owner = url.rstrip("/").split("/")[-2]
    assert client.get_queue_url(QueueName="jobs", QueueOwnerAWSAccountId=owner)["QueueUrl"] == url


@pytest.mark.fakes_only  # API_GetQueueUrl: another account's queue is not this account's
def test_get_queue_url_of_another_owner_is_not_found(aws: Any) -> None:
    client, _ = queue(aws)
    with pytest.raises(ClientError) as raised:
        client.get_queue_url(QueueName="jobs", QueueOwnerAWSAccountId="999999999999")
    assert raised.value.response["Error"]["Code"] == "AWS.SimpleQueueService.NonExistentQueue"
