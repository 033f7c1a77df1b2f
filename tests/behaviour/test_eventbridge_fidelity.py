"""EventBridge behaviours the fakes once got wrong, and archives, replays, tags.

Recorded DescribeRule (CreatedBy): tests/aws/services/events/test_events.py in
/work/shared/aws-recordings. Schedules only on the default bus:
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html
Archives and replays: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-archive.html
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

ARCHIVE_DOC = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-archive.html"
PATTERN = json.dumps({"source": ["shop"]})


def error(raised: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    return raised.value.response["Error"]["Code"], raised.value.response["Error"]["Message"]


def queue_target(aws: Any, name: str = "sink") -> tuple[Any, str, str]:
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return sqs, url, arn


def drain(sqs: Any, url: str) -> list[dict[str, Any]]:
    bodies = []
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return bodies
        for message in messages:
            bodies.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def put(events: Any, detail: dict[str, Any], bus: str = "default") -> None:
    events.put_events(
        Entries=[{"Source": "shop", "DetailType": "order", "Detail": json.dumps(detail), "EventBusName": bus}]
    )


# --- rules and targets ------------------------------------------------------------------
def test_a_schedule_on_a_custom_bus_is_refused(aws: Any) -> None:
    events = aws.client("events")
    events.create_event_bus(Name="orders")
    with pytest.raises(ClientError) as raised:
        events.put_rule(Name="tick", ScheduleExpression="rate(5 minutes)", EventBusName="orders")
    assert error(raised) == ("ValidationException", "ScheduleExpression is supported only on the default event bus.")


def test_a_schedule_on_the_default_bus_is_accepted(aws: Any) -> None:
    events = aws.client("events")
    arn = events.put_rule(Name="tick", ScheduleExpression="rate(5 minutes)")["RuleArn"]
    assert events.describe_rule(Name="tick")["ScheduleExpression"] == "rate(5 minutes)"
    assert arn.endswith(":rule/tick")


@pytest.mark.fakes_only  # API_PutTargets: Arn must be an ARN; moto accepts anything
@pytest.mark.parametrize("target", ["not-an-arn", "sqs:queue", "arn:aws"])
def test_a_target_that_is_not_an_arn_is_refused(aws: Any, target: str) -> None:
    events = aws.client("events")
    events.put_rule(Name="r", EventPattern=PATTERN)
    with pytest.raises(ClientError) as raised:
        events.put_targets(Rule="r", Targets=[{"Id": "1", "Arn": target}])
    assert error(raised)[0] == "ValidationException"
    assert events.list_targets_by_rule(Rule="r")["Targets"] == []


@pytest.mark.parametrize("bus", ["default", "orders"])
def test_describe_rule_says_who_created_it(aws: Any, bus: str) -> None:
    events = aws.client("events")
    if bus != "default":
        events.create_event_bus(Name=bus)
    events.put_rule(Name="r", EventPattern=PATTERN, EventBusName=bus)
    described = events.describe_rule(Name="r", EventBusName=bus)
    assert described["CreatedBy"] == described["Arn"].split(":")[4]


def test_list_rules_pages_with_limit(aws: Any) -> None:
    events = aws.client("events")
    for number in range(5):
        events.put_rule(Name=f"r{number}", EventPattern=PATTERN)
    first = events.list_rules(Limit=2)
    assert len(first["Rules"]) == 2
    rest = events.list_rules(Limit=10, NextToken=first["NextToken"])
    assert sorted(r["Name"] for r in first["Rules"] + rest["Rules"]) == [f"r{n}" for n in range(5)]
    assert "NextToken" not in rest


def test_list_targets_by_rule_pages_with_limit(aws: Any) -> None:
    events = aws.client("events")
    events.put_rule(Name="r", EventPattern=PATTERN)
    events.put_targets(
        Rule="r", Targets=[{"Id": str(n), "Arn": f"arn:aws:sqs:us-east-1:123456789012:q{n}"} for n in range(3)]
    )
    first = events.list_targets_by_rule(Rule="r", Limit=2)
    second = events.list_targets_by_rule(Rule="r", Limit=2, NextToken=first["NextToken"])
    assert len(first["Targets"]) + len(second["Targets"]) == 3


def test_list_rule_names_by_target(aws: Any) -> None:
    events = aws.client("events")
    target = "arn:aws:sqs:us-east-1:123456789012:q"
    for name in ("a", "b", "c"):
        events.put_rule(Name=name, EventPattern=PATTERN)
    events.put_targets(Rule="a", Targets=[{"Id": "1", "Arn": target}])
    events.put_targets(Rule="c", Targets=[{"Id": "1", "Arn": target}])
    assert sorted(events.list_rule_names_by_target(TargetArn=target)["RuleNames"]) == ["a", "c"]


# --- tags -------------------------------------------------------------------------------
def test_rules_and_buses_carry_tags(aws: Any) -> None:
    events = aws.client("events")
    bus = events.create_event_bus(Name="orders", Tags=[{"Key": "team", "Value": "shop"}])["EventBusArn"]
    rule = events.put_rule(Name="r", EventPattern=PATTERN, Tags=[{"Key": "k", "Value": "v"}])["RuleArn"]
    assert events.list_tags_for_resource(ResourceARN=bus)["Tags"] == [{"Key": "team", "Value": "shop"}]
    events.tag_resource(ResourceARN=rule, Tags=[{"Key": "env", "Value": "test"}])
    tags = events.list_tags_for_resource(ResourceARN=rule)["Tags"]
    assert sorted((t["Key"], t["Value"]) for t in tags) == [("env", "test"), ("k", "v")]
    events.untag_resource(ResourceARN=rule, TagKeys=["k"])
    assert events.list_tags_for_resource(ResourceARN=rule)["Tags"] == [{"Key": "env", "Value": "test"}]


def test_tagging_a_missing_rule_is_not_found(aws: Any) -> None:
    events = aws.client("events")
    with pytest.raises(ClientError) as raised:
        events.tag_resource(
            ResourceARN="arn:aws:events:us-east-1:123456789012:rule/missing", Tags=[{"Key": "k", "Value": "v"}]
        )
    assert error(raised)[0] == "ResourceNotFoundException"


# --- archives ---------------------------------------------------------------------------
def bus_arn(events: Any) -> str:
    return events.describe_event_bus(Name="default")["Arn"]


def test_an_archive_is_created_described_and_listed(aws: Any) -> None:
    events = aws.client("events")
    created = events.create_archive(ArchiveName="all", EventSourceArn=bus_arn(events), RetentionDays=3)
    assert created["State"] == "ENABLED"
    described = events.describe_archive(ArchiveName="all")
    assert (described["ArchiveName"], described["RetentionDays"]) == ("all", 3)
    assert [a["ArchiveName"] for a in events.list_archives()["Archives"]] == ["all"]
    events.delete_archive(ArchiveName="all")
    assert events.list_archives()["Archives"] == []


def test_an_archive_twice_already_exists(aws: Any) -> None:
    events = aws.client("events")
    events.create_archive(ArchiveName="all", EventSourceArn=bus_arn(events))
    with pytest.raises(ClientError) as raised:
        events.create_archive(ArchiveName="all", EventSourceArn=bus_arn(events))
    assert error(raised)[0] == "ResourceAlreadyExistsException"


def test_describing_a_missing_archive_is_not_found(aws: Any) -> None:
    with pytest.raises(ClientError) as raised:
        aws.client("events").describe_archive(ArchiveName="nope")
    assert error(raised)[0] == "ResourceNotFoundException"


@pytest.mark.fakes_only  # ARCHIVE_DOC: archives count what they keep; moto reports 0
def test_an_archive_keeps_the_events_matching_its_pattern(aws: Any) -> None:
    events = aws.client("events")
    events.create_archive(
        ArchiveName="big", EventSourceArn=bus_arn(events), EventPattern=json.dumps({"detail": {"big": [True]}})
    )
    put(events, {"big": True})
    put(events, {"big": False})
    assert events.describe_archive(ArchiveName="big")["EventCount"] == 1


@pytest.mark.fakes_only  # ARCHIVE_DOC: replays run later; needs the virtual clock
def test_a_replay_resends_archived_events_with_the_replay_name(aws: Any) -> None:
    events = aws.client("events")
    sqs, url, queue_arn = queue_target(aws)
    archive = events.create_archive(ArchiveName="all", EventSourceArn=bus_arn(events))["ArchiveArn"]
    events.put_rule(Name="orders", EventPattern=PATTERN)
    events.put_targets(Rule="orders", Targets=[{"Id": "q", "Arn": queue_arn}])
    start = datetime.now(UTC) - timedelta(days=3650)
    put(events, {"n": 1})
    put(events, {"n": 2})
    assert [b["detail"]["n"] for b in drain(sqs, url)] == [1, 2]
    started = events.start_replay(
        ReplayName="again",
        EventSourceArn=archive,
        EventStartTime=start,
        EventEndTime=start + timedelta(days=7300),
        Destination={"Arn": bus_arn(events)},
    )
    assert started["State"] == "STARTING"
    aws.env.run_until_idle()
    replayed = drain(sqs, url)
    assert [b["detail"]["n"] for b in replayed] == [1, 2]
    assert {b["replay-name"] for b in replayed} == {"again"}
    described = events.describe_replay(ReplayName="again")
    assert described["State"] == "COMPLETED"
    assert events.list_replays()["Replays"][0]["ReplayName"] == "again"


@pytest.mark.fakes_only  # ARCHIVE_DOC: FilterArns limits a replay to some rules
def test_a_replay_with_filter_arns_reaches_only_those_rules(aws: Any) -> None:
    events = aws.client("events")
    sqs, url_a, arn_a = queue_target(aws, "a")
    _, url_b, arn_b = queue_target(aws, "b")
    archive = events.create_archive(ArchiveName="all", EventSourceArn=bus_arn(events))["ArchiveArn"]
    rule_a = events.put_rule(Name="a", EventPattern=PATTERN)["RuleArn"]
    events.put_rule(Name="b", EventPattern=PATTERN)
    events.put_targets(Rule="a", Targets=[{"Id": "q", "Arn": arn_a}])
    events.put_targets(Rule="b", Targets=[{"Id": "q", "Arn": arn_b}])
    start = datetime.now(UTC) - timedelta(days=3650)
    put(events, {"n": 1})
    drain(sqs, url_a), drain(sqs, url_b)
    events.start_replay(
        ReplayName="only-a",
        EventSourceArn=archive,
        EventStartTime=start,
        EventEndTime=start + timedelta(days=7300),
        Destination={"Arn": bus_arn(events), "FilterArns": [rule_a]},
    )
    aws.env.run_until_idle()
    assert len(drain(sqs, url_a)) == 1
    assert drain(sqs, url_b) == []


@pytest.mark.fakes_only  # ARCHIVE_DOC: a replay can be cancelled before it ends
def test_a_cancelled_replay_sends_nothing(aws: Any) -> None:
    events = aws.client("events")
    sqs, url, queue_arn = queue_target(aws)
    archive = events.create_archive(ArchiveName="all", EventSourceArn=bus_arn(events))["ArchiveArn"]
    events.put_rule(Name="orders", EventPattern=PATTERN)
    events.put_targets(Rule="orders", Targets=[{"Id": "q", "Arn": queue_arn}])
    start = datetime.now(UTC) - timedelta(days=3650)
    put(events, {"n": 1})
    drain(sqs, url)
    events.start_replay(
        ReplayName="stop",
        EventSourceArn=archive,
        EventStartTime=start,
        EventEndTime=start + timedelta(days=7300),
        Destination={"Arn": bus_arn(events)},
    )
    assert events.cancel_replay(ReplayName="stop")["State"] == "CANCELLING"
    aws.env.run_until_idle()
    assert drain(sqs, url) == []
    assert events.describe_replay(ReplayName="stop")["State"] == "CANCELLED"


@pytest.mark.fakes_only  # ARCHIVE_DOC: a replay window must be ordered
def test_a_replay_window_must_end_after_it_starts(aws: Any) -> None:
    events = aws.client("events")
    archive = events.create_archive(ArchiveName="all", EventSourceArn=bus_arn(events))["ArchiveArn"]
    now = datetime.now(UTC)
    with pytest.raises(ClientError) as raised:
        events.start_replay(
            ReplayName="bad",
            EventSourceArn=archive,
            EventStartTime=now,
            EventEndTime=now - timedelta(hours=1),
            Destination={"Arn": bus_arn(events)},
        )
    assert error(raised)[0] == "ValidationException"
