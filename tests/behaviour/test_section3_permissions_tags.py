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


# --- nested parameters the fakes do not model are refused by name -----------------------
@pytest.mark.fakes_only  # the fakes refuse what they do not model (HELPERS: nothing silent)
def test_an_unmodelled_target_type_is_refused_at_put_targets(aws: Any) -> None:
    events = aws.client("events")
    events.put_rule(Name="r", EventPattern=json.dumps({"source": ["x"]}))
    with pytest.raises(ClientError) as raised:
        events.put_targets(
            Rule="r",
            Targets=[
                {
                    "Id": "1",
                    "Arn": "arn:aws:kinesis:us-east-1:123456789012:stream/s",
                    "KinesisParameters": {"PartitionKeyPath": "$.id"},
                }
            ],
        )
    assert raised.value.response["Error"]["Code"] == "UnsupportedParameter"
    assert "Targets[].KinesisParameters" in raised.value.response["Error"]["Message"]


@pytest.mark.fakes_only  # API_MessageAttributeValue: StringListValues is "reserved for future use"
def test_sqs_list_attribute_values_are_refused(aws: Any) -> None:
    sqs, url = queue(aws)
    with pytest.raises(ClientError) as raised:
        sqs.send_message(
            QueueUrl=url,
            MessageBody="x",
            MessageAttributes={"a": {"DataType": "String", "StringValue": "v", "StringListValues": ["x"]}},
        )
    assert "MessageAttributes.StringListValues" in raised.value.response["Error"]["Message"]


@pytest.mark.fakes_only  # the fakes refuse what they do not model (HELPERS: nothing silent)
def test_gsi_on_demand_throughput_is_refused(aws: Any) -> None:
    client = aws.client("dynamodb")
    with pytest.raises(ClientError) as raised:
        client.create_table(
            TableName="t",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "g", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
            GlobalSecondaryIndexes=[
                {
                    "IndexName": "gix",
                    "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"},
                    "OnDemandThroughput": {"MaxReadRequestUnits": 5},
                }
            ],
        )
    assert "GlobalSecondaryIndexes[].OnDemandThroughput" in raised.value.response["Error"]["Message"]
    assert client.list_tables()["TableNames"] == []
