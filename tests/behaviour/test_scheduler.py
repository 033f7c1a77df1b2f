"""EventBridge Scheduler: the schedule and group API (fakes and moto) and firing (fakes)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from botocore.exceptions import ClientError

from tests.integration.delivery_contracts import aws_catalog, nonconformities

ROLE = "arn:aws:iam::123456789012:role/scheduler"
START = datetime(2026, 1, 1, tzinfo=UTC)  # the fakes' clock starts here


def _code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


@pytest.fixture
def scheduler(aws: Any) -> Any:
    return aws.client("scheduler")


def _queue(aws: Any, name: str = "ticks") -> tuple[str, str]:
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def _create(scheduler: Any, name: str, expression: str, arn: str, **extra: Any) -> str:
    target = {"Arn": arn, "RoleArn": ROLE, **extra.pop("target", {})}
    response = scheduler.create_schedule(
        Name=name, ScheduleExpression=expression, FlexibleTimeWindow={"Mode": "OFF"}, Target=target, **extra
    )
    return str(response["ScheduleArn"])


def _bodies(aws: Any, url: str) -> list[str]:
    messages = aws.client("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return [m["Body"] for m in messages]


QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:ticks"


# --- the API (fakes and moto) -------------------------------------------------
def test_a_schedule_reads_back_with_its_arn_and_defaults(scheduler: Any) -> None:
    arn = _create(scheduler, "nightly", "cron(0 2 * * ? *)", QUEUE_ARN)
    assert arn == "arn:aws:scheduler:us-east-1:123456789012:schedule/default/nightly"
    schedule = scheduler.get_schedule(Name="nightly")
    assert (schedule["State"], schedule["GroupName"], schedule["ScheduleExpression"]) == (
        "ENABLED", "default", "cron(0 2 * * ? *)"
    )
    assert schedule["Target"]["RetryPolicy"] == {"MaximumEventAgeInSeconds": 86400, "MaximumRetryAttempts": 185}


def test_a_second_schedule_with_the_same_name_conflicts(scheduler: Any) -> None:
    _create(scheduler, "dup", "rate(1 hour)", QUEUE_ARN)
    with pytest.raises(ClientError) as error:
        _create(scheduler, "dup", "rate(1 hour)", QUEUE_ARN)
    assert _code(error) == "ConflictException"


def test_an_unknown_schedule_is_resource_not_found(scheduler: Any) -> None:
    with pytest.raises(ClientError) as error:
        scheduler.get_schedule(Name="ghost")
    assert _code(error) == "ResourceNotFoundException"


def test_update_replaces_the_schedule(scheduler: Any) -> None:
    _create(scheduler, "u", "rate(1 hour)", QUEUE_ARN)
    scheduler.update_schedule(
        Name="u", ScheduleExpression="rate(2 hours)", FlexibleTimeWindow={"Mode": "OFF"},
        Target={"Arn": QUEUE_ARN, "RoleArn": ROLE}, State="DISABLED",
    )
    schedule = scheduler.get_schedule(Name="u")
    assert (schedule["ScheduleExpression"], schedule["State"]) == ("rate(2 hours)", "DISABLED")


def test_a_deleted_schedule_is_gone(scheduler: Any) -> None:
    _create(scheduler, "d", "rate(1 hour)", QUEUE_ARN)
    scheduler.delete_schedule(Name="d")
    with pytest.raises(ClientError) as error:
        scheduler.get_schedule(Name="d")
    assert _code(error) == "ResourceNotFoundException"


def test_schedule_groups_are_created_listed_and_deleted(scheduler: Any) -> None:
    arn = scheduler.create_schedule_group(Name="billing")["ScheduleGroupArn"]
    assert arn == "arn:aws:scheduler:us-east-1:123456789012:schedule-group/billing"
    assert scheduler.get_schedule_group(Name="billing")["State"] == "ACTIVE"
    names = sorted(g["Name"] for g in scheduler.list_schedule_groups()["ScheduleGroups"])
    assert names == ["billing", "default"]
    _create(scheduler, "invoice", "rate(1 day)", QUEUE_ARN, GroupName="billing")
    assert scheduler.get_schedule(Name="invoice", GroupName="billing")["GroupName"] == "billing"
    scheduler.delete_schedule_group(Name="billing")
    with pytest.raises(ClientError) as error:
        scheduler.get_schedule_group(Name="billing")
    assert _code(error) == "ResourceNotFoundException"


@pytest.mark.fakes_only  # moto creates it anyway; AWS answers ResourceNotFoundException:
# https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html
def test_a_schedule_needs_an_existing_group(scheduler: Any) -> None:
    with pytest.raises(ClientError) as error:
        _create(scheduler, "x", "rate(1 hour)", QUEUE_ARN, GroupName="nope")
    assert _code(error) == "ResourceNotFoundException"


def test_list_schedules_filters_by_prefix_and_state(scheduler: Any) -> None:
    _create(scheduler, "report-daily", "rate(1 day)", QUEUE_ARN)
    _create(scheduler, "report-weekly", "rate(7 days)", QUEUE_ARN, State="DISABLED")
    _create(scheduler, "cleanup", "rate(1 hour)", QUEUE_ARN)
    listed = scheduler.list_schedules(NamePrefix="report-")["Schedules"]
    assert sorted(s["Name"] for s in listed) == ["report-daily", "report-weekly"]
    disabled = scheduler.list_schedules(State="DISABLED")["Schedules"]
    assert [s["Name"] for s in disabled] == ["report-weekly"]


@pytest.mark.fakes_only  # moto accepts any expression; AWS validates them:
# https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
@pytest.mark.parametrize("expression", ["rate(5 minute)", "cron(0 12 * * * *)", "every day", "at(tomorrow)"])
def test_invalid_expressions_are_refused(scheduler: Any, expression: str) -> None:
    with pytest.raises(ClientError) as error:
        _create(scheduler, "bad", expression, QUEUE_ARN)
    assert _code(error) == "ValidationException"


@pytest.mark.fakes_only  # the fake refuses what it does not model instead of ignoring it
def test_unmodelled_targets_and_parameters_are_refused(scheduler: Any) -> None:
    with pytest.raises(ClientError) as error:
        _create(scheduler, "k", "rate(1 hour)", QUEUE_ARN, KmsKeyArn="arn:aws:kms:us-east-1:123456789012:key/1")
    assert _code(error) == "UnsupportedParameter"
    with pytest.raises(ClientError) as error:
        _create(scheduler, "u", "rate(1 hour)", "arn:aws:scheduler:::aws-sdk:s3:listBuckets")
    assert _code(error) == "UnsupportedParameter"


@pytest.mark.fakes_only  # ClientToken makes a retried create idempotent:
# https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html
def test_a_retried_create_with_its_client_token_is_not_a_conflict(scheduler: Any) -> None:
    first = _create(scheduler, "retry", "rate(1 hour)", QUEUE_ARN, ClientToken="token-1")
    assert _create(scheduler, "retry", "rate(1 hour)", QUEUE_ARN, ClientToken="token-1") == first
    with pytest.raises(ClientError) as error:
        _create(scheduler, "retry", "rate(1 hour)", QUEUE_ARN, ClientToken="token-2")
    assert _code(error) == "ConflictException"


# --- firing on the virtual clock (fakes) -------------------------------------------
@pytest.mark.fakes_only
def test_a_rate_schedule_fires_at_once_then_every_period_with_context_input(aws: Any, scheduler: Any) -> None:
    url, arn = _queue(aws)
    _create(scheduler, "tick", "rate(5 minutes)", arn,
            target={"Input": '{"at": "<aws.scheduler.scheduled-time>", "n": "<aws.scheduler.attempt-number>"}'})
    aws.advance(10 * 60)
    bodies = [json.loads(b) for b in _bodies(aws, url)]
    assert [b["at"] for b in bodies] == ["2026-01-01T00:00:00Z", "2026-01-01T00:05:00Z", "2026-01-01T00:10:00Z"]
    assert {b["n"] for b in bodies} == {"1"}


@pytest.mark.fakes_only
def test_run_until_idle_does_not_chase_a_recurring_schedule(aws: Any, scheduler: Any) -> None:
    _, arn = _queue(aws)
    _create(scheduler, "forever", "rate(1 minute)", arn)
    aws.env.run_until_idle()
    assert aws.env.clock.now() == START.timestamp()


@pytest.mark.fakes_only  # ScheduleExpressionTimezone:
# https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#time-zones
def test_a_cron_schedule_fires_at_local_time_in_its_time_zone(aws: Any, scheduler: Any) -> None:
    _, arn = _queue(aws)
    _create(scheduler, "paris", "cron(0 9 ? * MON-FRI *)", arn, ScheduleExpressionTimezone="Europe/Paris")
    aws.advance(3 * 86400)
    fired = [i.scheduled_time.astimezone(UTC) for i in aws.env.scheduler.invocations("paris")]
    # 1 January 2026 is a Thursday; 09:00 in Paris is 08:00 UTC in winter.
    assert fired == [datetime(2026, 1, 1, 8, tzinfo=UTC), datetime(2026, 1, 2, 8, tzinfo=UTC)]


@pytest.mark.fakes_only  # ActionAfterCompletion:
# https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html
def test_a_one_time_schedule_fires_once_and_deletes_itself(aws: Any, scheduler: Any) -> None:
    url, arn = _queue(aws)
    _create(scheduler, "once", "at(2026-01-01T06:30:00)", arn, ActionAfterCompletion="DELETE",
            target={"Input": "reminder"})
    aws.advance(6 * 3600)
    assert _bodies(aws, url) == []
    aws.advance(3600)
    assert _bodies(aws, url) == ["reminder"]
    with pytest.raises(ClientError):
        scheduler.get_schedule(Name="once")


@pytest.mark.fakes_only
def test_nothing_fires_outside_start_and_end_dates(aws: Any, scheduler: Any) -> None:
    _, arn = _queue(aws)
    _create(scheduler, "window", "rate(1 hour)", arn,
            StartDate=START + timedelta(hours=2), EndDate=START + timedelta(hours=4, minutes=30))
    aws.advance(24 * 3600)
    fired = [i.scheduled_time for i in aws.env.scheduler.invocations("window")]
    assert fired == [START + timedelta(hours=h) for h in (2, 3, 4)]


@pytest.mark.fakes_only
def test_a_disabled_schedule_is_silent_until_enabled(aws: Any, scheduler: Any) -> None:
    _, arn = _queue(aws)
    _create(scheduler, "quiet", "rate(1 hour)", arn, State="DISABLED")
    aws.advance(3 * 3600)
    assert aws.env.scheduler.invocations("quiet") == []
    scheduler.update_schedule(Name="quiet", ScheduleExpression="rate(1 hour)", FlexibleTimeWindow={"Mode": "OFF"},
                              Target={"Arn": arn, "RoleArn": ROLE}, State="ENABLED")
    aws.advance(3600)
    assert len(aws.env.scheduler.invocations("quiet")) == 2


@pytest.mark.fakes_only
def test_a_lambda_target_is_invoked_asynchronously_with_the_input(aws: Any, scheduler: Any) -> None:
    env = aws.env
    function = env.lambda_.register("job", lambda event, context: event)
    _create(scheduler, "job", "rate(1 day)", function, target={"Input": json.dumps({"task": "report"})})
    env.run_until_idle()
    assert [i.event for i in env.invocations("job")] == [{"task": "report"}]


@pytest.mark.fakes_only
def test_an_eventbridge_target_puts_an_event_that_powertools_parses(aws: Any, scheduler: Any) -> None:
    env = aws.env
    url, queue_arn = _queue(aws, "bus-copy")
    events = aws.client("events")
    events.put_rule(Name="from-scheduler", EventPattern=json.dumps({"source": ["app.scheduler"]}))
    events.put_targets(Rule="from-scheduler", Targets=[{"Id": "q", "Arn": queue_arn}])
    bus = "arn:aws:events:us-east-1:123456789012:event-bus/default"
    schedule_arn = _create(scheduler, "emit", "rate(1 day)", bus, target={
        "Input": json.dumps({"kind": "daily"}),
        "EventBridgeParameters": {"Source": "app.scheduler", "DetailType": "Daily Tick"},
    })
    env.run_until_idle()  # a rate schedule without StartDate fires at once
    [body] = _bodies(aws, url)
    event = json.loads(body)
    parsed = EventBridgeModel.model_validate(event)
    assert (parsed.source, parsed.detail_type, parsed.detail) == ("app.scheduler", "Daily Tick", {"kind": "daily"})
    assert event["resources"] == [schedule_arn]
    assert aws_catalog()["EventBridgeEvent"].is_valid(event)
    assert nonconformities(env.deliveries) == []


@pytest.mark.fakes_only  # RetryPolicy and DeadLetterConfig:
# https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html
def test_a_failing_target_is_retried_then_dead_lettered(aws: Any, scheduler: Any) -> None:
    dlq_url, dlq_arn = _queue(aws, "scheduler-dlq")
    _create(scheduler, "broken", "at(2026-01-01T00:00:00)", "arn:aws:sqs:us-east-1:123456789012:missing",
            target={"Input": "x", "RetryPolicy": {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 3600},
                    "DeadLetterConfig": {"Arn": dlq_arn}})
    aws.env.run_until_idle()
    attempts = aws.env.scheduler.invocations("broken")
    assert [a.attempt for a in attempts] == [1, 2, 3] and all(a.error for a in attempts)
    [message] = aws.client("sqs").receive_message(QueueUrl=dlq_url, MessageAttributeNames=["All"])["Messages"]
    attributes = {k: v["StringValue"] for k, v in message["MessageAttributes"].items()}
    assert attributes["EXHAUSTED_RETRY_CONDITION"] == "MaximumRetryAttemptsExhausted"
    assert attributes["RETRY_ATTEMPTS"] == "2" and message["Body"] == "x"


@pytest.mark.fakes_only
def test_an_sns_target_gets_the_input_published(aws: Any, scheduler: Any) -> None:
    sns = aws.client("sns")
    topic = sns.create_topic(Name="alerts")["TopicArn"]
    _create(scheduler, "alert", "rate(1 hour)", topic, target={"Input": "wake up"})
    aws.env.run_until_idle()
    assert [m.message for m in aws.env.sns.published(topic)] == ["wake up"]
