"""DynamoDB behaviour: tables, item CRUD, types and limits, on the fakes and on moto."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from botocore.exceptions import ClientError


def create_table(
    aws: Any, name: str = "Orders", *, sort_key: str | None = None, **extra: Any
) -> Any:
    client = aws.client("dynamodb")
    schema = [{"AttributeName": "id", "KeyType": "HASH"}]
    definitions = [{"AttributeName": "id", "AttributeType": "S"}]
    if sort_key:
        schema.append({"AttributeName": sort_key, "KeyType": "RANGE"})
        definitions.append({"AttributeName": sort_key, "AttributeType": "N"})
    client.create_table(
        TableName=name,
        KeySchema=schema,
        AttributeDefinitions=definitions,
        BillingMode="PAY_PER_REQUEST",
        **extra,
    )
    return client


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


# --- tables -------------------------------------------------------------------
def test_a_created_table_is_described_with_its_key_schema_and_billing_mode(aws: Any) -> None:
    client = create_table(aws)
    table = client.describe_table(TableName="Orders")["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert table["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert table["TableArn"].endswith(":table/Orders")


def test_creating_a_table_twice_is_resource_in_use(aws: Any) -> None:
    create_table(aws)
    with pytest.raises(ClientError) as excinfo:
        create_table(aws)
    assert excinfo.value.response["Error"]["Code"] == "ResourceInUseException"


def test_describing_a_missing_table_names_it(aws: Any) -> None:
    client = aws.client("dynamodb")
    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        client.describe_table(TableName="non-existent")
    assert "non-existent" in excinfo.value.response["Error"]["Message"]


def test_deleting_a_table_removes_it_from_the_list(aws: Any) -> None:
    client = create_table(aws)
    create_table(aws, "Books")
    assert sorted(client.list_tables()["TableNames"]) == ["Books", "Orders"]
    client.delete_table(TableName="Orders")
    assert client.list_tables()["TableNames"] == ["Books"]


def test_list_tables_paginates_with_limit(aws: Any) -> None:
    client = aws.client("dynamodb")
    for name in ("Aaa", "Bbb", "Ccc"):
        create_table(aws, name)
    first = client.list_tables(Limit=2)
    assert first["TableNames"] == ["Aaa", "Bbb"]
    second = client.list_tables(ExclusiveStartTableName=first["LastEvaluatedTableName"])
    assert second["TableNames"] == ["Ccc"]


def test_pay_per_request_table_rejects_provisioned_throughput(aws: Any) -> None:
    client = aws.client("dynamodb")
    with pytest.raises(ClientError) as excinfo:
        client.create_table(
            TableName="T",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
            ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
        )
    assert error_of(excinfo)[0] == "ValidationException"


def test_the_table_exists_waiter_returns(aws: Any) -> None:
    client = create_table(aws)
    client.get_waiter("table_exists").wait(TableName="Orders", WaiterConfig={"Delay": 1})


# --- items ----------------------------------------------------------------------
def test_put_then_get_returns_the_item(aws: Any) -> None:
    client = create_table(aws)
    item = {"id": {"S": "o-1"}, "total": {"N": "12.50"}, "paid": {"BOOL": True}}
    client.put_item(TableName="Orders", Item=item)
    got = client.get_item(TableName="Orders", Key={"id": {"S": "o-1"}})["Item"]
    assert got["id"] == {"S": "o-1"} and got["paid"] == {"BOOL": True}
    assert Decimal(got["total"]["N"]) == Decimal("12.5")


def test_get_of_a_missing_item_has_no_item_key(aws: Any) -> None:
    client = create_table(aws)
    assert "Item" not in client.get_item(TableName="Orders", Key={"id": {"S": "nope"}})


def test_the_resource_style_of_the_seed_puts_and_gets(aws: Any) -> None:
    create_table(aws)
    table = aws.resource("dynamodb").Table("Orders")
    table.put_item(Item={"id": "o-1", "status": "NEW", "amount": Decimal("9.99")})
    item = table.get_item(Key={"id": "o-1"})["Item"]
    assert item == {"id": "o-1", "status": "NEW", "amount": Decimal("9.99")}


def test_every_attribute_type_round_trips(aws: Any) -> None:
    client = create_table(aws)
    item = {
        "id": {"S": "all"},
        "s": {"S": ""},
        "n": {"N": "-0.5"},
        "b": {"B": b"\x00\x01"},
        "bool": {"BOOL": False},
        "null": {"NULL": True},
        "m": {"M": {"inner": {"S": "x"}}},
        "l": {"L": [{"N": "1"}, {"S": "two"}]},
        "ss": {"SS": ["a", "b"]},
        "ns": {"NS": ["1", "2"]},
        "bs": {"BS": [b"x", b"y"]},
    }
    client.put_item(TableName="Orders", Item=item)
    got = client.get_item(TableName="Orders", Key={"id": {"S": "all"}})["Item"]
    assert got["b"] == {"B": b"\x00\x01"}
    assert got["m"] == {"M": {"inner": {"S": "x"}}}
    assert got["l"] == {"L": [{"N": "1"}, {"S": "two"}]}
    assert sorted(got["ss"]["SS"]) == ["a", "b"] and sorted(got["bs"]["BS"]) == [b"x", b"y"]
    assert got["s"] == {"S": ""} and got["null"] == {"NULL": True}


def test_numbers_keep_38_digits_exactly(aws: Any) -> None:
    create_table(aws)
    table = aws.resource("dynamodb").Table("Orders")
    exact = Decimal("1234567890.1234567890123456789012345678")
    table.put_item(Item={"id": "n", "value": exact})
    assert table.get_item(Key={"id": "n"})["Item"]["value"] == exact


def test_put_without_the_key_attribute_names_it(aws: Any) -> None:
    client = create_table(aws)
    with pytest.raises(ClientError) as excinfo:
        client.put_item(TableName="Orders", Item={"other": {"S": "x"}})
    assert error_of(excinfo) == (
        "ValidationException",
        "One or more parameter values were invalid: Missing the key id in the item",
    )


# moto accepts a key of the wrong type; AWS rejects it:
# https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html (ValidationException)
@pytest.mark.fakes_only
def test_get_with_a_wrong_key_type_does_not_match_the_schema(aws: Any) -> None:
    client = create_table(aws)
    with pytest.raises(ClientError) as excinfo:
        client.get_item(TableName="Orders", Key={"id": {"N": "1"}})
    assert error_of(excinfo) == (
        "ValidationException",
        "The provided key element does not match the schema",
    )


def test_get_with_an_extra_key_attribute_does_not_match_the_schema(aws: Any) -> None:
    client = create_table(aws)
    with pytest.raises(ClientError) as excinfo:
        client.get_item(TableName="Orders", Key={"id": {"S": "1"}, "x": {"S": "2"}})
    assert error_of(excinfo)[1] == "The provided key element does not match the schema"


def test_put_with_a_wrong_key_type_is_a_type_mismatch(aws: Any) -> None:
    client = create_table(aws)
    with pytest.raises(ClientError) as excinfo:
        client.put_item(TableName="Orders", Item={"id": {"N": "1"}})
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "Type mismatch for key" in message


def test_an_empty_string_key_is_rejected(aws: Any) -> None:
    client = create_table(aws)
    with pytest.raises(ClientError) as excinfo:
        client.put_item(TableName="Orders", Item={"id": {"S": ""}})
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "empty string" in message and "Key: id" in message


def test_an_empty_set_is_rejected(aws: Any) -> None:
    client = create_table(aws)
    with pytest.raises(ClientError) as excinfo:
        client.put_item(TableName="Orders", Item={"id": {"S": "1"}, "tags": {"SS": []}})
    assert error_of(excinfo)[0] == "ValidationException"


def test_an_item_over_400_kb_is_rejected(aws: Any) -> None:
    client = create_table(aws)
    with pytest.raises(ClientError) as excinfo:
        client.put_item(
            TableName="Orders", Item={"id": {"S": "big"}, "blob": {"S": "x" * (400 * 1024)}}
        )
    assert error_of(excinfo) == (
        "ValidationException",
        "Item size has exceeded the maximum allowed size",
    )


# moto overestimates item sizes; AWS counts name bytes plus value bytes:
# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
@pytest.mark.fakes_only
def test_an_item_just_under_400_kb_is_accepted(aws: Any) -> None:
    client = create_table(aws)
    # 2 bytes for "id" + 3 for "big" + 4 for "blob": the value fills the rest.
    value = "x" * (400 * 1024 - 2 - 3 - 4)
    client.put_item(TableName="Orders", Item={"id": {"S": "big"}, "blob": {"S": value}})
    assert (
        client.get_item(TableName="Orders", Key={"id": {"S": "big"}})["Item"]["blob"]["S"] == value
    )


def test_a_partition_key_over_2048_bytes_is_rejected(aws: Any) -> None:
    client = create_table(aws)
    with pytest.raises(ClientError) as excinfo:
        client.put_item(TableName="Orders", Item={"id": {"S": "k" * 2049}})
    assert error_of(excinfo)[0] == "ValidationException"


def test_writes_to_a_missing_table_are_resource_not_found(aws: Any) -> None:
    client = aws.client("dynamodb")
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.put_item(TableName="Missing", Item={"id": {"S": "1"}})


def test_put_with_return_values_all_old_returns_the_replaced_item(aws: Any) -> None:
    client = create_table(aws)
    client.put_item(TableName="Orders", Item={"id": {"S": "id1"}, "data": {"S": "foobar"}})
    response = client.put_item(
        TableName="Orders", Item={"id": {"S": "id1"}, "data": {"S": "new"}}, ReturnValues="ALL_OLD"
    )
    assert response["Attributes"] == {"id": {"S": "id1"}, "data": {"S": "foobar"}}


def test_put_of_a_new_item_with_all_old_returns_no_attributes(aws: Any) -> None:
    client = create_table(aws)
    response = client.put_item(
        TableName="Orders", Item={"id": {"S": "id1"}}, ReturnValues="ALL_OLD"
    )
    assert "Attributes" not in response


def test_put_rejects_return_values_all_new(aws: Any) -> None:
    client = create_table(aws)
    with pytest.raises(ClientError) as excinfo:
        client.put_item(TableName="Orders", Item={"id": {"S": "1"}}, ReturnValues="ALL_NEW")
    assert error_of(excinfo)[0] == "ValidationException"


def test_delete_returns_the_old_item_and_removes_it(aws: Any) -> None:
    client = create_table(aws)
    client.put_item(TableName="Orders", Item={"id": {"S": "1"}, "a": {"S": "x"}})
    response = client.delete_item(
        TableName="Orders", Key={"id": {"S": "1"}}, ReturnValues="ALL_OLD"
    )
    assert response["Attributes"] == {"id": {"S": "1"}, "a": {"S": "x"}}
    assert "Item" not in client.get_item(TableName="Orders", Key={"id": {"S": "1"}})


def test_delete_of_a_missing_item_succeeds(aws: Any) -> None:
    client = create_table(aws)
    assert "Attributes" not in client.delete_item(TableName="Orders", Key={"id": {"S": "none"}})


def test_a_composite_key_table_keeps_items_apart_by_sort_key(aws: Any) -> None:
    client = create_table(aws, sort_key="seq")
    client.put_item(
        TableName="Orders", Item={"id": {"S": "a"}, "seq": {"N": "1"}, "v": {"S": "one"}}
    )
    client.put_item(
        TableName="Orders", Item={"id": {"S": "a"}, "seq": {"N": "2"}, "v": {"S": "two"}}
    )
    got = client.get_item(TableName="Orders", Key={"id": {"S": "a"}, "seq": {"N": "2"}})["Item"]
    assert got["v"] == {"S": "two"}


def test_a_number_key_matches_regardless_of_its_written_form(aws: Any) -> None:
    client = create_table(aws, sort_key="seq")
    client.put_item(TableName="Orders", Item={"id": {"S": "a"}, "seq": {"N": "1.0"}})
    got = client.get_item(TableName="Orders", Key={"id": {"S": "a"}, "seq": {"N": "1"}})
    assert "Item" in got


def test_get_item_with_a_projection_of_nested_paths(aws: Any) -> None:
    client = create_table(aws)
    client.put_item(
        TableName="Orders",
        Item={
            "id": {"S": "1"},
            "customer": {"M": {"name": {"S": "Ann"}, "tier": {"S": "gold"}}},
            "orderLines": {"L": [{"S": "a"}, {"S": "b"}, {"S": "c"}]},
            "other": {"S": "x"},
        },
    )
    got = client.get_item(
        TableName="Orders",
        Key={"id": {"S": "1"}},
        ProjectionExpression="customer.#n, orderLines[1]",
        ExpressionAttributeNames={"#n": "name"},
    )["Item"]
    assert got == {"customer": {"M": {"name": {"S": "Ann"}}}, "orderLines": {"L": [{"S": "b"}]}}
