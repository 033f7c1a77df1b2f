"""Targets the behaviour suite cannot reach on moto: Lambda, another bus, duplicates, the Python API."""

from __future__ import annotations

import json
from typing import Any

from eventproof_fakes import FakeAWS


def rule_to(
    env: FakeAWS, arn: str, *, bus: str = "default", pattern: str = '{"source": ["shop"]}'
) -> None:
    env.events.put_rule({"Name": "r1", "EventBusName": bus, "EventPattern": pattern})
    env.events.put_targets(
        {"Rule": "r1", "EventBusName": bus, "Targets": [{"Id": "t", "Arn": arn}]}
    )


ENTRY = {"Source": "shop", "DetailType": "OrderPlaced", "Detail": '{"order": 7}'}


def test_a_lambda_target_is_invoked_asynchronously_with_the_event() -> None:
    env = FakeAWS()
    seen: list[Any] = []
    arn = env.lambda_.register("consumer", lambda event, context: seen.append(event))
    rule_to(env, arn)
    [result] = env.events.put_event_entries([ENTRY])
    assert seen == []  # asynchronous: runs when the clock is driven
    env.run_until_idle()
    assert [event["id"] for event in seen] == [result["EventId"]]
    assert seen[0]["detail"] == {"order": 7}


def test_a_bus_target_re_routes_the_event_to_the_other_bus() -> None:
    env = FakeAWS()
    env.events.create_event_bus({"Name": "orders"})
    url = env.sqs.create_queue({"QueueName": "q"})["QueueUrl"]
    rule_to(env, env.arn("events", "event-bus/orders"))
    env.events.put_rule(
        {"Name": "r2", "EventBusName": "orders", "EventPattern": '{"source": ["shop"]}'}
    )
    env.events.put_targets(
        {
            "Rule": "r2",
            "EventBusName": "orders",
            "Targets": [{"Id": "t", "Arn": env.sqs.queue_arn(url)}],
        }
    )
    [result] = env.events.put_event_entries([ENTRY])
    [message] = env.sqs.messages(url)
    assert json.loads(message.body)["id"] == result["EventId"]
    assert [e["id"] for e in env.events.events("orders")] == [result["EventId"]]


def test_put_event_entries_accepts_a_bus_arn_and_reports_errors_per_entry() -> None:
    env = FakeAWS()
    results = env.events.put_event_entries(
        [
            {**ENTRY, "EventBusName": env.arn("events", "event-bus/default")},
            {**ENTRY, "EventBusName": "nope"},
        ]
    )
    assert "EventId" in results[0]
    assert results[1]["ErrorCode"] == "ResourceNotFoundException"


def test_fault_injection_can_duplicate_a_delivery() -> None:
    env = FakeAWS()
    url = env.sqs.create_queue({"QueueName": "q"})["QueueUrl"]
    rule_to(env, env.sqs.queue_arn(url))
    env.faults.duplicate("events:*", times=2)
    env.events.put_event_entries([ENTRY])
    assert len(env.sqs.messages(url)) == 2
    assert [d.attempt for d in env.events.deliveries("r1")] == [1, 1]
