"""The CloudFormation fake's shared provisioning clients: one per service, answering for the right environment."""

from __future__ import annotations

import inspect
from pathlib import Path

import botocore.client
import pytest
from botocore.exceptions import ClientError, ParamValidationError

from eventproof_fakes import FakeAWS
from eventproof_fakes.cloudformation.clients import provisioning_client, serving
from eventproof_fakes.cloudformation.errors import TemplateError

TEMPLATE = """\
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties: {QueueName: orders}
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: Orders
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
"""


@pytest.fixture
def template(tmp_path: Path) -> Path:
    path = tmp_path / "template.yaml"
    path.write_text(TEMPLATE)
    return path


def test_two_environments_provision_through_the_same_clients_each_into_its_own_account(template: Path) -> None:
    first, second = FakeAWS(), FakeAWS()
    first.cloudformation.deploy(template)
    client = provisioning_client(first, "sqs")
    second.cloudformation.deploy(template)
    assert provisioning_client(second, "sqs") is client
    for env in (first, second):
        assert [u.rsplit("/", 1)[-1] for u in env.client("sqs").list_queues()["QueueUrls"]] == ["orders"]
        assert env.client("dynamodb").list_tables()["TableNames"] == ["Orders"]
    first.client("cloudformation").delete_stack(StackName=first.cloudformation.stack().name)
    assert first.client("sqs").list_queues().get("QueueUrls", []) == []
    assert len(second.client("sqs").list_queues()["QueueUrls"]) == 1  # the other account is untouched


def test_serving_nests_and_restores_the_outer_environment() -> None:
    outer, inner = FakeAWS(), FakeAWS()
    sqs = provisioning_client(outer, "sqs")
    with serving(outer):
        with serving(inner):
            sqs.create_queue(QueueName="inner")
        sqs.create_queue(QueueName="outer")
    assert [u.rsplit("/", 1)[-1] for u in inner.client("sqs").list_queues()["QueueUrls"]] == ["inner"]
    assert [u.rsplit("/", 1)[-1] for u in outer.client("sqs").list_queues()["QueueUrls"]] == ["outer"]


def test_the_short_path_raises_botocores_modelled_errors_and_validates_parameters() -> None:
    env = FakeAWS()
    sqs = provisioning_client(env, "sqs")
    with serving(env):
        with pytest.raises(sqs.exceptions.QueueDoesNotExist) as missing:
            sqs.get_queue_url(QueueName="nope")
        assert isinstance(missing.value, ClientError)
        assert missing.value.response["Error"]["Code"] == "AWS.SimpleQueueService.NonExistentQueue"
        with pytest.raises(ParamValidationError, match="QueueName"):
            sqs.create_queue(QueueNam="typo")


def test_a_resource_the_fake_refuses_fails_the_stack_with_the_service_error(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(TEMPLATE.replace("{QueueName: orders}", "{QueueName: orders, DelaySeconds: 9999}"))
    with pytest.raises(TemplateError, match="DelaySeconds"):
        FakeAWS().cloudformation.deploy(path)


def test_botocore_still_routes_every_generated_method_through_make_api_call() -> None:
    # The short path replaces a client's _make_api_call; generated methods must call it.
    source = inspect.getsource(botocore.client.ClientCreator._create_api_method)
    assert "self._make_api_call(" in source
