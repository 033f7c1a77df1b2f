"""DynamoDB Streams behaviour, read through the ``dynamodbstreams`` client, on the fakes and moto."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError


def streamed_table(aws: Any, view_type: str = "NEW_AND_OLD_IMAGES") -> tuple[Any, str]:
    client = aws.client("dynamodb")
    description = client.create_table(
        TableName="Books",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": view_type},
    )["TableDescription"]
    return client, description["LatestStreamArn"]


def read_all(
    aws: Any, stream_arn: str, iterator_type: str = "TRIM_HORIZON", **extra: Any
) -> list[dict[str, Any]]:
    streams = aws.client("dynamodbstreams")
    shard = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][0]
    iterator = streams.get_shard_iterator(
        StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType=iterator_type, **extra
    )["ShardIterator"]
    return list(streams.get_records(ShardIterator=iterator)["Records"])


def put(client: Any, book_id: str, **attributes: str) -> None:
    item = {"id": {"S": book_id}, **{k: {"S": v} for k, v in attributes.items()}}
    client.put_item(TableName="Books", Item=item)


def test_describe_table_shows_the_latest_stream(aws: Any) -> None:
    client, arn = streamed_table(aws)
    table = client.describe_table(TableName="Books")["Table"]
    assert table["LatestStreamArn"] == arn
    assert arn.endswith("/stream/" + table["LatestStreamLabel"])
    assert table["StreamSpecification"] == {
        "StreamEnabled": True,
        "StreamViewType": "NEW_AND_OLD_IMAGES",
    }


def test_list_streams_names_the_table(aws: Any) -> None:
    _, arn = streamed_table(aws)
    streams = aws.client("dynamodbstreams").list_streams(TableName="Books")["Streams"]
    assert [(s["StreamArn"], s["TableName"]) for s in streams] == [(arn, "Books")]


def test_describe_stream_has_one_enabled_shard_and_the_key_schema(aws: Any) -> None:
    _, arn = streamed_table(aws)
    description = aws.client("dynamodbstreams").describe_stream(StreamArn=arn)["StreamDescription"]
    assert description["StreamStatus"] == "ENABLED"
    assert description["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert description["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert len(description["Shards"]) >= 1


def test_insert_modify_remove_records_in_order(aws: Any) -> None:
    client, arn = streamed_table(aws)
    put(client, "Fred")
    put(client, "Fred", title="Dune")
    client.delete_item(TableName="Books", Key={"id": {"S": "Fred"}})
    records = read_all(aws, arn)
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    sequence = [int(r["dynamodb"]["SequenceNumber"]) for r in records]
    assert sequence == sorted(sequence) and len(set(sequence)) == 3


def test_record_shape_matches_aws(aws: Any) -> None:
    client, arn = streamed_table(aws)
    put(client, "Fred")
    (record,) = read_all(aws, arn)
    assert record["eventSource"] == "aws:dynamodb"
    assert record["awsRegion"] == "us-east-1"
    body = record["dynamodb"]
    assert body["Keys"] == {"id": {"S": "Fred"}}
    assert body["NewImage"] == {"id": {"S": "Fred"}}
    assert "OldImage" not in body
    assert body["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert "ApproximateCreationDateTime" in body


# AWS writes eventVersion "1.1" (aws-recordings snapshot test_batch_write_items_streaming;
# https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Record.html);
# moto writes "1.0".
@pytest.mark.fakes_only
def test_records_carry_event_version_1_1(aws: Any) -> None:
    client, arn = streamed_table(aws)
    put(client, "Fred")
    assert read_all(aws, arn)[0]["eventVersion"] == "1.1"


def test_modify_record_carries_old_and_new_images(aws: Any) -> None:
    client, arn = streamed_table(aws)
    put(client, "Fred")
    put(client, "Fred", name="Fred")
    modify = read_all(aws, arn)[1]["dynamodb"]
    assert modify["OldImage"] == {"id": {"S": "Fred"}}
    assert modify["NewImage"] == {"id": {"S": "Fred"}, "name": {"S": "Fred"}}


# AWS recorded SizeBytes 12 and 26 for these writes (aws-recordings snapshot
# test_batch_write_items_streaming); moto computes another figure. Documented at
# https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_StreamRecord.html
@pytest.mark.fakes_only
def test_size_bytes_is_awss_figure(aws: Any) -> None:
    client, arn = streamed_table(aws)
    put(client, "Fred")
    put(client, "Fred", name="Fred")
    assert [r["dynamodb"]["SizeBytes"] for r in read_all(aws, arn)] == [12, 26]


@pytest.mark.parametrize(
    ("view_type", "present"),
    [
        ("KEYS_ONLY", set()),
        ("NEW_IMAGE", {"NewImage"}),
        ("OLD_IMAGE", {"OldImage"}),
        ("NEW_AND_OLD_IMAGES", {"NewImage", "OldImage"}),
    ],
)
def test_view_type_selects_the_images(aws: Any, view_type: str, present: set[str]) -> None:
    client, arn = streamed_table(aws, view_type)
    put(client, "a")
    put(client, "a", title="x")
    modify = read_all(aws, arn)[1]["dynamodb"]
    assert {k for k in modify if k.endswith("Image")} == present
    assert modify["Keys"] == {"id": {"S": "a"}}


# AWS writes no stream record for a write that leaves the item unchanged:
# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html
# ("only if an item was actually modified"); moto emits a MODIFY record.
@pytest.mark.fakes_only
def test_an_identical_put_writes_no_record(aws: Any) -> None:
    client, arn = streamed_table(aws)
    put(client, "a", title="x")
    put(client, "a", title="x")
    assert [r["eventName"] for r in read_all(aws, arn)] == ["INSERT"]


def test_deleting_a_missing_item_writes_no_record(aws: Any) -> None:
    client, arn = streamed_table(aws)
    put(client, "a")
    client.delete_item(TableName="Books", Key={"id": {"S": "missing"}})
    assert [r["eventName"] for r in read_all(aws, arn)] == ["INSERT"]


# An UpdateItem on an existing item is a MODIFY on AWS (aws-recordings snapshot
# test_dynamodb_stream_records_with_update_item;
# https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Record.html);
# moto writes INSERT again.
@pytest.mark.fakes_only
def test_update_item_writes_insert_then_modify(aws: Any) -> None:
    client, arn = streamed_table(aws)
    for value in ("value1", "value2"):
        client.update_item(
            TableName="Books",
            Key={"id": {"S": "my-item-id"}},
            UpdateExpression="SET attr1 = :v",
            ExpressionAttributeValues={":v": {"S": value}},
        )
    records = read_all(aws, arn)
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY"]
    assert records[1]["dynamodb"]["NewImage"]["attr1"] == {"S": "value2"}


def test_a_cancelled_transaction_writes_no_records(aws: Any) -> None:
    client, arn = streamed_table(aws)
    with pytest.raises(ClientError):
        client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": "Books", "Item": {"id": {"S": "t1"}}}},
                {
                    "ConditionCheck": {
                        "TableName": "Books",
                        "Key": {"id": {"S": "nope"}},
                        "ConditionExpression": "attribute_exists(id)",
                    }
                },
            ]
        )
    assert read_all(aws, arn) == []


def test_latest_iterator_sees_only_later_records(aws: Any) -> None:
    client, arn = streamed_table(aws)
    streams = aws.client("dynamodbstreams")
    put(client, "before")
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]
    iterator = streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="LATEST"
    )["ShardIterator"]
    put(client, "after")
    records = streams.get_records(ShardIterator=iterator)["Records"]
    assert [r["dynamodb"]["Keys"]["id"]["S"] for r in records] == ["after"]


def test_at_and_after_sequence_number_iterators(aws: Any) -> None:
    client, arn = streamed_table(aws)
    for name in ("a", "b", "c"):
        put(client, name)
    second = read_all(aws, arn)[1]["dynamodb"]["SequenceNumber"]
    at = read_all(aws, arn, "AT_SEQUENCE_NUMBER", SequenceNumber=second)
    after = read_all(aws, arn, "AFTER_SEQUENCE_NUMBER", SequenceNumber=second)
    assert [r["dynamodb"]["Keys"]["id"]["S"] for r in at] == ["b", "c"]
    assert [r["dynamodb"]["Keys"]["id"]["S"] for r in after] == ["c"]


def test_get_records_limit_and_next_shard_iterator(aws: Any) -> None:
    client, arn = streamed_table(aws)
    for name in ("a", "b", "c"):
        put(client, name)
    streams = aws.client("dynamodbstreams")
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]
    iterator = streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    first = streams.get_records(ShardIterator=iterator, Limit=2)
    second = streams.get_records(ShardIterator=first["NextShardIterator"], Limit=2)
    names = [r["dynamodb"]["Keys"]["id"]["S"] for r in first["Records"] + second["Records"]]
    assert names == ["a", "b", "c"]


# AWS answers ResourceNotFoundException (aws-recordings snapshot test_non_existent_stream;
# https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_DescribeStream.html);
# moto answers for any label.
@pytest.mark.fakes_only
def test_describing_a_missing_stream_is_resource_not_found(aws: Any) -> None:
    _, arn = streamed_table(aws)
    streams = aws.client("dynamodbstreams")
    missing = arn.rsplit("/", 1)[0] + "/2024-11-18T14:36:44.149"
    with pytest.raises(ClientError) as excinfo:
        streams.describe_stream(StreamArn=missing)
    assert excinfo.value.response["Error"] == {
        "Code": "ResourceNotFoundException",
        "Message": f"Requested resource not found: Stream: {missing} not found",
    }


def test_records_older_than_24_hours_are_trimmed(aws: Any) -> None:
    client, arn = streamed_table(aws)
    put(client, "old")
    aws.advance(24 * 60 * 60 + 1)
    put(client, "new")
    assert [r["dynamodb"]["Keys"]["id"]["S"] for r in read_all(aws, arn)] == ["new"]


def test_ttl_expiry_deletes_the_item_with_a_service_remove_record(aws: Any) -> None:
    client, arn = streamed_table(aws)
    client.update_time_to_live(
        TableName="Books", TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"}
    )
    aws.advance(0)  # skips on moto, which has no virtual clock
    now = aws.env.clock.now()
    client.put_item(
        TableName="Books", Item={"id": {"S": "tmp"}, "expires": {"N": str(int(now) + 60)}}
    )
    aws.advance(59)
    assert "Item" in client.get_item(TableName="Books", Key={"id": {"S": "tmp"}})
    aws.advance(2)
    assert "Item" not in client.get_item(TableName="Books", Key={"id": {"S": "tmp"}})
    remove = read_all(aws, arn)[-1]
    assert remove["eventName"] == "REMOVE"
    assert remove["userIdentity"] == {"type": "Service", "principalId": "dynamodb.amazonaws.com"}
