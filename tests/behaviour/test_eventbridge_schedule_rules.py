"""EventBridge schedule rules: rate/cron rules fire on the virtual clock with AWS's event shape.

The scheduled event: https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-scheduled.html
(moto stores schedule rules but never fires them, so firing is fakes only).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from botocore.exceptions import ClientError

from tests.integration.delivery_contracts import aws_catalog, nonconformities

RULE_ARN = "arn:aws:events:us-east-1:123456789012:rule/"


@pytest.fixture
def events(aws: Any) -> Any:
    return aws.client("events")


def _queue(aws: Any, name: str = "scheduled") -> tuple[str, str]:
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def _received(aws: Any, url: str) -> list[dict[str, Any]]:
    sqs = aws.client("sqs")
    bodies = []
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return bodies
        for message in messages:
            bodies.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def _scheduled(events: Any, name: str, expression: str, target_arn: str, **target: Any) -> None:
    events.put_rule(Name=name, ScheduleExpression=expression)
    events.put_targets(Rule=name, Targets=[{"Id": "t", "Arn": target_arn, **target}])


def test_a_schedule_rule_is_stored_with_its_expression(events: Any) -> None:
    events.put_rule(Name="every-5", ScheduleExpression="rate(5 minutes)")
    assert events.describe_rule(Name="every-5")["ScheduleExpression"] == "rate(5 minutes)"


@pytest.mark.fakes_only  # moto accepts any expression; AWS refuses malformed ones (page above)
@pytest.mark.parametrize("expression", ["rate(1 minutes)", "cron(0 12 * * *)", "at(2026-01-01T00:00:00)"])
def test_an_invalid_schedule_expression_is_refused(events: Any, expression: str) -> None:
    with pytest.raises(ClientError) as error:
        events.put_rule(Name="bad", ScheduleExpression=expression)
    assert error.value.response["Error"]["Code"] == "ValidationException"


@pytest.mark.fakes_only  # https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html
def test_schedule_rules_belong_to_the_default_bus(events: Any) -> None:
    events.create_event_bus(Name="custom")
    with pytest.raises(ClientError) as error:
        events.put_rule(Name="x", EventBusName="custom", ScheduleExpression="rate(1 hour)")
    assert error.value.response["Error"]["Code"] == "ValidationException"


@pytest.mark.fakes_only
def test_a_rate_rule_delivers_the_documented_scheduled_event(aws: Any, events: Any) -> None:
    url, arn = _queue(aws)
    _scheduled(events, "every-5", "rate(5 minutes)", arn)
    aws.advance(15 * 60)
    received = _received(aws, url)
    assert sorted(e["time"] for e in received) == [
        "2026-01-01T00:05:00Z", "2026-01-01T00:10:00Z", "2026-01-01T00:15:00Z"
    ]
    for event in received:
        assert (event["source"], event["detail-type"], event["detail"]) == ("aws.events", "Scheduled Event", {})
        assert event["resources"] == [RULE_ARN + "every-5"]
        assert event["account"] == "123456789012" and event["region"] == "us-east-1"
        parsed = EventBridgeModel.model_validate(event)
        assert parsed.detail_type == "Scheduled Event"
        assert aws_catalog()["EventBridgeEvent"].is_valid(event)
    assert len({e["id"] for e in received}) == 3
    assert nonconformities(aws.env.deliveries) == []


@pytest.mark.fakes_only
def test_a_cron_rule_fires_at_the_times_it_names(aws: Any, events: Any) -> None:
    url, arn = _queue(aws)
    _scheduled(events, "weekday-9", "cron(0 9 ? * MON-FRI *)", arn)
    received = []
    for _ in range(7):  # a day at a time: SQS drops messages after its 4-day retention
        aws.advance(86400)
        received += _received(aws, url)
    # 2026-01-01 is a Thursday: Thu, Fri, then Mon to Wed.
    assert sorted(e["time"] for e in received) == [
        f"2026-01-{day:02d}T09:00:00Z" for day in (1, 2, 5, 6, 7)
    ]


@pytest.mark.fakes_only
def test_a_disabled_rule_is_silent_until_enabled(aws: Any, events: Any) -> None:
    url, arn = _queue(aws)
    _scheduled(events, "paused", "rate(1 hour)", arn)
    events.disable_rule(Name="paused")
    aws.advance(3 * 3600)
    assert _received(aws, url) == []
    events.enable_rule(Name="paused")
    aws.advance(3600)
    assert len(_received(aws, url)) == 1


@pytest.mark.fakes_only
def test_a_deleted_rule_stops_firing(aws: Any, events: Any) -> None:
    url, arn = _queue(aws)
    _scheduled(events, "doomed", "rate(1 minute)", arn)
    aws.advance(60)
    events.remove_targets(Rule="doomed", Ids=["t"])
    events.delete_rule(Name="doomed")
    aws.advance(600)
    assert len(_received(aws, url)) == 1


@pytest.mark.fakes_only
def test_a_lambda_target_gets_the_scheduled_event(aws: Any, events: Any) -> None:
    env = aws.env
    function = env.lambda_.register("cleanup", lambda event, context: None)
    _scheduled(events, "hourly", "rate(1 hour)", function)
    env.clock.advance(3600)
    env.run_until_idle()
    [invocation] = env.invocations("cleanup")
    assert EventBridgeModel.model_validate(invocation.event).source == "aws.events"
    assert nonconformities(env.deliveries) == []


@pytest.mark.fakes_only
def test_an_input_transformer_sees_the_scheduled_event(aws: Any, events: Any) -> None:
    url, arn = _queue(aws)
    _scheduled(events, "shaped", "rate(1 hour)", arn, InputTransformer={
        "InputPathsMap": {"when": "$.time", "rule": "$.resources[0]"},
        "InputTemplate": '{"ranAt": <when>, "by": <rule>}',
    })
    aws.advance(3600)
    assert _received(aws, url) == [{"ranAt": "2026-01-01T01:00:00Z", "by": RULE_ARN + "shaped"}]


@pytest.mark.fakes_only
def test_run_until_idle_does_not_chase_a_schedule_rule(aws: Any, events: Any) -> None:
    _, arn = _queue(aws)
    _scheduled(events, "forever", "rate(1 minute)", arn)
    before = aws.env.clock.now()
    aws.env.run_until_idle()
    assert aws.env.clock.now() == before
