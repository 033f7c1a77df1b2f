"""The backends' parts: the in-process Lambda runtime, the envelopes, the drive over moto, the options."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from eventproof.catalog import Catalog
from eventproof.errors import ConfigError
from eventproof.project.backends import FakesBackend, Unsupported, make_backend
from eventproof.project.backends.drive import _failed_items, take_over
from eventproof.project.backends.envelopes import eventbridge_event, sqs_event, sqs_record
from eventproof.project.backends.runtime import CallWatch, Function, FunctionSpec, Invocation

pytestmark = pytest.mark.timeout(120)

AWS_CONTRACTS = Path(__file__).resolve().parents[3] / "contracts" / "aws"
APP = '''
import os
import boto3

table = boto3.resource("dynamodb").Table(os.environ["TABLE"])  # made at import time
from helper import WHO


def lambda_handler(event, context):
    for name in event.get("items", []):
        table.put_item(Item={"id": name, "by": WHO, "function": context.function_name})
    return {"who": WHO, "table": os.environ["TABLE"], "region": os.environ["AWS_REGION"],
            "name": os.environ["AWS_LAMBDA_FUNCTION_NAME"]}
'''


@pytest.fixture()
def moto_session() -> Iterator[Any]:
    from moto import mock_aws

    with mock_aws():
        yield boto3.session.Session(region_name="us-east-1", aws_access_key_id="testing",
                                    aws_secret_access_key="testing")


def _function(tmp_path: Path, name: str, table: str, watch: CallWatch) -> Function:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "app.py").write_text(APP)
    (folder / "helper.py").write_text(f"WHO = {name!r}\n")
    spec = FunctionSpec(name=name, arn=f"arn:aws:lambda:us-east-1:123456789012:function:{name}",
                        handler="app.lambda_handler", folder=folder, environment={"TABLE": table})
    return Function(spec, watch)


def _table(session: Any, name: str) -> None:
    session.client("dynamodb").create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])


def _items(session: Any, table: str) -> list[str]:
    return sorted(i["id"]["S"] for i in session.client("dynamodb").scan(TableName=table)["Items"])


def test_two_functions_run_their_own_code_and_variables(tmp_path: Path, moto_session: Any) -> None:
    _table(moto_session, "t-one")
    _table(moto_session, "t-two")
    watch = CallWatch()
    one, two = _function(tmp_path, "one", "t-one", watch), _function(tmp_path, "two", "t-two", watch)
    before = dict(os.environ)
    with watch.patch():
        first, second = one.invoke({"items": ["a"]}), two.invoke({"items": ["b"]})
    assert first.error is None and second.error is None, (first.payload, second.payload)
    assert first.payload == {"who": "one", "table": "t-one", "region": "us-east-1", "name": "one"}
    assert second.payload["who"] == "two" and second.payload["table"] == "t-two"
    assert dict(os.environ) == before  # the caller's environment is back
    assert _items(moto_session, "t-one") == ["a"] and _items(moto_session, "t-two") == ["b"]


def test_a_handler_error_is_the_invocations_result(tmp_path: Path, moto_session: Any) -> None:
    watch = CallWatch()
    function = _function(tmp_path, "one", "no-such-table", watch)
    with watch.patch():
        invocation = function.invoke({"items": ["a"]})
    assert invocation.error == "ResourceNotFoundException"
    assert invocation.payload["errorType"] == "ResourceNotFoundException"


@pytest.mark.parametrize(("when", "written"), [("before", ["a"]), ("after", ["a", "b"])])
def test_a_crash_kills_the_invocation_at_its_nth_call(tmp_path: Path, moto_session: Any, when: str,
                                                      written: list[str]) -> None:
    _table(moto_session, "t-one")
    seen: list[tuple[str, int]] = []
    watch = CallWatch(observers=[lambda call: seen.append((call.operation, call.number))])
    function = _function(tmp_path, "one", "t-one", watch)
    watch.arm_crash("one", 2, when)  # type: ignore[arg-type]
    with watch.patch():
        crashed = function.invoke({"items": ["a", "b", "c"]})
        again = function.invoke({"items": ["d"]})
    assert crashed.error == "Sandbox.Timedout" and crashed.crashed
    assert _items(moto_session, "t-one") == sorted([*written, "d"])
    assert seen[:2] == [("PutItem", 1), ("PutItem", 2)]
    assert again.error is None  # a crash fires once; the next invocation is a cold start


def test_partial_batch_responses_leave_only_the_failed_items() -> None:
    records = [{"messageId": "m1"}, {"messageId": "m2"}]
    ok = Invocation("f", "r", payload={"batchItemFailures": [{"itemIdentifier": "m2"}]})
    assert _failed_items(ok, records, partial=True) == {"m2"}
    assert _failed_items(ok, records, partial=False) == set()  # not reported: the batch succeeded
    unknown = Invocation("f", "r", payload={"batchItemFailures": [{"itemIdentifier": "zz"}]})
    assert _failed_items(unknown, records, partial=True) == {"m1", "m2"}
    failed = Invocation("f", "r", error="ValueError")
    assert _failed_items(failed, records, partial=True) == {"m1", "m2"}


def test_the_envelopes_are_the_shapes_aws_documents(moto_session: Any) -> None:
    catalog = Catalog.load(AWS_CONTRACTS)
    sqs = moto_session.client("sqs")
    url = sqs.create_queue(QueueName="q")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody='{"a": 1}', MessageAttributes={
        "kind": {"DataType": "String", "StringValue": "x"}})
    message = sqs.receive_message(QueueUrl=url, AttributeNames=["All"],
                                  MessageAttributeNames=["All"])["Messages"][0]
    record = sqs_record(message, "arn:aws:sqs:us-east-1:123456789012:q", "us-east-1")
    assert catalog["SqsRecord"].violations(record) == []
    assert sqs_event([record])["Records"][0]["messageAttributes"]["kind"]["stringValue"] == "x"
    event = eventbridge_event({"Source": "payments", "DetailType": "PaymentSettled",
                               "Detail": json.dumps({"paymentId": "p"})},
                              event_id="1f2d3c4b-0000-4000-8000-000000000000",
                              account="123456789012", region="us-east-1")
    assert catalog["EventBridgeEvent"].violations(event) == []


def test_what_the_drive_cannot_apply_is_unsupported_never_dropped(tmp_path: Path, moto_session: Any) -> None:
    watch = CallWatch()
    function = _function(tmp_path, "one", "t", watch)
    lam, sqs = moto_session.client("lambda"), moto_session.client("sqs")
    iam = moto_session.client("iam")
    role = iam.create_role(RoleName="r", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    lam.create_function(FunctionName="one", Role=role, Handler="app.lambda_handler",
                        Runtime="python3.12", Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18})
    url = sqs.create_queue(QueueName="q")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="one", FilterCriteria={
        "Filters": [{"Pattern": json.dumps({"body": {"kind": ["a"]}})}]})
    with pytest.raises(Unsupported, match="FilterCriteria"):
        take_over(moto_session.client, {"one": function.spec})


def test_backend_options_are_checked() -> None:
    assert isinstance(make_backend(), FakesBackend)
    assert make_backend("moto").name == "moto"
    with pytest.raises(ConfigError, match="unknown backend"):
        make_backend("localstack")
    with pytest.raises(ConfigError, match="needs --endpoint-url"):
        make_backend("endpoint", stack="s")
    with pytest.raises(ConfigError, match="only apply to --backend endpoint"):
        make_backend("fakes", profile="dev")


def test_a_property_moto_cannot_run_is_unsupported_not_green() -> None:
    from eventproof.project import open_project
    from eventproof.project.backends.moto import MotoBackend
    from eventproof.properties import assert_idempotent

    project = open_project(Path(__file__).resolve().parents[3] / "examples" / "payments")
    with MotoBackend() as backend:
        system = backend.system(project, project.config.handlers["PaymentsFunction"])
        with pytest.raises(Unsupported, match="virtual clock"):
            assert_idempotent(system, "PaymentRequested", catalog=project.catalog, late_by=60,
                              max_examples=1)
