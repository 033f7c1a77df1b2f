"""EventBridge delivering to targets, on the fakes and on moto (SQS targets)."""

from __future__ import annotations

import json
from typing import Any

import pytest


@pytest.fixture
def events(aws: Any) -> Any:
    return aws.client("events")


@pytest.fixture
def sqs(aws: Any) -> Any:
    return aws.client("sqs")


def make_queue(sqs: Any, name: str) -> tuple[str, str]:
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    return url, arn


def bodies(sqs: Any, url: str) -> list[str]:
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return [m["Body"] for m in messages]


def route(events: Any, sqs: Any, pattern: dict[str, Any], **target: Any) -> str:
    url, arn = make_queue(sqs, "target")
    events.put_rule(Name="r1", EventPattern=json.dumps(pattern))
    events.put_targets(Rule="r1", Targets=[{"Id": "t1", "Arn": arn, **target}])
    return url


def put(
    events: Any, detail: dict[str, Any], source: str = "shop", detail_type: str = "OrderPlaced"
) -> str:
    entry = {"Source": source, "DetailType": detail_type, "Detail": json.dumps(detail)}
    return str(events.put_events(Entries=[entry])["Entries"][0]["EventId"])


@pytest.mark.fakes_only  # moto leaves out "account"; AWS's envelope has it (eb-events-structure.html, recorded in events_test_events_targets)
def test_a_matching_event_reaches_the_sqs_target_as_the_envelope(events: Any, sqs: Any) -> None:
    url = route(events, sqs, {"source": ["shop"]})
    event_id = put(events, {"order": 7})
    [body] = bodies(sqs, url)
    event = json.loads(body)
    assert event["id"] == event_id
    assert (event["version"], event["source"], event["detail-type"]) == ("0", "shop", "OrderPlaced")
    assert event["detail"] == {"order": 7} and event["resources"] == []
    assert set(event) == {
        "version",
        "id",
        "detail-type",
        "source",
        "account",
        "time",
        "region",
        "resources",
        "detail",
    }


def test_an_event_that_does_not_match_is_not_delivered(events: Any, sqs: Any) -> None:
    url = route(events, sqs, {"source": ["bank"]})
    put(events, {"order": 7})
    assert bodies(sqs, url) == []


@pytest.mark.fakes_only  # moto delivers for disabled rules; AWS: a DISABLED rule does not match events (API_PutRule State)
def test_a_disabled_rule_delivers_nothing(events: Any, sqs: Any) -> None:
    url = route(events, sqs, {"source": ["shop"]})
    events.disable_rule(Name="r1")
    put(events, {"order": 7})
    assert bodies(sqs, url) == []


def test_detail_fields_select_the_events(events: Any, sqs: Any) -> None:
    url = route(events, sqs, {"detail": {"status": ["paid"]}})
    put(events, {"status": "open"})
    put(events, {"status": "paid"})
    assert [json.loads(b)["detail"] for b in bodies(sqs, url)] == [{"status": "paid"}]


@pytest.mark.fakes_only  # moto ignores Input; AWS: API_Target Input (eb-transform-target-input.html)
def test_constant_input_replaces_the_event(events: Any, sqs: Any) -> None:
    url = route(events, sqs, {"source": ["shop"]}, Input='{"fixed": true}')
    put(events, {"order": 7})
    assert [json.loads(b) for b in bodies(sqs, url)] == [{"fixed": True}]


@pytest.mark.fakes_only  # moto ignores InputPath; AWS: API_Target InputPath (recorded in events_test_events_inputs)
def test_input_path_selects_part_of_the_event(events: Any, sqs: Any) -> None:
    url = route(events, sqs, {"source": ["shop"]}, InputPath="$.detail")
    put(events, {"order": 7})
    assert [json.loads(b) for b in bodies(sqs, url)] == [{"order": 7}]


def test_input_transformer_with_a_json_template(events: Any, sqs: Any) -> None:
    transformer = {
        "InputPathsMap": {"order": "$.detail.order", "kind": "$.detail-type"},
        "InputTemplate": '{"id": <order>, "kind": "<kind>"}',
    }
    url = route(events, sqs, {"source": ["shop"]}, InputTransformer=transformer)
    put(events, {"order": 7})
    assert [json.loads(b) for b in bodies(sqs, url)] == [{"id": 7, "kind": "OrderPlaced"}]


@pytest.mark.fakes_only  # moto renders objects in string templates as JSON; AWS drops quotes (recorded)
def test_input_transformer_with_a_string_template(events: Any, sqs: Any) -> None:
    transformer = {
        "InputPathsMap": {"payload": "$.detail.payload", "user": "$.detail.payload.user"},
        "InputTemplate": '"Payload of <payload> for <user> <missing>"',
    }
    transformer["InputPathsMap"]["missing"] = "$.detail.nothing"
    url = route(events, sqs, {"source": ["shop"]}, InputTransformer=transformer)
    put(events, {"payload": {"user": "u1", "n": 2}})
    assert bodies(sqs, url) == ['"Payload of {user:u1,n:2} for u1 "']


@pytest.mark.fakes_only  # moto does not resolve predefined variables; AWS: eb-transform-target-input.html
def test_input_transformer_predefined_variables(events: Any, sqs: Any) -> None:
    transformer = {
        "InputTemplate": '{"rule": "<aws.events.rule-name>", "event": <aws.events.event.json>}'
    }
    url = route(events, sqs, {"source": ["shop"]}, InputTransformer=transformer)
    event_id = put(events, {"order": 7})
    [body] = [json.loads(b) for b in bodies(sqs, url)]
    assert body["rule"] == "r1" and body["event"]["id"] == event_id


@pytest.mark.fakes_only  # moto accepts it; AWS's message is recorded in events_test_events_inputs
def test_an_undefined_placeholder_is_rejected(events: Any, sqs: Any) -> None:
    with pytest.raises(events.exceptions.ClientError) as raised:
        route(
            events, sqs, {"source": ["shop"]}, InputTransformer={"InputTemplate": '{"a": <nope>}'}
        )
    assert raised.value.response["Error"]["Message"] == (
        "InputTemplate for target t1 contains invalid placeholder nope."
    )


def test_two_rules_both_deliver_one_event(events: Any, sqs: Any) -> None:
    url_a, arn_a = make_queue(sqs, "a")
    url_b, arn_b = make_queue(sqs, "b")
    events.put_rule(Name="ra", EventPattern='{"source": ["shop"]}')
    events.put_rule(Name="rb", EventPattern='{"detail-type": ["OrderPlaced"]}')
    events.put_targets(Rule="ra", Targets=[{"Id": "t", "Arn": arn_a}])
    events.put_targets(Rule="rb", Targets=[{"Id": "t", "Arn": arn_b}])
    put(events, {"order": 7})
    assert len(bodies(sqs, url_a)) == len(bodies(sqs, url_b)) == 1


def test_events_on_a_custom_bus_reach_only_its_rules(events: Any, sqs: Any) -> None:
    events.create_event_bus(Name="orders")
    url, arn = make_queue(sqs, "custom")
    events.put_rule(Name="r1", EventBusName="orders", EventPattern='{"source": ["shop"]}')
    events.put_targets(Rule="r1", EventBusName="orders", Targets=[{"Id": "t", "Arn": arn}])
    put(events, {"order": 1})  # default bus
    events.put_events(
        Entries=[
            {
                "Source": "shop",
                "DetailType": "T",
                "Detail": '{"order": 2}',
                "EventBusName": "orders",
            }
        ]
    )
    assert [json.loads(b)["detail"] for b in bodies(sqs, url)] == [{"order": 2}]


@pytest.mark.fakes_only  # moto does not retry or dead-letter; AWS: eb-rule-retry-policy.html, eb-rule-dlq.html
def test_an_undeliverable_event_is_retried_then_dead_lettered(
    aws: Any, events: Any, sqs: Any
) -> None:
    dlq_url, dlq_arn = make_queue(sqs, "dlq")
    gone = "arn:aws:sqs:us-east-1:123456789012:gone"
    events.put_rule(Name="r1", EventPattern='{"source": ["shop"]}')
    target = {
        "Id": "t1",
        "Arn": gone,
        "RetryPolicy": {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 3600},
        "DeadLetterConfig": {"Arn": dlq_arn},
    }
    events.put_targets(Rule="r1", Targets=[target])
    put(events, {"order": 7})
    aws.env.run_until_idle()
    attempts = aws.env.events.deliveries("r1")
    assert [d.attempt for d in attempts] == [1, 2, 3]
    assert [d.time - attempts[0].time for d in attempts] == [0, 1, 3]
    [message] = sqs.receive_message(QueueUrl=dlq_url, MessageAttributeNames=["All"])["Messages"]
    attributes = {k: v["StringValue"] for k, v in message["MessageAttributes"].items()}
    assert attributes["EXHAUSTED_RETRY_CONDITION"] == "MaximumRetryAttemptsExhausted"
    assert attributes["RETRY_ATTEMPTS"] == "2" and attributes["TARGET_ARN"] == gone
    assert json.loads(message["Body"])["detail"] == {"order": 7}


@pytest.mark.fakes_only  # moto has no virtual clock; AWS: eb-rule-retry-policy.html (event age)
def test_the_event_age_limit_ends_retries(aws: Any, events: Any, sqs: Any) -> None:
    _, dlq_arn = make_queue(sqs, "dlq")
    events.put_rule(Name="r1", EventPattern='{"source": ["shop"]}')
    target = {
        "Id": "t1",
        "Arn": "arn:aws:sqs:us-east-1:123456789012:gone",
        "RetryPolicy": {"MaximumRetryAttempts": 185, "MaximumEventAgeInSeconds": 60},
        "DeadLetterConfig": {"Arn": dlq_arn},
    }
    events.put_targets(Rule="r1", Targets=[target])
    put(events, {"order": 7})
    aws.env.run_until_idle()
    last = aws.env.events.deliveries("r1")[-1]
    assert last.dead_lettered and last.time - aws.env.events.deliveries("r1")[0].time <= 60


@pytest.mark.fakes_only  # moto rejects 186 only client-side in newer versions; AWS range 0-185
def test_retry_attempts_above_185_are_rejected(events: Any) -> None:
    events.put_rule(Name="r1", EventPattern='{"source": ["shop"]}')
    target = {
        "Id": "t1",
        "Arn": "arn:aws:sqs:us-east-1:123456789012:q",
        "RetryPolicy": {"MaximumRetryAttempts": 186},
    }
    with pytest.raises(events.exceptions.ClientError) as raised:
        events.put_targets(Rule="r1", Targets=[target])
    assert raised.value.response["Error"]["Code"] == "ValidationException"


@pytest.mark.fakes_only  # fakes' inspection API: every accepted envelope
def test_the_fake_records_every_accepted_event(aws: Any, events: Any) -> None:
    event_id = put(events, {"order": 7})
    [event] = aws.env.events.events()
    assert event["id"] == event_id and event["time"] == aws.env.clock.iso_now()
