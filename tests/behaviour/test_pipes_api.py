"""The Pipes control plane, on the fakes and on moto (which stores pipes but never runs them)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

ROLE = "arn:aws:iam::123456789012:role/pipes"


def make_queue(aws: Any, name: str) -> str:
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def create(aws: Any, name: str, **extra: Any) -> dict[str, Any]:
    source = make_queue(aws, f"{name}-in")
    target = make_queue(aws, f"{name}-out")
    return aws.client("pipes").create_pipe(  # type: ignore[no-any-return]
        Name=name, RoleArn=ROLE, Source=source, Target=target, **extra
    )


def test_a_created_pipe_is_described_with_its_source_target_and_parameters(aws: Any) -> None:
    pattern = json.dumps({"body": {"type": ["BookAdded"]}})
    created = create(
        aws,
        "books",
        SourceParameters={"FilterCriteria": {"Filters": [{"Pattern": pattern}]}, "SqsQueueParameters": {"BatchSize": 5}},
        TargetParameters={"InputTemplate": '{"name": <$.body.name>}'},
    )
    assert created["Arn"] == "arn:aws:pipes:us-east-1:123456789012:pipe/books"
    assert created["DesiredState"] == "RUNNING"
    assert created["CurrentState"] == "CREATING"
    described = aws.client("pipes").describe_pipe(Name="books")
    assert described["CurrentState"] == "RUNNING"
    assert described["Source"].endswith(":books-in")
    assert described["Target"].endswith(":books-out")
    assert described["SourceParameters"]["FilterCriteria"]["Filters"] == [{"Pattern": pattern}]
    assert described["SourceParameters"]["SqsQueueParameters"]["BatchSize"] == 5
    assert described["TargetParameters"]["InputTemplate"] == '{"name": <$.body.name>}'
    assert described["RoleArn"] == ROLE


def test_stopping_and_starting_a_pipe_moves_it_between_stopped_and_running(aws: Any) -> None:
    create(aws, "toggled")
    pipes = aws.client("pipes")
    assert pipes.stop_pipe(Name="toggled")["DesiredState"] == "STOPPED"
    assert pipes.describe_pipe(Name="toggled")["CurrentState"] == "STOPPED"
    assert pipes.start_pipe(Name="toggled")["DesiredState"] == "RUNNING"
    assert pipes.describe_pipe(Name="toggled")["CurrentState"] == "RUNNING"


def test_list_pipes_filters_by_name_prefix(aws: Any) -> None:
    create(aws, "orders-a")
    create(aws, "orders-b")
    create(aws, "payments")
    listed = aws.client("pipes").list_pipes(NamePrefix="orders")["Pipes"]
    assert sorted(p["Name"] for p in listed) == ["orders-a", "orders-b"]
    assert all(p["Source"].endswith("-in") and p["Target"].endswith("-out") for p in listed)


def test_update_pipe_replaces_the_target_parameters(aws: Any) -> None:
    created = create(aws, "updated")
    pipes = aws.client("pipes")
    target = pipes.describe_pipe(Name="updated")["Target"]
    pipes.update_pipe(
        Name="updated", RoleArn=ROLE, Target=target, TargetParameters={"InputTemplate": "hello"}
    )
    described = pipes.describe_pipe(Name="updated")
    assert described["TargetParameters"] == {"InputTemplate": "hello"}
    assert described["Arn"] == created["Arn"]


def test_a_deleted_pipe_is_gone(aws: Any) -> None:
    create(aws, "doomed")
    pipes = aws.client("pipes")
    pipes.delete_pipe(Name="doomed")
    with pytest.raises(pipes.exceptions.NotFoundException):
        pipes.describe_pipe(Name="doomed")
    assert pipes.list_pipes()["Pipes"] == []


def test_describing_an_unknown_pipe_is_not_found(aws: Any) -> None:
    pipes = aws.client("pipes")
    with pytest.raises(ClientError) as error:
        pipes.describe_pipe(Name="nothing")
    assert error.value.response["Error"]["Code"] == "NotFoundException"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


# moto overwrites a pipe of the same name; AWS answers ConflictException (409), see
# https://docs.aws.amazon.com/eventbridge/latest/pipes-reference/API_CreatePipe.html#API_CreatePipe_Errors
@pytest.mark.fakes_only
def test_creating_a_pipe_whose_name_is_taken_is_a_conflict(aws: Any) -> None:
    create(aws, "taken")
    with pytest.raises(aws.client("pipes").exceptions.ConflictException):
        create(aws, "taken")


# moto accepts any pattern; AWS validates FilterCriteria patterns and the template at
# CreatePipe: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-event-filtering.html
@pytest.mark.fakes_only
def test_an_invalid_filter_pattern_or_input_template_is_rejected_naming_it(aws: Any) -> None:
    pipes = aws.client("pipes")
    with pytest.raises(pipes.exceptions.ValidationException, match=r"FilterCriteria\.Filters\[1\]"):
        create(
            aws,
            "bad-filter",
            SourceParameters={"FilterCriteria": {"Filters": [{"Pattern": '{"a": "not-a-list"}'}]}},
        )
    with pytest.raises(pipes.exceptions.ValidationException, match=r"<aws\.pipes\.nope>"):
        aws.client("pipes").create_pipe(
            Name="bad-template",
            RoleArn=ROLE,
            Source=make_queue(aws, "t-in"),
            Target=make_queue(aws, "t-out"),
            TargetParameters={"InputTemplate": '{"x": <aws.pipes.nope>}'},
        )
