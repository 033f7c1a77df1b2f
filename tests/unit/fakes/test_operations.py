"""Only operations registered with ``@operation`` are reachable through boto3."""

import boto3
import botocore.session
import pytest
from botocore.exceptions import ClientError

from eventproof_fakes import FakeAWS
from eventproof_fakes.environment import SERVICES
from eventproof_fakes.operations import operation_table


def test_a_python_helper_sharing_an_operation_name_is_not_reachable():
    aws = FakeAWS()
    client = aws.client("lambda")
    aws.lambda_.register("f", lambda event, context: None)
    with pytest.raises(ClientError) as raised:
        client.invoke_async(FunctionName="f", InvokeArgs=b"{}")
    assert raised.value.response["Error"]["Code"] == "InvalidAction"
    assert "InvokeAsync" in raised.value.response["Error"]["Message"]


def test_an_unknown_service_is_a_client_error_listing_the_modelled_ones():
    aws = FakeAWS()
    with aws.patch_boto3():
        client = boto3.client("athena")
    with pytest.raises(ClientError) as raised:
        client.list_work_groups()
    error = raised.value.response["Error"]
    assert error["Code"] == "UnsupportedService"
    assert "'athena'" in error["Message"] and "sqs" in error["Message"]


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_registered_operation_exists_in_botocore(service):
    model = botocore.session.get_session().get_service_model(service)
    snake = {botocore.xform_name(name) for name in model.operation_names}
    backend = FakeAWS().backend(service)
    registered = operation_table(type(backend)).names()
    assert registered, f"{service} registers no operation"
    assert set(registered) <= snake


def test_a_refused_parameter_is_an_error_naming_it():
    from eventproof_fakes.operations import operation

    class Queues:
        def __init__(self, env):
            self.calls = []

        @operation(refuses=("QueueOwnerAWSAccountId",))
        def get_queue_url(self, params):
            self.calls.append(params)
            return {"QueueUrl": "https://queue/q"}

    aws = FakeAWS()
    backend = aws._backends["sqs"] = Queues(aws)
    client = aws.client("sqs")
    assert client.get_queue_url(QueueName="q")["QueueUrl"] == "https://queue/q"
    with pytest.raises(ClientError) as raised:
        client.get_queue_url(QueueName="q", QueueOwnerAWSAccountId="111122223333")
    assert raised.value.response["Error"]["Code"] == "UnsupportedParameter"
    assert "QueueOwnerAWSAccountId" in raised.value.response["Error"]["Message"]
    assert len(backend.calls) == 1
