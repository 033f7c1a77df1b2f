"""SQS AddPermission/RemovePermission and tags on SNS, on the fakes and on moto.

https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_AddPermission.html
https://docs.aws.amazon.com/sns/latest/api/API_UntagResource.html
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError


def queue(aws: Any) -> tuple[Any, str]:
    sqs = aws.client("sqs")
    return sqs, sqs.create_queue(QueueName="shared")["QueueUrl"]


def policy_of(sqs: Any, url: str) -> dict[str, Any]:
    raw = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])["Attributes"]["Policy"]
    return dict(json.loads(raw))


def test_add_permission_writes_a_statement_named_by_its_label(aws: Any) -> None:
    sqs, url = queue(aws)
    sqs.add_permission(QueueUrl=url, Label="send", AWSAccountIds=["111111111111"], Actions=["SendMessage"])
    (statement,) = policy_of(sqs, url)["Statement"]
    assert statement["Sid"] == "send"
    assert statement["Effect"] == "Allow"
    assert statement["Principal"] == {"AWS": "arn:aws:iam::111111111111:root"}
    assert statement["Action"] == "SQS:SendMessage"
    assert statement["Resource"].endswith(":shared")


def test_two_permissions_are_two_statements(aws: Any) -> None:
    sqs, url = queue(aws)
    sqs.add_permission(QueueUrl=url, Label="a", AWSAccountIds=["111111111111"], Actions=["SendMessage"])
    sqs.add_permission(
        QueueUrl=url, Label="b", AWSAccountIds=["222222222222"], Actions=["ReceiveMessage", "DeleteMessage"]
    )
    statements = policy_of(sqs, url)["Statement"]
    assert [s["Sid"] for s in statements] == ["a", "b"]
    assert sorted(statements[1]["Action"]) == ["SQS:DeleteMessage", "SQS:ReceiveMessage"]


def test_a_label_used_twice_is_refused(aws: Any) -> None:
    sqs, url = queue(aws)
    sqs.add_permission(QueueUrl=url, Label="a", AWSAccountIds=["111111111111"], Actions=["SendMessage"])
    with pytest.raises(ClientError) as raised:
        sqs.add_permission(QueueUrl=url, Label="a", AWSAccountIds=["111111111111"], Actions=["SendMessage"])
    assert "Already exists" in raised.value.response["Error"]["Message"]


def test_remove_permission_drops_its_statement(aws: Any) -> None:
    sqs, url = queue(aws)
    sqs.add_permission(QueueUrl=url, Label="a", AWSAccountIds=["111111111111"], Actions=["SendMessage"])
    sqs.add_permission(QueueUrl=url, Label="b", AWSAccountIds=["111111111111"], Actions=["SendMessage"])
    sqs.remove_permission(QueueUrl=url, Label="a")
    assert [s["Sid"] for s in policy_of(sqs, url)["Statement"]] == ["b"]


def test_removing_an_unknown_label_is_refused(aws: Any) -> None:
    sqs, url = queue(aws)
    sqs.add_permission(QueueUrl=url, Label="a", AWSAccountIds=["111111111111"], Actions=["SendMessage"])
    with pytest.raises(ClientError) as raised:
        sqs.remove_permission(QueueUrl=url, Label="zzz")
    assert "can't find label" in raised.value.response["Error"]["Message"]


def test_sns_tags_can_be_removed(aws: Any) -> None:
    sns = aws.client("sns")
    topic = sns.create_topic(Name="t", Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])["TopicArn"]
    sns.untag_resource(ResourceArn=topic, TagKeys=["a"])
    assert sns.list_tags_for_resource(ResourceArn=topic)["Tags"] == [{"Key": "b", "Value": "2"}]


def test_sns_refuses_more_than_50_tags(aws: Any) -> None:
    sns = aws.client("sns")
    topic = sns.create_topic(Name="t")["TopicArn"]
    with pytest.raises(ClientError) as raised:
        sns.tag_resource(ResourceArn=topic, Tags=[{"Key": f"k{n}", "Value": "v"} for n in range(51)])
    assert raised.value.response["Error"]["Code"] in ("TagLimitExceeded", "TagLimitExceededException")
