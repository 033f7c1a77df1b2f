"""Unit tests: the expression parser and the Python stream API other fakes build on."""

from __future__ import annotations

import pytest

from eventproof_fakes import AWSError, FakeAWS
from eventproof_fakes.dynamodb import StreamRecord
from eventproof_fakes.dynamodb.attributes import item_size, normalise_number
from eventproof_fakes.dynamodb.expressions import parse
from eventproof_fakes.dynamodb.expressions.tree import And, Compare, Not, Or


def test_and_binds_tighter_than_or_and_not_tighter_than_and() -> None:
    tree = parse("ConditionExpression", "NOT a = :a AND b = :b OR c = :c").tree
    assert isinstance(tree, Or)
    assert isinstance(tree.left, And) and isinstance(tree.left.left, Not)
    assert isinstance(tree.right, Compare)


def test_a_parse_is_cached_by_its_string() -> None:
    assert parse("UpdateExpression", "SET a = :a") is parse("UpdateExpression", "SET a = :a")


def test_a_repeated_clause_is_rejected() -> None:
    with pytest.raises(AWSError, match='The "SET" section can only be used once'):
        parse("UpdateExpression", "SET a = :a SET b = :b")


def test_an_unknown_function_is_named() -> None:
    with pytest.raises(AWSError, match="Invalid function name; function: nope"):
        parse("ConditionExpression", "nope(a)")


def test_numbers_are_normalised_like_dynamodb() -> None:
    assert normalise_number("0010.500") == "10.5"
    assert normalise_number("-0") == "0"
    assert normalise_number("1E+2") == "100"
    with pytest.raises(AWSError, match="38 significant digits"):
        normalise_number("1" * 39)


def test_item_size_counts_names_and_values() -> None:
    assert item_size({"id": {"S": "Fred"}}) == 6


def _streamed(aws: FakeAWS) -> str:
    aws.client("dynamodb").create_table(
        TableName="Books",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )
    return str(aws.dynamodb.stream_arn("Books"))


def test_read_stream_pages_by_sequence_number_and_listeners_hear_each_record() -> None:
    aws = FakeAWS()
    arn = _streamed(aws)
    heard: list[tuple[str, StreamRecord]] = []
    aws.dynamodb.stream_listeners.append(
        lambda stream_arn, record: heard.append((stream_arn, record))
    )
    client = aws.client("dynamodb")
    for name in ("a", "b", "c"):
        client.put_item(TableName="Books", Item={"id": {"S": name}, "bin": {"B": b"\x01"}})
    first = aws.dynamodb.read_stream(arn, None, 2)
    rest = aws.dynamodb.read_stream(arn, first[-1].sequence_number, 10)
    assert [r.record["dynamodb"]["Keys"]["id"]["S"] for r in first + rest] == ["a", "b", "c"]
    assert [r for _, r in heard] == first + rest and {a for a, _ in heard} == {arn}
    event = first[0].to_lambda_event()
    assert event["eventSourceARN"] == arn
    assert event["dynamodb"]["ApproximateCreationDateTime"] == float(int(aws.clock.now()))
    assert event["dynamodb"]["NewImage"]["bin"] == {"B": "AQ=="}
    assert aws.dynamodb.items("Books")[0] == {"id": {"S": "a"}, "bin": {"B": b"\x01"}}
    assert len(aws.dynamodb.stream_records("Books")) == 3


def test_a_ttl_moved_later_by_a_write_is_not_expired_early() -> None:
    aws = FakeAWS()
    _streamed(aws)
    client = aws.client("dynamodb")
    client.update_time_to_live(
        TableName="Books", TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"}
    )
    now = int(aws.clock.now())
    client.put_item(TableName="Books", Item={"id": {"S": "x"}, "ttl": {"N": str(now + 10)}})
    client.put_item(TableName="Books", Item={"id": {"S": "x"}, "ttl": {"N": str(now + 100)}})
    aws.clock.advance(50)
    assert len(aws.dynamodb.items("Books")) == 1
    aws.clock.advance(60)
    assert aws.dynamodb.items("Books") == []
    assert aws.dynamodb.stream_records("Books")[-1]["userIdentity"]["type"] == "Service"
