"""The Lambda environment during an invocation: os.environ, import-time clients, boto3."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import boto3
import pytest

from eventproof_fakes import FakeAWS
from tests.unit.fakes.lambda_.code_folders import deploy, invoke, write_folder

SHOW_ENVIRONMENT = """
    import os

    def lambda_handler(event, context):
        return dict(os.environ)
"""


@pytest.fixture
def aws() -> FakeAWS:
    return FakeAWS(region="eu-west-1")


def test_the_handler_sees_its_variables_and_lambdas_own(aws: FakeAWS, tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "code", {"app.py": SHOW_ENVIRONMENT})
    client = deploy(aws, "orders", folder, MemorySize=512,
                    Environment={"Variables": {"TABLE": "Orders", "LOG_LEVEL": "DEBUG"}})
    environ, _ = invoke(client, "orders")
    invocation = aws.invocations("orders")[0]
    assert environ["TABLE"] == "Orders" and environ["LOG_LEVEL"] == "DEBUG"
    assert environ["AWS_LAMBDA_FUNCTION_NAME"] == "orders"
    assert environ["AWS_REGION"] == environ["AWS_DEFAULT_REGION"] == "eu-west-1"
    assert environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "512"
    assert environ["AWS_LAMBDA_FUNCTION_VERSION"] == "$LATEST"
    assert environ["AWS_LAMBDA_LOG_GROUP_NAME"] == "/aws/lambda/orders"
    assert environ["AWS_LAMBDA_LOG_STREAM_NAME"] == invocation.log_stream
    assert environ["_HANDLER"] == "app.lambda_handler"
    assert environ["LAMBDA_TASK_ROOT"] == str(folder.resolve())
    assert environ["AWS_EXECUTION_ENV"] == "AWS_Lambda_python3.12"
    assert environ["LAMBDA_RUNTIME_DIR"] == "/var/runtime"
    assert environ["AWS_LAMBDA_INITIALIZATION_TYPE"] == "on-demand"


def test_the_callers_environment_is_neither_seen_nor_changed(
    aws: FakeAWS, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CALLER_SECRET", "mine")
    before = dict(os.environ)
    client = deploy(aws, "f", write_folder(tmp_path / "code", {"app.py": SHOW_ENVIRONMENT}))
    environ, _ = invoke(client, "f")
    assert "CALLER_SECRET" not in environ
    assert dict(os.environ) == before


def test_two_functions_with_the_same_variable_name_see_their_own_value(
    aws: FakeAWS, tmp_path: Path
) -> None:
    folder = write_folder(tmp_path / "code", {"app.py": """
        import os
        TABLE_AT_IMPORT = os.environ["TABLE"]

        def lambda_handler(event, context):
            return [TABLE_AT_IMPORT, os.environ["TABLE"], os.getenv("TABLE")]
    """})
    client = deploy(aws, "orders", folder, Environment={"Variables": {"TABLE": "Orders"}})
    deploy(aws, "payments", folder, Environment={"Variables": {"TABLE": "Payments"}})
    for _ in range(2):
        assert invoke(client, "orders")[0] == ["Orders"] * 3
        assert invoke(client, "payments")[0] == ["Payments"] * 3


def test_registered_handlers_run_in_the_lambda_environment_too(aws: FakeAWS) -> None:
    seen: list[tuple[str | None, str | None]] = []

    def handler(event: Any, context: Any) -> None:
        seen.append((os.environ.get("AWS_LAMBDA_FUNCTION_NAME"), os.environ.get("QUEUE")))

    aws.lambda_.register("registered", handler, environment={"QUEUE": "jobs"})
    aws.lambda_.invoke_sync("registered", {})
    assert seen == [("registered", "jobs")]


def test_writes_to_os_environ_stay_in_the_functions_warm_environment(
    aws: FakeAWS, tmp_path: Path
) -> None:
    folder = write_folder(tmp_path / "code", {"app.py": """
        import os

        def lambda_handler(event, context):
            previous = os.environ.get("COUNT", "0")
            os.environ["COUNT"] = str(int(previous) + 1)
            return os.environ["COUNT"]
    """})
    client = deploy(aws, "f", folder)
    assert [invoke(client, "f")[0] for _ in range(2)] == ["1", "2"]
    assert "COUNT" not in os.environ


def test_reserved_variables_are_refused_as_aws_does(aws: FakeAWS, tmp_path: Path) -> None:
    client = aws.client("lambda")
    with pytest.raises(client.exceptions.InvalidParameterValueException) as caught:
        deploy(aws, "f", write_folder(tmp_path / "code", {"app.py": ""}),
               Environment={"Variables": {"AWS_REGION": "us-west-2"}})
    assert "Reserved keys used in this request: AWS_REGION" in str(caught.value)


def test_clients_created_at_import_time_are_bound_to_the_fakes(
    aws: FakeAWS, tmp_path: Path
) -> None:
    aws.client("dynamodb").create_table(
        TableName="Orders",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    aws.client("sqs").create_queue(QueueName="audit")
    folder = write_folder(tmp_path / "code", {"app.py": """
        import os
        import boto3

        table = boto3.resource("dynamodb").Table(os.environ["TABLE"])
        sqs = boto3.client("sqs")

        def lambda_handler(event, context):
            table.put_item(Item={"id": event["id"]})
            url = boto3.client("sqs").get_queue_url(QueueName="audit")["QueueUrl"]
            sqs.send_message(QueueUrl=url, MessageBody=event["id"])
            return boto3.session.Session().region_name
    """})
    client = deploy(aws, "writer", folder, Environment={"Variables": {"TABLE": "Orders"}})
    default_session = boto3.DEFAULT_SESSION
    assert invoke(client, "writer", {"id": "o-1"}) == ("eu-west-1", None)
    assert invoke(client, "writer", {"id": "o-2"})[1] is None
    items = aws.client("dynamodb").scan(TableName="Orders")["Items"]
    assert sorted(i["id"]["S"] for i in items) == ["o-1", "o-2"]
    url = aws.client("sqs").get_queue_url(QueueName="audit")["QueueUrl"]
    bodies = aws.client("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert sorted(m["Body"] for m in bodies) == ["o-1", "o-2"]
    assert boto3.DEFAULT_SESSION is default_session  # the caller's boto3 is untouched
