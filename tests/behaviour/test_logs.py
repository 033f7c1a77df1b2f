"""CloudWatch Logs: groups, streams, events, filter patterns; Lambda's logs (fakes only).

AWS documents the API in
https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/ and the
filter syntax in
https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from eventproof_fakes.lambda_.code import package


def now_ms(aws: Any) -> int:
    """The backend's "now": the virtual clock on the fakes, the wall clock on moto."""
    return aws.env.clock.now_millis() if hasattr(aws, "env") else int(time.time() * 1000)


def group_with_stream(aws: Any, group: str = "/app/orders", stream: str = "s1") -> Any:
    logs = aws.client("logs")
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName=stream)
    return logs


def put(logs: Any, messages: list[str], start: int, *, group: str = "/app/orders",
        stream: str = "s1") -> Any:
    return logs.put_log_events(
        logGroupName=group, logStreamName=stream,
        logEvents=[{"timestamp": start + i, "message": m} for i, m in enumerate(messages)],
    )


def error_code(caught: pytest.ExceptionInfo[ClientError]) -> str:
    return str(caught.value.response["Error"]["Code"])


def test_a_created_log_group_is_described_with_its_arn(aws: Any) -> None:
    logs = aws.client("logs")
    logs.create_log_group(logGroupName="/app/orders")
    [group] = logs.describe_log_groups()["logGroups"]
    assert group["logGroupName"] == "/app/orders"
    assert group["arn"] == "arn:aws:logs:us-east-1:123456789012:log-group:/app/orders:*"
    assert isinstance(group["creationTime"], int)
    assert "retentionInDays" not in group


def test_creating_a_log_group_twice_is_resource_already_exists(aws: Any) -> None:
    logs = aws.client("logs")
    logs.create_log_group(logGroupName="/app/orders")
    with pytest.raises(ClientError) as caught:
        logs.create_log_group(logGroupName="/app/orders")
    assert error_code(caught) == "ResourceAlreadyExistsException"


def test_describe_log_groups_filters_by_prefix_in_name_order(aws: Any) -> None:
    logs = aws.client("logs")
    for name in ["/b/two", "/a/one", "/b/one", "/c"]:
        logs.create_log_group(logGroupName=name)
    groups = logs.describe_log_groups(logGroupNamePrefix="/b/")["logGroups"]
    assert [g["logGroupName"] for g in groups] == ["/b/one", "/b/two"]


def test_a_stream_in_a_missing_group_is_resource_not_found(aws: Any) -> None:
    with pytest.raises(ClientError) as caught:
        aws.client("logs").create_log_stream(logGroupName="/nope", logStreamName="s")
    assert error_code(caught) == "ResourceNotFoundException"


def test_creating_a_stream_twice_is_resource_already_exists(aws: Any) -> None:
    logs = group_with_stream(aws)
    with pytest.raises(ClientError) as caught:
        logs.create_log_stream(logGroupName="/app/orders", logStreamName="s1")
    assert error_code(caught) == "ResourceAlreadyExistsException"


def test_put_then_get_log_events_returns_them_in_order(aws: Any) -> None:
    logs = group_with_stream(aws)
    start = now_ms(aws) - 1000
    put(logs, ["first", "second", "third"], start)
    events = logs.get_log_events(logGroupName="/app/orders", logStreamName="s1",
                                 startFromHead=True)["events"]
    assert [(e["message"], e["timestamp"]) for e in events] == [
        ("first", start), ("second", start + 1), ("third", start + 2)]
    assert all("ingestionTime" in e for e in events)


def test_putting_into_a_missing_stream_is_resource_not_found(aws: Any) -> None:
    logs = group_with_stream(aws)
    with pytest.raises(ClientError) as caught:
        put(logs, ["x"], now_ms(aws), stream="missing")
    assert error_code(caught) == "ResourceNotFoundException"


@pytest.mark.fakes_only  # moto stores them; AWS: "must be in chronological order" (PutLogEvents)
def test_events_out_of_chronological_order_are_refused(aws: Any) -> None:
    logs = group_with_stream(aws)
    now = now_ms(aws)
    with pytest.raises(ClientError) as caught:
        logs.put_log_events(logGroupName="/app/orders", logStreamName="s1", logEvents=[
            {"timestamp": now, "message": "b"}, {"timestamp": now - 5, "message": "a"}])
    assert error_code(caught) == "InvalidParameterException"


# moto gives the index of the last old event; AWS's end index is exclusive:
# https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_RejectedLogEventsInfo.html
@pytest.mark.fakes_only
def test_events_older_than_fourteen_days_or_the_retention_are_rejected_not_stored(
    aws: Any,
) -> None:
    logs = group_with_stream(aws)
    now = now_ms(aws)
    response = put(logs, ["ancient", "ancient too"], now - 15 * 86_400_000)
    assert response["rejectedLogEventsInfo"] == {"tooOldLogEventEndIndex": 2}
    logs.put_retention_policy(logGroupName="/app/orders", retentionInDays=1)
    response = put(logs, ["expired"], now - 2 * 86_400_000)
    assert response["rejectedLogEventsInfo"] == {"expiredLogEventEndIndex": 1}
    assert logs.get_log_events(logGroupName="/app/orders", logStreamName="s1")["events"] == []


# moto stores it; AWS: "A batch of log events in a single request cannot span more than 24 hours"
# https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html
@pytest.mark.fakes_only
def test_a_batch_spanning_more_than_a_day_is_refused(aws: Any) -> None:
    logs = group_with_stream(aws)
    now = now_ms(aws)
    with pytest.raises(ClientError) as caught:
        logs.put_log_events(logGroupName="/app/orders", logStreamName="s1", logEvents=[
            {"timestamp": now - 2 * 86_400_000, "message": "a"}, {"timestamp": now, "message": "b"}])
    assert error_code(caught) == "InvalidParameterException"


def test_get_log_events_pages_forward_from_the_head(aws: Any) -> None:
    logs = group_with_stream(aws)
    put(logs, [f"m{i}" for i in range(5)], now_ms(aws) - 100)
    first = logs.get_log_events(logGroupName="/app/orders", logStreamName="s1",
                                startFromHead=True, limit=2)
    second = logs.get_log_events(logGroupName="/app/orders", logStreamName="s1",
                                 nextToken=first["nextForwardToken"], limit=2)
    assert [e["message"] for e in first["events"]] == ["m0", "m1"]
    assert [e["message"] for e in second["events"]] == ["m2", "m3"]


def test_filter_log_events_with_a_term_and_a_quoted_phrase(aws: Any) -> None:
    logs = group_with_stream(aws)
    put(logs, ["ERROR disk full", "INFO all good", "ERROR Task timed out"], now_ms(aws) - 100)
    found = logs.filter_log_events(logGroupName="/app/orders", filterPattern="ERROR")["events"]
    assert [e["message"] for e in found] == ["ERROR disk full", "ERROR Task timed out"]
    phrase = logs.filter_log_events(logGroupName="/app/orders",
                                    filterPattern='"Task timed out"')["events"]
    assert [e["message"] for e in phrase] == ["ERROR Task timed out"]


@pytest.mark.fakes_only  # moto does not model JSON filter patterns (FilterAndPatternSyntax)
def test_filter_log_events_with_a_json_condition(aws: Any) -> None:
    logs = group_with_stream(aws)
    put(logs, [json.dumps({"level": "ERROR", "n": 1}), json.dumps({"level": "INFO", "n": 2}),
               "ERROR but not json"], now_ms(aws) - 100)
    found = logs.filter_log_events(logGroupName="/app/orders",
                                   filterPattern='{ $.level = "ERROR" }')["events"]
    assert [json.loads(e["message"])["n"] for e in found] == [1]


@pytest.mark.fakes_only  # moto ignores ?, - and numeric comparisons; see FilterAndPatternSyntax
def test_filter_patterns_with_alternatives_exclusions_and_numbers(aws: Any) -> None:
    logs = group_with_stream(aws)
    put(logs, ["ERROR a", "WARN b", "ERROR Throttling c", json.dumps({"latency": 250}),
               json.dumps({"latency": 50})], now_ms(aws) - 100)

    def messages(pattern: str) -> list[str]:
        return [e["message"] for e in logs.filter_log_events(
            logGroupName="/app/orders", filterPattern=pattern)["events"]]

    assert messages("?ERROR ?WARN") == ["ERROR a", "WARN b", "ERROR Throttling c"]
    assert messages("ERROR -Throttling") == ["ERROR a"]
    assert messages("{ $.latency > 100 }") == ['{"latency": 250}']
    assert messages("{ ($.latency < 100) || ($.latency >= 250) }") == [
        '{"latency": 250}', '{"latency": 50}']


@pytest.mark.fakes_only  # refusing beats matching wrongly: the fake does not model these
def test_an_unsupported_filter_pattern_is_refused_naming_it(aws: Any) -> None:
    logs = group_with_stream(aws)
    with pytest.raises(ClientError) as caught:
        logs.filter_log_events(logGroupName="/app/orders", filterPattern="[ip, user, status]")
    assert error_code(caught) == "InvalidParameterException"
    assert "[ip, user, status]" in caught.value.response["Error"]["Message"]


# moto lists stream by stream; AWS: "sorted by event timestamp" (FilterLogEvents):
# https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html
@pytest.mark.fakes_only
def test_filter_log_events_interleaves_streams_by_time_and_selects_streams(aws: Any) -> None:
    logs = group_with_stream(aws)
    logs.create_log_stream(logGroupName="/app/orders", logStreamName="s2")
    start = now_ms(aws) - 100
    logs.put_log_events(logGroupName="/app/orders", logStreamName="s1", logEvents=[
        {"timestamp": start, "message": "one"}, {"timestamp": start + 2, "message": "three"}])
    logs.put_log_events(logGroupName="/app/orders", logStreamName="s2", logEvents=[
        {"timestamp": start + 1, "message": "two"}])
    found = logs.filter_log_events(logGroupName="/app/orders")["events"]
    assert [(e["message"], e["logStreamName"]) for e in found] == [
        ("one", "s1"), ("two", "s2"), ("three", "s1")]
    only = logs.filter_log_events(logGroupName="/app/orders", logStreamNames=["s2"])["events"]
    assert [e["message"] for e in only] == ["two"]


# moto accepts any number; AWS allows a fixed set (PutRetentionPolicy):
# https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
@pytest.mark.fakes_only
def test_a_retention_outside_the_allowed_values_is_refused(aws: Any) -> None:
    logs = aws.client("logs")
    logs.create_log_group(logGroupName="/app/orders")
    with pytest.raises(ClientError) as caught:
        logs.put_retention_policy(logGroupName="/app/orders", retentionInDays=2)
    assert error_code(caught) == "InvalidParameterException"


@pytest.mark.fakes_only  # moto keeps old events; AWS deletes them past the retention period
def test_events_past_the_retention_period_disappear_as_time_passes(aws: Any) -> None:
    logs = group_with_stream(aws)
    logs.put_retention_policy(logGroupName="/app/orders", retentionInDays=1)
    put(logs, ["soon gone"], now_ms(aws))
    aws.advance(86_400 + 1)
    assert logs.get_log_events(logGroupName="/app/orders", logStreamName="s1")["events"] == []


def test_retention_is_set_shown_and_removed(aws: Any) -> None:
    logs = aws.client("logs")
    logs.create_log_group(logGroupName="/app/orders")
    logs.put_retention_policy(logGroupName="/app/orders", retentionInDays=7)
    assert logs.describe_log_groups()["logGroups"][0]["retentionInDays"] == 7
    logs.delete_retention_policy(logGroupName="/app/orders")
    assert "retentionInDays" not in logs.describe_log_groups()["logGroups"][0]


def test_describe_log_streams_by_last_event_time_descending(aws: Any) -> None:
    logs = group_with_stream(aws, stream="early")
    logs.create_log_stream(logGroupName="/app/orders", logStreamName="late")
    now = now_ms(aws)
    put(logs, ["a"], now - 500, stream="late")
    put(logs, ["b"], now - 900, stream="early")
    streams = logs.describe_log_streams(logGroupName="/app/orders", orderBy="LastEventTime",
                                        descending=True)["logStreams"]
    assert [s["logStreamName"] for s in streams] == ["late", "early"]


def test_a_deleted_log_group_is_gone(aws: Any) -> None:
    logs = group_with_stream(aws)
    logs.delete_log_group(logGroupName="/app/orders")
    assert logs.describe_log_groups()["logGroups"] == []
    with pytest.raises(ClientError) as caught:
        logs.delete_log_group(logGroupName="/app/orders")
    assert error_code(caught) == "ResourceNotFoundException"


def test_a_deleted_log_stream_is_gone(aws: Any) -> None:
    logs = group_with_stream(aws)
    logs.delete_log_stream(logGroupName="/app/orders", logStreamName="s1")
    assert logs.describe_log_streams(logGroupName="/app/orders")["logStreams"] == []


def test_describe_log_groups_pages_with_limit_and_next_token(aws: Any) -> None:
    logs = aws.client("logs")
    for name in ["/p/a", "/p/b", "/p/c"]:
        logs.create_log_group(logGroupName=name)
    first = logs.describe_log_groups(limit=2)
    second = logs.describe_log_groups(limit=2, nextToken=first["nextToken"])
    assert [g["logGroupName"] for g in first["logGroups"]] == ["/p/a", "/p/b"]
    assert [g["logGroupName"] for g in second["logGroups"]] == ["/p/c"]
    assert "nextToken" not in second


def test_filter_log_events_between_a_start_and_an_end_time(aws: Any) -> None:
    logs = group_with_stream(aws)
    start = now_ms(aws) - 1000
    put(logs, ["t0", "t1", "t2", "t3"], start)
    found = logs.filter_log_events(logGroupName="/app/orders", startTime=start + 1,
                                   endTime=start + 2)["events"]
    assert [e["message"] for e in found] == ["t1", "t2"]


def test_retention_on_a_missing_group_is_resource_not_found(aws: Any) -> None:
    with pytest.raises(ClientError) as caught:
        aws.client("logs").put_retention_policy(logGroupName="/nope", retentionInDays=7)
    assert error_code(caught) == "ResourceNotFoundException"


# --- Lambda's logs: the fakes run handlers, moto needs Docker for that -------------
# https://docs.aws.amazon.com/lambda/latest/dg/python-logging.html

HANDLER = """
import logging
from aws_lambda_powertools import Logger

logger = Logger(service="orders")
logging.getLogger().setLevel(logging.INFO)
print("initialising")


def lambda_handler(event, context):
    print("order", event["id"])
    logging.warning("stock low for %s", event["id"])
    logger.info("order placed", extra={"order_id": event["id"]})
    if event.get("fail"):
        raise ValueError("payment declined")
    return "ok"
"""


def deploy_handler(aws: Any, tmp_path: Path) -> Any:
    (tmp_path / "app.py").write_text(HANDLER)
    client = aws.client("lambda")
    client.create_function(FunctionName="orders", Runtime="python3.12",
                           Role="arn:aws:iam::123456789012:role/r", Handler="app.lambda_handler",
                           Code={"ZipFile": package(tmp_path)})
    return client


@pytest.mark.fakes_only
def test_a_handlers_prints_and_logs_land_in_its_log_group_between_start_and_report(
    aws: Any, tmp_path: Path
) -> None:
    client = deploy_handler(aws, tmp_path)
    client.invoke(FunctionName="orders", Payload=json.dumps({"id": "o-1"}).encode())
    request_id = aws.env.invocations("orders")[0].request_id
    messages = aws.env.logs("orders")
    assert messages[0].startswith("INIT_START Runtime Version: python:3.12")
    assert messages[1:3] == ["initialising", f"START RequestId: {request_id} Version: $LATEST"]
    assert messages[3] == "order o-1"
    assert messages[4] == f"[WARNING]\t2026-01-01T00:00:00.000Z\t{request_id}\tstock low for o-1"
    assert json.loads(messages[5])["message"] == "order placed"
    assert messages[6] == f"END RequestId: {request_id}"
    assert messages[7].startswith(f"REPORT RequestId: {request_id}\tDuration: 0.00 ms")
    logs = aws.client("logs")
    [stream] = logs.describe_log_streams(logGroupName="/aws/lambda/orders")["logStreams"]
    assert stream["logStreamName"] == aws.env.invocations("orders")[0].log_stream


@pytest.mark.fakes_only
def test_powertools_json_logs_are_found_by_a_json_filter_and_errors_by_a_term(
    aws: Any, tmp_path: Path
) -> None:
    client = deploy_handler(aws, tmp_path)
    for order in ["o-1", "o-2"]:
        client.invoke(FunctionName="orders", Payload=json.dumps({"id": order}).encode())
    client.invoke(FunctionName="orders", Payload=json.dumps({"id": "o-3", "fail": 1}).encode())
    logs = aws.client("logs")
    placed = logs.filter_log_events(logGroupName="/aws/lambda/orders",
                                    filterPattern='{ $.order_id = "o-*" }')["events"]
    assert [json.loads(e["message"])["order_id"] for e in placed] == ["o-1", "o-2", "o-3"]
    errors = logs.filter_log_events(logGroupName="/aws/lambda/orders",
                                    filterPattern='"[ERROR]"')["events"]
    [error] = [e["message"] for e in errors]
    assert error.startswith("[ERROR] ValueError: payment declined\rTraceback")
