"""DynamoDB behaviour: Query, Scan, batches and transactions, on the fakes and on moto."""

from __future__ import annotations

from typing import Any

import pytest
from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError


@pytest.fixture
def events(aws: Any) -> Any:
    """A table of events keyed by (stream, seq) with a GSI on kind."""
    aws.client("dynamodb").create_table(
        TableName="Events",
        KeySchema=[
            {"AttributeName": "stream", "KeyType": "HASH"},
            {"AttributeName": "seq", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "stream", "AttributeType": "S"},
            {"AttributeName": "seq", "AttributeType": "N"},
            {"AttributeName": "kind", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-kind",
                "KeySchema": [
                    {"AttributeName": "kind", "KeyType": "HASH"},
                    {"AttributeName": "seq", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    table = aws.resource("dynamodb").Table("Events")
    for seq in range(1, 11):
        table.put_item(
            Item={"stream": "s1", "seq": seq, "kind": "odd" if seq % 2 else "even", "v": seq * 10}
        )
    table.put_item(Item={"stream": "s2", "seq": 1, "kind": "odd"})
    return table


def test_query_returns_one_partition_in_sort_key_order(events: Any) -> None:
    items = events.query(KeyConditionExpression=Key("stream").eq("s1"))["Items"]
    assert [i["seq"] for i in items] == list(range(1, 11))


def test_query_backwards_with_scan_index_forward_false(events: Any) -> None:
    items = events.query(KeyConditionExpression=Key("stream").eq("s1"), ScanIndexForward=False)[
        "Items"
    ]
    assert [i["seq"] for i in items] == list(range(10, 0, -1))


def test_query_with_a_sort_key_range(events: Any) -> None:
    items = events.query(KeyConditionExpression=Key("stream").eq("s1") & Key("seq").between(3, 5))[
        "Items"
    ]
    assert [i["seq"] for i in items] == [3, 4, 5]


def test_query_pages_with_limit_and_exclusive_start_key(events: Any) -> None:
    seen = []
    kwargs: dict[str, Any] = {"KeyConditionExpression": Key("stream").eq("s1"), "Limit": 4}
    while True:
        page = events.query(**kwargs)
        seen += [i["seq"] for i in page["Items"]]
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    assert seen == list(range(1, 11))


def test_query_limit_applies_before_the_filter(events: Any) -> None:
    page = events.query(
        KeyConditionExpression=Key("stream").eq("s1"),
        FilterExpression=Attr("kind").eq("even"),
        Limit=4,
    )
    assert page["ScannedCount"] == 4
    assert [i["seq"] for i in page["Items"]] == [2, 4]
    assert page["LastEvaluatedKey"] == {"stream": "s1", "seq": 4}


def test_query_select_count(events: Any) -> None:
    page = events.query(KeyConditionExpression=Key("stream").eq("s1"), Select="COUNT")
    assert page["Count"] == 10 and "Items" not in page


def test_query_on_a_global_secondary_index(events: Any) -> None:
    items = events.query(IndexName="by-kind", KeyConditionExpression=Key("kind").eq("odd"))["Items"]
    assert sorted((i["stream"], i["seq"]) for i in items) == [
        ("s1", 1),
        ("s1", 3),
        ("s1", 5),
        ("s1", 7),
        ("s1", 9),
        ("s2", 1),
    ]


def test_query_without_the_partition_key_is_rejected(events: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        events.query(KeyConditionExpression=Key("seq").eq(1))
    assert excinfo.value.response["Error"]["Code"] == "ValidationException"


def test_scan_with_a_filter_returns_matching_items(events: Any) -> None:
    items = events.scan(FilterExpression=Attr("v").gt(80))["Items"]
    assert sorted(i["seq"] for i in items) == [9, 10]


def test_scan_pages_cover_every_item_once(events: Any) -> None:
    seen = []
    kwargs: dict[str, Any] = {"Limit": 3}
    while True:
        page = events.scan(**kwargs)
        seen += [(i["stream"], i["seq"]) for i in page["Items"]]
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    assert len(seen) == 11 and len(set(seen)) == 11


def test_the_scan_paginator_works(aws: Any, events: Any) -> None:
    paginator = aws.client("dynamodb").get_paginator("scan")
    pages = list(paginator.paginate(TableName="Events", PaginationConfig={"PageSize": 5}))
    assert sum(p["Count"] for p in pages) == 11


def test_scan_with_a_projection(events: Any) -> None:
    items = events.scan(ProjectionExpression="seq")["Items"]
    assert all(set(i) == {"seq"} for i in items)


# --- batches ------------------------------------------------------------------
def test_batch_write_puts_and_deletes(aws: Any, events: Any) -> None:
    client = aws.client("dynamodb")
    response = client.batch_write_item(
        RequestItems={
            "Events": [
                {"PutRequest": {"Item": {"stream": {"S": "s3"}, "seq": {"N": "1"}}}},
                {"DeleteRequest": {"Key": {"stream": {"S": "s1"}, "seq": {"N": "1"}}}},
            ]
        }
    )
    assert response["UnprocessedItems"] == {}
    assert "Item" in events.get_item(Key={"stream": "s3", "seq": 1})
    assert "Item" not in events.get_item(Key={"stream": "s1", "seq": 1})


# moto answers "Validation Exception"; AWS's message (recorded in the aws-recordings
# snapshot test_batch_write_not_matching_schema) is the schema mismatch, see
# https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
@pytest.mark.fakes_only
def test_batch_write_with_a_key_not_matching_the_schema_is_rejected(aws: Any, events: Any) -> None:
    client = aws.client("dynamodb")
    with pytest.raises(ClientError) as excinfo:
        client.batch_write_item(
            RequestItems={"Events": [{"DeleteRequest": {"Key": {"stream": {"S": "s1"}}}}]}
        )
    assert excinfo.value.response["Error"]["Message"] == (
        "The provided key element does not match the schema"
    )


def test_batch_get_returns_found_items(aws: Any, events: Any) -> None:
    client = aws.client("dynamodb")
    response = client.batch_get_item(
        RequestItems={
            "Events": {
                "Keys": [
                    {"stream": {"S": "s1"}, "seq": {"N": "2"}},
                    {"stream": {"S": "nope"}, "seq": {"N": "2"}},
                ]
            }
        }
    )
    assert [i["seq"] for i in response["Responses"]["Events"]] == [{"N": "2"}]
    assert response["UnprocessedKeys"] == {}


def test_the_resource_batch_writer_writes_everything(aws: Any, events: Any) -> None:
    with events.batch_writer() as batch:
        for seq in range(100, 140):
            batch.put_item(Item={"stream": "bw", "seq": seq})
    assert (
        events.query(KeyConditionExpression=Key("stream").eq("bw"), Select="COUNT")["Count"] == 40
    )


# --- transactions ---------------------------------------------------------------
def test_transact_write_applies_every_action(aws: Any, events: Any) -> None:
    client = aws.client("dynamodb")
    client.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": "Events", "Item": {"stream": {"S": "t"}, "seq": {"N": "1"}}}},
            {
                "Update": {
                    "TableName": "Events",
                    "Key": {"stream": {"S": "s1"}, "seq": {"N": "2"}},
                    "UpdateExpression": "SET v = v + :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}},
                }
            },
            {"Delete": {"TableName": "Events", "Key": {"stream": {"S": "s1"}, "seq": {"N": "3"}}}},
        ]
    )
    assert events.get_item(Key={"stream": "s1", "seq": 2})["Item"]["v"] == 21
    assert "Item" in events.get_item(Key={"stream": "t", "seq": 1})
    assert "Item" not in events.get_item(Key={"stream": "s1", "seq": 3})


def test_a_failed_condition_cancels_the_whole_transaction(aws: Any, events: Any) -> None:
    client = aws.client("dynamodb")
    with pytest.raises(client.exceptions.TransactionCanceledException) as excinfo:
        client.transact_write_items(
            TransactItems=[
                {
                    "ConditionCheck": {
                        "TableName": "Events",
                        "Key": {"stream": {"S": "s1"}, "seq": {"N": "1"}},
                        "ConditionExpression": "attribute_not_exists(#s)",
                        "ExpressionAttributeNames": {"#s": "stream"},
                    }
                },
                {"Put": {"TableName": "Events", "Item": {"stream": {"S": "t"}, "seq": {"N": "9"}}}},
            ]
        )
    error = excinfo.value.response
    assert error["Error"]["Message"] == (
        "Transaction cancelled, please refer cancellation reasons for specific reasons "
        "[ConditionalCheckFailed, None]"
    )
    assert [r["Code"] for r in error["CancellationReasons"]] == ["ConditionalCheckFailed", "None"]
    assert "Item" not in events.get_item(Key={"stream": "t", "seq": 9})


def test_transact_get_items_returns_items_in_order(aws: Any, events: Any) -> None:
    client = aws.client("dynamodb")
    response = client.transact_get_items(
        TransactItems=[
            {"Get": {"TableName": "Events", "Key": {"stream": {"S": "s1"}, "seq": {"N": "4"}}}},
            {"Get": {"TableName": "Events", "Key": {"stream": {"S": "zz"}, "seq": {"N": "4"}}}},
        ]
    )
    assert response["Responses"][0]["Item"]["seq"] == {"N": "4"}
    assert response["Responses"][1] == {}


def test_two_actions_on_one_item_in_a_transaction_are_rejected(aws: Any, events: Any) -> None:
    client = aws.client("dynamodb")
    key = {"stream": {"S": "s1"}, "seq": {"N": "4"}}
    with pytest.raises(ClientError) as excinfo:
        client.transact_write_items(
            TransactItems=[
                {"Delete": {"TableName": "Events", "Key": key}},
                {"Put": {"TableName": "Events", "Item": key}},
            ]
        )
    assert excinfo.value.response["Error"]["Code"] == "ValidationException"


# --- TTL ------------------------------------------------------------------------
def test_time_to_live_can_be_enabled_and_described(aws: Any, events: Any) -> None:
    client = aws.client("dynamodb")
    client.update_time_to_live(
        TableName="Events", TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"}
    )
    description = client.describe_time_to_live(TableName="Events")["TimeToLiveDescription"]
    assert description == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"}


def test_time_to_live_is_disabled_by_default(aws: Any, events: Any) -> None:
    client = aws.client("dynamodb")
    description = client.describe_time_to_live(TableName="Events")["TimeToLiveDescription"]
    assert description["TimeToLiveStatus"] == "DISABLED"
