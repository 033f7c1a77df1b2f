"""EventBridge: buses, rules, targets, PutEvents and TestEventPattern, on the fakes and on moto."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

BASE_EVENT = {
    "id": "1",
    "source": "shop",
    "detail-type": "OrderPlaced",
    "account": "123456789012",
    "region": "us-east-1",
    "time": "2026-01-01T00:00:00Z",
    "resources": [],
}


def test_pattern(events: Any, pattern: dict[str, Any], **event: Any) -> bool:
    response = events.test_event_pattern(
        EventPattern=json.dumps(pattern), Event=json.dumps({**BASE_EVENT, **event})
    )
    return bool(response["Result"])


test_pattern.__test__ = False  # type: ignore[attr-defined]


@pytest.fixture
def events(aws: Any) -> Any:
    return aws.client("events")


def test_the_default_bus_exists(events: Any) -> None:
    names = [bus["Name"] for bus in events.list_event_buses()["EventBuses"]]
    assert "default" in names
    assert events.describe_event_bus()["Name"] == "default"


def test_a_custom_bus_is_created_listed_and_deleted(events: Any) -> None:
    arn = events.create_event_bus(Name="orders")["EventBusArn"]
    assert arn.endswith(":event-bus/orders")
    assert events.describe_event_bus(Name="orders")["Arn"] == arn
    assert [b["Name"] for b in events.list_event_buses(NamePrefix="ord")["EventBuses"]] == [
        "orders"
    ]
    events.delete_event_bus(Name="orders")
    with pytest.raises(ClientError) as raised:
        events.describe_event_bus(Name="orders")
    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_a_bus_name_is_unique(events: Any) -> None:
    events.create_event_bus(Name="orders")
    with pytest.raises(events.exceptions.ResourceAlreadyExistsException):
        events.create_event_bus(Name="orders")


@pytest.mark.fakes_only  # moto answers 200; AWS: "Cannot delete event bus default." (recorded)
def test_the_default_bus_cannot_be_deleted(events: Any) -> None:
    with pytest.raises(ClientError) as raised:
        events.delete_event_bus(Name="default")
    assert raised.value.response["Error"]["Message"] == "Cannot delete event bus default."


def test_put_rule_returns_its_arn_and_describe_rule_shows_it(events: Any) -> None:
    pattern = json.dumps({"source": ["shop"]})
    arn = events.put_rule(Name="r1", EventPattern=pattern)["RuleArn"]
    assert arn.endswith(":rule/r1")
    described = events.describe_rule(Name="r1")
    assert (described["Name"], described["State"], described["Arn"]) == ("r1", "ENABLED", arn)
    assert json.loads(described["EventPattern"]) == {"source": ["shop"]}


def test_a_rule_on_a_custom_bus_has_the_bus_in_its_arn(events: Any) -> None:
    events.create_event_bus(Name="orders")
    arn = events.put_rule(Name="r1", EventBusName="orders", EventPattern='{"source": ["x"]}')[
        "RuleArn"
    ]
    assert arn.endswith(":rule/orders/r1")


def test_list_rules_filters_by_name_prefix(events: Any) -> None:
    for name in ("orders-a", "orders-b", "billing"):
        events.put_rule(Name=name, EventPattern='{"source": ["x"]}')
    names = [r["Name"] for r in events.list_rules(NamePrefix="orders")["Rules"]]
    assert sorted(names) == ["orders-a", "orders-b"]


def test_disable_and_enable_rule_change_its_state(events: Any) -> None:
    events.put_rule(Name="r1", EventPattern='{"source": ["x"]}')
    events.disable_rule(Name="r1")
    assert events.describe_rule(Name="r1")["State"] == "DISABLED"
    events.enable_rule(Name="r1")
    assert events.describe_rule(Name="r1")["State"] == "ENABLED"


def test_describe_rule_of_a_missing_rule_is_not_found(events: Any) -> None:
    with pytest.raises(events.exceptions.ResourceNotFoundException):
        events.describe_rule(Name="missing")


@pytest.mark.parametrize(
    "pattern",
    [
        '{"source": "shop"}',
        '{"source": []}',
        "not json",
        # moto accepts a second lower bound; AWS: "Bad numeric range operator: >" (recorded)
        pytest.param('{"n": [{"numeric": [">", 0, ">", 0]}]}', marks=pytest.mark.fakes_only),
    ],
)
def test_put_rule_rejects_invalid_patterns(events: Any, pattern: str) -> None:
    with pytest.raises(events.exceptions.InvalidEventPatternException):
        events.put_rule(Name="bad", EventPattern=pattern)


@pytest.mark.fakes_only  # moto accepts "**"; AWS rejects consecutive wildcards (recorded message)
def test_put_rule_rejects_consecutive_wildcards_with_aws_message(events: Any) -> None:
    with pytest.raises(events.exceptions.InvalidEventPatternException) as raised:
        events.put_rule(Name="bad", EventPattern='{"f": [{"wildcard": "a**"}]}')
    assert raised.value.response["Error"]["Message"] == (
        "Event pattern is not valid. Reason: Consecutive wildcard characters at pos 2"
    )


def test_put_targets_and_list_targets_by_rule(events: Any) -> None:
    events.put_rule(Name="r1", EventPattern='{"source": ["x"]}')
    arn = "arn:aws:sqs:us-east-1:123456789012:q"
    response = events.put_targets(Rule="r1", Targets=[{"Id": "t1", "Arn": arn}])
    assert response["FailedEntryCount"] == 0
    assert events.list_targets_by_rule(Rule="r1")["Targets"] == [{"Id": "t1", "Arn": arn}]


def test_remove_targets_empties_the_rule(events: Any) -> None:
    events.put_rule(Name="r1", EventPattern='{"source": ["x"]}')
    events.put_targets(
        Rule="r1", Targets=[{"Id": "t1", "Arn": "arn:aws:sqs:us-east-1:123456789012:q"}]
    )
    assert events.remove_targets(Rule="r1", Ids=["t1"])["FailedEntryCount"] == 0
    assert events.list_targets_by_rule(Rule="r1")["Targets"] == []


def test_delete_rule_fails_while_it_has_targets(events: Any) -> None:
    events.put_rule(Name="r1", EventPattern='{"source": ["x"]}')
    events.put_targets(
        Rule="r1", Targets=[{"Id": "t1", "Arn": "arn:aws:sqs:us-east-1:123456789012:q"}]
    )
    with pytest.raises(ClientError) as raised:
        events.delete_rule(Name="r1")
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    events.remove_targets(Rule="r1", Ids=["t1"])
    events.delete_rule(Name="r1")
    assert events.list_rules()["Rules"] == []


@pytest.mark.fakes_only  # moto accepts both; AWS's message is recorded in events_test_events_inputs
def test_a_target_takes_only_one_kind_of_input(events: Any) -> None:
    events.put_rule(Name="r1", EventPattern='{"source": ["x"]}')
    target = {
        "Id": "t1",
        "Arn": "arn:aws:sqs:us-east-1:123456789012:q",
        "Input": "{}",
        "InputPath": "$.detail",
    }
    with pytest.raises(ClientError) as raised:
        events.put_targets(Rule="r1", Targets=[target])
    assert raised.value.response["Error"]["Message"] == (
        "Only one of Input, InputPath, or InputTransformer must be provided for target t1."
    )


def test_put_events_returns_an_event_id_per_entry(events: Any) -> None:
    entry = {"Source": "shop", "DetailType": "OrderPlaced", "Detail": '{"id": 1}'}
    response = events.put_events(Entries=[entry, entry])
    assert response["FailedEntryCount"] == 0
    ids = [e["EventId"] for e in response["Entries"]]
    assert len(set(ids)) == 2


@pytest.mark.fakes_only  # moto accepts it; AWS answers per entry (recorded in events_test_events)
@pytest.mark.parametrize(
    ("entry", "code", "message"),
    [
        (
            {"DetailType": "T", "Detail": "{}"},
            "InvalidArgument",
            "Parameter Source is not valid. Reason: Source is a required argument.",
        ),
        (
            {"Source": "s", "Detail": "{}"},
            "InvalidArgument",
            "Parameter DetailType is not valid. Reason: DetailType is a required argument.",
        ),
        (
            {"Source": "s", "DetailType": "T"},
            "InvalidArgument",
            "Parameter Detail is not valid. Reason: Detail is a required argument.",
        ),
        (
            {"Source": "s", "DetailType": "T", "Detail": "{bad"},
            "MalformedDetail",
            "Detail is malformed.",
        ),
        (
            {"Source": "s", "DetailType": "T", "Detail": "[1]"},
            "MalformedDetail",
            "Detail is malformed.",
        ),
    ],
)
def test_put_events_rejects_entries_one_by_one(
    events: Any, entry: dict[str, str], code: str, message: str
) -> None:
    good = {"Source": "s", "DetailType": "T", "Detail": "{}"}
    response = events.put_events(Entries=[good, entry])
    assert response["FailedEntryCount"] == 1
    assert "EventId" in response["Entries"][0]
    assert response["Entries"][1] == {"ErrorCode": code, "ErrorMessage": message}


@pytest.mark.fakes_only  # the 1 MB limit of January 2026; moto still enforces 256 KB
def test_put_events_accepts_up_to_1_mb_and_rejects_more(events: Any) -> None:
    overhead = len("s") + len("T") + len('{"x": ""}')
    fits = {
        "Source": "s",
        "DetailType": "T",
        "Detail": json.dumps({"x": "a" * (1048576 - overhead)}),
    }
    assert events.put_events(Entries=[fits])["FailedEntryCount"] == 0
    too_big = {**fits, "Detail": json.dumps({"x": "a" * (1048577 - overhead)})}
    with pytest.raises(ClientError) as raised:
        events.put_events(Entries=[too_big])
    assert (
        raised.value.response["Error"]["Message"]
        == "Total size of the entries in the request is over the limit."
    )


def test_put_events_rejects_more_than_ten_entries(events: Any) -> None:
    entry = {"Source": "s", "DetailType": "T", "Detail": "{}"}
    with pytest.raises(ClientError) as raised:
        events.put_events(Entries=[entry] * 11)
    assert raised.value.response["Error"]["Code"] == "ValidationException"


@pytest.mark.fakes_only  # moto 5.2's TestEventPattern answers without "Result"; AWS returns it (recorded)
def test_test_event_pattern_matches_and_misses(events: Any) -> None:
    assert test_pattern(events, {"source": ["shop"]})
    assert not test_pattern(events, {"source": ["bank"]})


@pytest.mark.fakes_only  # moto 5.2's TestEventPattern answers without "Result"; AWS returns it (recorded)
def test_prefix_and_anything_but(events: Any) -> None:
    assert test_pattern(events, {"detail-type": [{"prefix": "Order"}]})
    assert not test_pattern(events, {"source": [{"anything-but": "shop"}]})


@pytest.mark.fakes_only  # moto 5.2's TestEventPattern answers without "Result"; AWS returns it (recorded)
def test_numeric_ranges(events: Any) -> None:
    pattern = {"detail": {"total": [{"numeric": [">", 10, "<=", 20]}]}}
    assert test_pattern(events, pattern, detail={"total": 20})
    assert not test_pattern(events, pattern, detail={"total": 21})


@pytest.mark.fakes_only  # moto 5.2's TestEventPattern answers without "Result"; AWS returns it (recorded)
def test_exists_false_matches_a_missing_field(events: Any) -> None:
    assert test_pattern(events, {"detail": {"error": [{"exists": False}]}}, detail={"ok": 1})


@pytest.mark.fakes_only  # moto ignores array consistency; AWS: eb-event-patterns-arrays.html
def test_objects_in_arrays_keep_array_consistency(events: Any) -> None:
    detail = {"items": [{"sku": "a", "qty": 1}, {"sku": "b", "qty": 5}]}
    assert test_pattern(events, {"detail": {"items": {"sku": ["b"], "qty": [5]}}}, detail=detail)
    assert not test_pattern(
        events, {"detail": {"items": {"sku": ["a"], "qty": [5]}}}, detail=detail
    )


@pytest.mark.fakes_only  # moto lacks wildcard/equals-ignore-case/cidr: eb-create-pattern-operators.html
def test_wildcard_equals_ignore_case_and_cidr(events: Any) -> None:
    assert test_pattern(
        events, {"detail": {"f": [{"wildcard": "dir/*.png"}]}}, detail={"f": "dir/a.png"}
    )
    assert test_pattern(events, {"source": [{"equals-ignore-case": "SHOP"}]})
    assert test_pattern(
        events, {"detail": {"ip": [{"cidr": "10.0.0.0/24"}]}}, detail={"ip": "10.0.0.7"}
    )


@pytest.mark.fakes_only  # moto 5.2 has no $or; AWS: eb-create-pattern-operators.html#eb-filtering-complex-example-or
def test_or_across_fields(events: Any) -> None:
    pattern = {"$or": [{"source": ["bank"]}, {"detail-type": ["OrderPlaced"]}]}
    assert test_pattern(events, pattern)


@pytest.mark.fakes_only  # recorded from AWS: "Parameter Event is not valid."
def test_test_event_pattern_needs_a_complete_event(events: Any) -> None:
    with pytest.raises(ClientError) as raised:
        events.test_event_pattern(EventPattern='{"source": ["x"]}', Event='{"source": "x"}')
    assert raised.value.response["Error"]["Message"] == "Parameter Event is not valid."
