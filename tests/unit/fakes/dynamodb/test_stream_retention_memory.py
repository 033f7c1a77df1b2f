"""Stream records go after 24 h of virtual time; a deleted table's stream goes after its retention."""

from __future__ import annotations

from eventproof_fakes import FakeAWS


def _table(aws: FakeAWS) -> object:
    client = aws.client("dynamodb")
    client.create_table(
        TableName="T",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    return client


def test_records_older_than_24_hours_are_released_on_the_next_write() -> None:
    aws = FakeAWS()
    client = _table(aws)
    for number in range(100):
        client.put_item(TableName="T", Item={"pk": {"S": str(number)}, "blob": {"S": "x" * 1000}})
    stream = aws.dynamodb.tables["T"].stream
    assert stream is not None and len(stream.records) == 100
    aws.clock.advance(24 * 60 * 60 + 1)
    client.put_item(TableName="T", Item={"pk": {"S": "new"}})
    assert len(stream.records) == 1


def test_a_deleted_tables_stream_is_readable_for_24_hours_then_released() -> None:
    aws = FakeAWS()
    client = _table(aws)
    client.put_item(TableName="T", Item={"pk": {"S": "a"}})
    arn = aws.dynamodb.stream_arn("T")
    client.delete_table(TableName="T")
    assert arn in aws.dynamodb.streams
    aws.clock.advance(24 * 60 * 60 + 1)
    assert arn not in aws.dynamodb.streams


def test_a_disabled_stream_is_released_after_its_retention() -> None:
    aws = FakeAWS()
    client = _table(aws)
    arn = aws.dynamodb.stream_arn("T")
    client.update_table(TableName="T", StreamSpecification={"StreamEnabled": False})
    aws.clock.advance(24 * 60 * 60 + 1)
    assert arn not in aws.dynamodb.streams


def test_a_poller_of_a_released_stream_reads_nothing() -> None:
    aws = FakeAWS()
    client = _table(aws)
    client.put_item(TableName="T", Item={"pk": {"S": "a"}})
    arn = aws.dynamodb.stream_arn("T")
    client.delete_table(TableName="T")
    aws.clock.advance(24 * 60 * 60 + 1)
    assert aws.dynamodb.read_stream(arn, None, 10) == []
