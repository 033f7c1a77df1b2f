"""The CloudFormation API through boto3, on the fakes and on moto's own CloudFormation."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

TEMPLATE = {
    "Parameters": {"Stage": {"Type": "String", "Default": "dev"}},
    "Resources": {
        "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": {"Fn::Sub": "${Stage}-orders"}}},
        "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::Sub": "${Stage}-events"}}},
    },
    "Outputs": {
        "QueueUrl": {"Value": {"Ref": "Queue"}, "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-queue"}}},
        "TopicArn": {"Value": {"Ref": "Topic"}},
    },
}


def create(cloudformation: Any, name: str = "shop", **options: Any) -> str:
    return str(cloudformation.create_stack(StackName=name, TemplateBody=json.dumps(TEMPLATE), **options)["StackId"])


def test_describe_stacks_gives_status_parameters_and_outputs(aws: Any) -> None:
    cloudformation = aws.client("cloudformation")
    stack_id = create(cloudformation, Parameters=[{"ParameterKey": "Stage", "ParameterValue": "prod"}])
    (stack,) = cloudformation.describe_stacks(StackName="shop")["Stacks"]
    assert (stack["StackId"], stack["StackName"], stack["StackStatus"]) == (stack_id, "shop", "CREATE_COMPLETE")
    assert stack["Parameters"] == [{"ParameterKey": "Stage", "ParameterValue": "prod"}]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}
    assert outputs["QueueUrl"].endswith("/prod-orders")
    assert outputs["TopicArn"].endswith(":prod-events")
    assert aws.client("sqs").get_queue_url(QueueName="prod-orders")["QueueUrl"] == outputs["QueueUrl"]


def test_stack_resources_name_each_physical_id(aws: Any) -> None:
    cloudformation = aws.client("cloudformation")
    create(cloudformation)
    resources = cloudformation.describe_stack_resources(StackName="shop")["StackResources"]
    by_id = {r["LogicalResourceId"]: (r["ResourceType"], r["PhysicalResourceId"], r["ResourceStatus"]) for r in resources}
    assert by_id["Queue"][0] == "AWS::SQS::Queue" and by_id["Queue"][1].endswith("/dev-orders")
    assert by_id["Topic"][:1] == ("AWS::SNS::Topic",) and by_id["Topic"][2] == "CREATE_COMPLETE"
    summaries = cloudformation.list_stack_resources(StackName="shop")["StackResourceSummaries"]
    assert sorted(s["LogicalResourceId"] for s in summaries) == ["Queue", "Topic"]


def test_exports_are_listed_and_imported_by_another_stack(aws: Any) -> None:
    cloudformation = aws.client("cloudformation")
    create(cloudformation)
    exports = cloudformation.list_exports()["Exports"]
    assert [(e["Name"], e["Value"].rsplit("/", 1)[1]) for e in exports] == [("shop-queue", "dev-orders")]
    importer = {"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {
        "Tags": [{"Key": "upstream", "Value": {"Fn::ImportValue": "shop-queue"}}]}}},
        "Outputs": {"Url": {"Value": {"Ref": "Q"}}}}
    cloudformation.create_stack(StackName="downstream", TemplateBody=json.dumps(importer))
    (stack,) = cloudformation.describe_stacks(StackName="downstream")["Stacks"]
    url = stack["Outputs"][0]["OutputValue"]
    assert aws.client("sqs").list_queue_tags(QueueUrl=url)["Tags"]["upstream"] == exports[0]["Value"]


def test_get_template_returns_the_body(aws: Any) -> None:
    cloudformation = aws.client("cloudformation")
    create(cloudformation)
    body = cloudformation.get_template(StackName="shop")["TemplateBody"]
    assert (json.loads(body) if isinstance(body, str) else body) == TEMPLATE


def test_delete_stack_removes_its_resources_and_the_stack(aws: Any) -> None:
    cloudformation = aws.client("cloudformation")
    create(cloudformation)
    cloudformation.delete_stack(StackName="shop")
    assert aws.client("sqs").list_queues().get("QueueUrls", []) == []
    assert aws.client("sns").list_topics()["Topics"] == []
    with pytest.raises(ClientError) as raised:
        cloudformation.describe_stacks(StackName="shop")
    assert raised.value.response["Error"]["Code"] == "ValidationError"


@pytest.mark.fakes_only
def test_update_stack_applies_new_parameters(aws: Any) -> None:
    # A new QueueName means a new queue ("Update requires: Replacement"); moto keeps the old one:
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sqs-queue.html
    cloudformation = aws.client("cloudformation")
    create(cloudformation)
    cloudformation.update_stack(StackName="shop", TemplateBody=json.dumps(TEMPLATE),
                                Parameters=[{"ParameterKey": "Stage", "ParameterValue": "qa"}])
    (stack,) = cloudformation.describe_stacks(StackName="shop")["Stacks"]
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    names = sorted(url.rsplit("/", 1)[1] for url in aws.client("sqs").list_queues()["QueueUrls"])
    assert names == ["qa-orders"]


def test_a_second_stack_of_the_same_name_is_refused(aws: Any) -> None:
    cloudformation = aws.client("cloudformation")
    create(cloudformation)
    with pytest.raises(ClientError) as raised:
        create(cloudformation)
    assert raised.value.response["Error"]["Code"] == "AlreadyExistsException"


@pytest.mark.fakes_only
def test_a_malformed_template_body_is_a_validation_error_naming_the_line(aws: Any) -> None:
    # AWS answers ValidationError "Template format error: ..." for a body it cannot parse:
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/troubleshooting.html
    cloudformation = aws.client("cloudformation")
    with pytest.raises(ClientError) as raised:
        cloudformation.create_stack(StackName="bad", TemplateBody="Resources:\n  Q: {Type: AWS::SQS::Queue\n")
    error = raised.value.response["Error"]
    assert error["Code"] == "ValidationError"
    assert error["Message"].startswith("Template format error: <TemplateBody>:")


def test_update_stack_keeps_unchanged_resources_adds_new_and_deletes_removed_ones(aws: Any) -> None:
    cloudformation = aws.client("cloudformation")
    first = {"Resources": {
        "Keep": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "keep"}},
        "Drop": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "drop"}},
    }}
    cloudformation.create_stack(StackName="s", TemplateBody=json.dumps(first))
    sqs = aws.client("sqs")
    keep_url = sqs.get_queue_url(QueueName="keep")["QueueUrl"]
    sqs.send_message(QueueUrl=keep_url, MessageBody="still here")
    second = {"Resources": {
        "Keep": first["Resources"]["Keep"],
        "Added": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "added"}},
    }}
    cloudformation.update_stack(StackName="s", TemplateBody=json.dumps(second))
    assert [url.rsplit("/", 1)[1] for url in sqs.list_queues()["QueueUrls"]] == ["keep"]
    assert sqs.receive_message(QueueUrl=keep_url)["Messages"][0]["Body"] == "still here"
    assert [t["TopicArn"].rsplit(":", 1)[1] for t in aws.client("sns").list_topics()["Topics"]] == ["added"]
    resources = cloudformation.describe_stack_resources(StackName="s")["StackResources"]
    assert sorted(r["LogicalResourceId"] for r in resources) == ["Added", "Keep"]
