"""ReturnConsumedCapacity, ReturnItemCollectionMetrics and online index changes.

Capacity-unit rules: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
(4 KB per read unit, half for eventually consistent reads, 1 KB per write
unit, transactions doubled). Online indexes:
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.OnlineOps.html
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

CAPACITY_DOC = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html"
ONLINE_INDEX_DOC = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.OnlineOps.html"


def table(aws: Any, **extra: Any) -> Any:
    client = aws.client("dynamodb")
    client.create_table(
        TableName="Things",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, *extra.pop("definitions", [])],
        BillingMode="PAY_PER_REQUEST",
        **extra,
    )
    return client


def item(key: str, kilobytes: float) -> dict[str, Any]:
    # "pk" (2 bytes) + key + "data" (4 bytes) + padding: sized to the byte
    padding = int(kilobytes * 1024) - 2 - len(key) - 4
    return {"pk": {"S": key}, "data": {"S": "x" * padding}}


# --- writes -------------------------------------------------------------------------
@pytest.mark.fakes_only  # exact units per CAPACITY_DOC; moto reports fixed figures
@pytest.mark.parametrize(("kilobytes", "units"), [(0.5, 1.0), (1.0, 1.0), (1.5, 2.0), (3.2, 4.0)])
def test_put_item_costs_one_unit_per_kilobyte(aws: Any, kilobytes: float, units: float) -> None:
    client = table(aws)
    response = client.put_item(TableName="Things", Item=item("a", kilobytes), ReturnConsumedCapacity="TOTAL")
    assert response["ConsumedCapacity"] == {"TableName": "Things", "CapacityUnits": units}


@pytest.mark.fakes_only  # CAPACITY_DOC: the larger of the old and new item
def test_overwriting_a_large_item_is_charged_for_the_larger_image(aws: Any) -> None:
    client = table(aws)
    client.put_item(TableName="Things", Item=item("a", 5))
    response = client.put_item(TableName="Things", Item=item("a", 1), ReturnConsumedCapacity="TOTAL")
    assert response["ConsumedCapacity"]["CapacityUnits"] == 5.0


@pytest.mark.fakes_only  # CAPACITY_DOC
def test_deleting_a_missing_item_costs_one_write_unit(aws: Any) -> None:
    client = table(aws)
    response = client.delete_item(TableName="Things", Key={"pk": {"S": "none"}}, ReturnConsumedCapacity="TOTAL")
    assert response["ConsumedCapacity"]["CapacityUnits"] == 1.0


def test_return_consumed_capacity_none_returns_nothing(aws: Any) -> None:
    client = table(aws)
    response = client.put_item(TableName="Things", Item=item("a", 1), ReturnConsumedCapacity="NONE")
    assert "ConsumedCapacity" not in response


def test_consumed_capacity_names_the_table(aws: Any) -> None:
    client = table(aws)
    response = client.put_item(TableName="Things", Item=item("a", 1), ReturnConsumedCapacity="TOTAL")
    assert response["ConsumedCapacity"]["TableName"] == "Things"
    assert response["ConsumedCapacity"]["CapacityUnits"] > 0


@pytest.mark.fakes_only  # CAPACITY_DOC: a write also costs each index it touches
def test_indexes_mode_splits_table_and_index_units(aws: Any) -> None:
    client = table(
        aws,
        definitions=[{"AttributeName": "email", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-email",
                "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
    )
    big = {**item("a", 3), "email": {"S": "a@x"}}
    response = client.put_item(TableName="Things", Item=big, ReturnConsumedCapacity="INDEXES")
    capacity = response["ConsumedCapacity"]
    assert capacity["Table"] == {"CapacityUnits": 4.0}
    assert capacity["GlobalSecondaryIndexes"] == {"by-email": {"CapacityUnits": 1.0}}
    assert capacity["CapacityUnits"] == 5.0
    no_email = client.put_item(TableName="Things", Item=item("b", 1), ReturnConsumedCapacity="INDEXES")
    assert "GlobalSecondaryIndexes" not in no_email["ConsumedCapacity"]


@pytest.mark.fakes_only  # CAPACITY_DOC: transactional writes cost double
def test_transactional_writes_cost_double(aws: Any) -> None:
    client = table(aws)
    response = client.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": "Things", "Item": item("a", 1)}},
            {"Put": {"TableName": "Things", "Item": item("b", 2)}},
        ],
        ReturnConsumedCapacity="TOTAL",
    )
    assert response["ConsumedCapacity"] == [{"TableName": "Things", "CapacityUnits": 6.0}]


@pytest.mark.fakes_only  # CAPACITY_DOC
def test_batch_writes_sum_their_items(aws: Any) -> None:
    client = table(aws)
    response = client.batch_write_item(
        RequestItems={"Things": [{"PutRequest": {"Item": item(k, 1.5)}} for k in "abc"]},
        ReturnConsumedCapacity="TOTAL",
    )
    assert response["ConsumedCapacity"] == [{"TableName": "Things", "CapacityUnits": 6.0}]


# --- reads ----------------------------------------------------------------------------
@pytest.mark.fakes_only  # CAPACITY_DOC: 4 KB units, eventually consistent halves
@pytest.mark.parametrize(
    ("kilobytes", "consistent", "units"),
    [(1, False, 0.5), (1, True, 1.0), (4, True, 1.0), (5, True, 2.0), (9, False, 1.5)],
)
def test_get_item_read_units(aws: Any, kilobytes: float, consistent: bool, units: float) -> None:
    client = table(aws)
    client.put_item(TableName="Things", Item=item("a", kilobytes))
    response = client.get_item(
        TableName="Things", Key={"pk": {"S": "a"}}, ConsistentRead=consistent, ReturnConsumedCapacity="TOTAL"
    )
    assert response["ConsumedCapacity"]["CapacityUnits"] == units


@pytest.mark.fakes_only  # CAPACITY_DOC: a read that finds nothing costs the minimum
def test_reading_a_missing_item_costs_the_minimum(aws: Any) -> None:
    client = table(aws)
    response = client.get_item(TableName="Things", Key={"pk": {"S": "none"}}, ReturnConsumedCapacity="TOTAL")
    assert response["ConsumedCapacity"]["CapacityUnits"] == 0.5


@pytest.mark.fakes_only  # CAPACITY_DOC: Query/Scan sum the items evaluated, rounded up once
def test_a_scan_is_charged_for_everything_it_evaluated_before_the_filter(aws: Any) -> None:
    client = table(aws)
    for key in "abcd":
        client.put_item(TableName="Things", Item=item(key, 2))
    response = client.scan(
        TableName="Things",
        FilterExpression="pk = :a",
        ExpressionAttributeValues={":a": {"S": "a"}},
        ConsistentRead=True,
        ReturnConsumedCapacity="TOTAL",
    )
    assert response["Count"] == 1
    assert response["ConsumedCapacity"]["CapacityUnits"] == 2.0


@pytest.mark.fakes_only  # CAPACITY_DOC: transactional reads cost double
def test_transactional_reads_cost_double(aws: Any) -> None:
    client = table(aws)
    client.put_item(TableName="Things", Item=item("a", 5))
    response = client.transact_get_items(
        TransactItems=[{"Get": {"TableName": "Things", "Key": {"pk": {"S": "a"}}}}],
        ReturnConsumedCapacity="TOTAL",
    )
    assert response["ConsumedCapacity"] == [{"TableName": "Things", "CapacityUnits": 4.0}]


# --- item collection metrics ---------------------------------------------------------
def lsi_table(aws: Any) -> Any:
    client = aws.client("dynamodb")
    client.create_table(
        TableName="Events",
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
            {"AttributeName": "at", "AttributeType": "S"},
        ],
        LocalSecondaryIndexes=[
            {
                "IndexName": "by-time",
                "KeySchema": [
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "at", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    return client


@pytest.mark.fakes_only  # API_PutItem: ItemCollectionMetrics for tables with an LSI
def test_item_collection_metrics_for_a_table_with_a_local_index(aws: Any) -> None:
    client = lsi_table(aws)
    response = client.put_item(
        TableName="Events",
        Item={"pk": {"S": "u1"}, "sk": {"S": "1"}, "at": {"S": "t"}},
        ReturnItemCollectionMetrics="SIZE",
    )
    metrics = response["ItemCollectionMetrics"]
    assert metrics["ItemCollectionKey"] == {"pk": {"S": "u1"}}
    low, high = metrics["SizeEstimateRangeGB"]
    assert low <= 0 < high


def test_no_item_collection_metrics_without_a_local_index(aws: Any) -> None:
    client = table(aws)
    response = client.put_item(TableName="Things", Item=item("a", 1), ReturnItemCollectionMetrics="SIZE")
    assert "ItemCollectionMetrics" not in response


# --- online index changes --------------------------------------------------------------
def create_email_index(client: Any) -> dict[str, Any]:
    return client.update_table(
        TableName="Things",
        AttributeDefinitions=[{"AttributeName": "email", "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[
            {
                "Create": {
                    "IndexName": "by-email",
                    "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"},
                }
            }
        ],
    )


def query_email(client: Any, email: str) -> list[dict[str, Any]]:
    return client.query(
        TableName="Things",
        IndexName="by-email",
        KeyConditionExpression="email = :e",
        ExpressionAttributeValues={":e": {"S": email}},
    )["Items"]


def test_an_index_created_by_update_table_is_backfilled(aws: Any) -> None:
    client = table(aws)
    client.put_item(TableName="Things", Item={"pk": {"S": "a"}, "email": {"S": "a@x"}})
    description = create_email_index(client)["TableDescription"]
    assert [i["IndexName"] for i in description["GlobalSecondaryIndexes"]] == ["by-email"]
    if hasattr(aws, "env"):
        aws.env.run_until_idle()
    assert [i["pk"]["S"] for i in query_email(client, "a@x")] == ["a"]


@pytest.mark.fakes_only  # ONLINE_INDEX_DOC: CREATING with Backfilling, then ACTIVE; moto is ACTIVE at once
def test_a_new_index_is_creating_and_unreadable_until_its_build_finishes(aws: Any) -> None:
    client = table(aws)
    index = create_email_index(client)["TableDescription"]["GlobalSecondaryIndexes"][0]
    assert (index["IndexStatus"], index["Backfilling"]) == ("CREATING", True)
    with pytest.raises(ClientError) as raised:
        query_email(client, "a@x")
    assert "backfilling" in raised.value.response["Error"]["Message"]
    aws.env.run_until_idle()
    index = client.describe_table(TableName="Things")["Table"]["GlobalSecondaryIndexes"][0]
    assert index["IndexStatus"] == "ACTIVE" and "Backfilling" not in index


@pytest.mark.fakes_only  # ONLINE_INDEX_DOC: DELETING, then gone
def test_deleting_an_index_makes_it_deleting_then_removes_it(aws: Any) -> None:
    client = table(aws)
    create_email_index(client)
    aws.env.run_until_idle()
    client.update_table(TableName="Things", GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by-email"}}])
    index = client.describe_table(TableName="Things")["Table"]["GlobalSecondaryIndexes"][0]
    assert index["IndexStatus"] == "DELETING"
    aws.env.run_until_idle()
    assert "GlobalSecondaryIndexes" not in client.describe_table(TableName="Things")["Table"]


@pytest.mark.fakes_only  # ONLINE_INDEX_DOC: one index created or deleted at a time
def test_only_one_index_can_be_built_at_a_time(aws: Any) -> None:
    client = table(aws)
    create_email_index(client)
    with pytest.raises(ClientError) as raised:
        client.update_table(
            TableName="Things",
            AttributeDefinitions=[{"AttributeName": "phone", "AttributeType": "S"}],
            GlobalSecondaryIndexUpdates=[
                {
                    "Create": {
                        "IndexName": "by-phone",
                        "KeySchema": [{"AttributeName": "phone", "KeyType": "HASH"}],
                        "Projection": {"ProjectionType": "ALL"},
                    }
                }
            ],
        )
    assert raised.value.response["Error"]["Code"] == "LimitExceededException"


@pytest.mark.fakes_only  # API_UpdateTable: AttributeDefinitions must cover new index keys; moto skips it
def test_an_index_key_must_be_defined_in_attribute_definitions(aws: Any) -> None:
    client = table(aws)
    with pytest.raises(ClientError) as raised:
        client.update_table(
            TableName="Things",
            GlobalSecondaryIndexUpdates=[
                {
                    "Create": {
                        "IndexName": "by-email",
                        "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
                        "Projection": {"ProjectionType": "ALL"},
                    }
                }
            ],
        )
    assert raised.value.response["Error"]["Code"] == "ValidationException"


@pytest.mark.fakes_only  # ONLINE_INDEX_DOC; moto 5.2 accepts deleting a missing index
def test_deleting_a_missing_index_is_not_found(aws: Any) -> None:
    client = table(aws)
    with pytest.raises(ClientError) as raised:
        client.update_table(TableName="Things", GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "nope"}}])
    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"
