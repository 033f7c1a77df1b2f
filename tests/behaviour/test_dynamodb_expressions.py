"""DynamoDB behaviour: condition, update and projection expressions, on the fakes and on moto."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def table(aws: Any) -> Any:
    aws.client("dynamodb").create_table(
        TableName="Orders",
        KeySchema=[{"AttributeName": "orderId", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "orderId", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return aws.resource("dynamodb").Table("Orders")


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


def test_the_seeds_bare_status_update_fails_with_awss_reserved_word_message(table: Any) -> None:
    table.put_item(Item={"orderId": "o-1"})
    with pytest.raises(ClientError) as excinfo:
        table.update_item(
            Key={"orderId": "o-1"},
            UpdateExpression="SET status = :status, refundAmount = :amount",
            ExpressionAttributeValues={":status": "REFUNDED", ":amount": Decimal("5")},
        )
    assert error_of(excinfo) == (
        "ValidationException",
        "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status",
    )


def test_the_status_update_works_through_an_attribute_name(table: Any) -> None:
    table.put_item(Item={"orderId": "o-1"})
    table.update_item(
        Key={"orderId": "o-1"},
        UpdateExpression="SET #s = :status, refundAmount = :amount",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":status": "REFUNDED", ":amount": Decimal("5")},
    )
    item = table.get_item(Key={"orderId": "o-1"})["Item"]
    assert item == {"orderId": "o-1", "status": "REFUNDED", "refundAmount": Decimal("5")}


def test_a_reserved_word_in_a_condition_is_rejected(table: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        table.put_item(
            Item={"orderId": "o-1"},
            ConditionExpression="attribute_not_exists(name)",
        )
    assert error_of(excinfo) == (
        "ValidationException",
        "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name",
    )


def test_an_unused_expression_attribute_value_is_rejected(table: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        table.update_item(
            Key={"orderId": "o-1"},
            UpdateExpression="SET amount = :t",
            ExpressionAttributeValues={":t": 1, ":unused": 2},
        )
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    # AWS's text; moto prefixes it with "1 validation error detected: ".
    assert message.endswith(
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}"
    )


def test_an_unused_expression_attribute_name_is_rejected(table: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        table.update_item(
            Key={"orderId": "o-1"},
            UpdateExpression="SET amount = :t",
            ExpressionAttributeNames={"#x": "x"},
            ExpressionAttributeValues={":t": 1},
        )
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert message.endswith(
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}"
    )


def test_an_undefined_expression_attribute_value_is_rejected(table: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        table.update_item(Key={"orderId": "o-1"}, UpdateExpression="SET amount = :t")
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert message.startswith("Invalid UpdateExpression: An expression attribute value used in")
    assert message.endswith(":t")


def test_a_syntax_error_is_a_validation_exception(table: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        table.update_item(
            Key={"orderId": "o-1"},
            UpdateExpression="SET amount = = :t",
            ExpressionAttributeValues={":t": 1},
        )
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert message.startswith("Invalid UpdateExpression: Syntax error; token:")


def test_update_creates_a_missing_item(table: Any) -> None:
    table.update_item(
        Key={"orderId": "new"},
        UpdateExpression="SET amount = :t",
        ExpressionAttributeValues={":t": 3},
    )
    assert table.get_item(Key={"orderId": "new"})["Item"] == {"orderId": "new", "amount": 3}


def test_set_with_arithmetic_and_if_not_exists_counts(table: Any) -> None:
    for _ in range(3):
        table.update_item(
            Key={"orderId": "c"},
            UpdateExpression="SET hits = if_not_exists(hits, :zero) + :one",
            ExpressionAttributeValues={":zero": 0, ":one": 1},
        )
    assert table.get_item(Key={"orderId": "c"})["Item"]["hits"] == 3


def test_set_with_subtraction(table: Any) -> None:
    table.put_item(Item={"orderId": "c", "stock": 10})
    response = table.update_item(
        Key={"orderId": "c"},
        UpdateExpression="SET stock = stock - :n",
        ExpressionAttributeValues={":n": 4},
        ReturnValues="UPDATED_NEW",
    )
    assert response["Attributes"] == {"stock": 6}


def test_list_append_extends_a_list(table: Any) -> None:
    table.put_item(Item={"orderId": "l", "events": ["a"]})
    table.update_item(
        Key={"orderId": "l"},
        UpdateExpression="SET events = list_append(events, :more)",
        ExpressionAttributeValues={":more": ["b", "c"]},
    )
    assert table.get_item(Key={"orderId": "l"})["Item"]["events"] == ["a", "b", "c"]


def test_remove_drops_attributes_and_list_elements(table: Any) -> None:
    table.put_item(Item={"orderId": "r", "note": "x", "steps": ["a", "b", "c"]})
    table.update_item(Key={"orderId": "r"}, UpdateExpression="REMOVE note, steps[1]")
    assert table.get_item(Key={"orderId": "r"})["Item"] == {"orderId": "r", "steps": ["a", "c"]}


def test_add_increments_numbers_and_unions_sets(table: Any) -> None:
    table.put_item(Item={"orderId": "a", "n": 1, "tags": {"x"}})
    table.update_item(
        Key={"orderId": "a"},
        UpdateExpression="ADD n :two, tags :more",
        ExpressionAttributeValues={":two": 2, ":more": {"y", "x"}},
    )
    item = table.get_item(Key={"orderId": "a"})["Item"]
    assert item["n"] == 3 and item["tags"] == {"x", "y"}


def test_delete_removes_elements_from_a_set_and_the_set_when_empty(table: Any) -> None:
    table.put_item(Item={"orderId": "d", "tags": {"x", "y"}, "extra": {"z"}})
    table.update_item(
        Key={"orderId": "d"},
        UpdateExpression="DELETE tags :x, extra :z",
        ExpressionAttributeValues={":x": {"x"}, ":z": {"z"}},
    )
    assert table.get_item(Key={"orderId": "d"})["Item"] == {"orderId": "d", "tags": {"y"}}


def test_set_on_a_nested_map_path(table: Any) -> None:
    table.put_item(Item={"orderId": "m", "address": {"city": "Oslo"}})
    table.update_item(
        Key={"orderId": "m"},
        UpdateExpression="SET address.zip = :zip",
        ExpressionAttributeValues={":zip": "0150"},
    )
    assert table.get_item(Key={"orderId": "m"})["Item"]["address"] == {
        "city": "Oslo",
        "zip": "0150",
    }


def test_updating_the_key_attribute_is_rejected(table: Any) -> None:
    table.put_item(Item={"orderId": "k"})
    with pytest.raises(ClientError) as excinfo:
        table.update_item(
            Key={"orderId": "k"},
            UpdateExpression="SET orderId = :v",
            ExpressionAttributeValues={":v": "other"},
        )
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "This attribute is part of the key" in message


def test_update_return_values_all_old_and_all_new(table: Any) -> None:
    table.put_item(Item={"orderId": "rv", "a": 1, "b": 2})
    old = table.update_item(
        Key={"orderId": "rv"},
        UpdateExpression="SET a = :v",
        ExpressionAttributeValues={":v": 5},
        ReturnValues="ALL_OLD",
    )["Attributes"]
    new = table.update_item(
        Key={"orderId": "rv"},
        UpdateExpression="SET b = :v",
        ExpressionAttributeValues={":v": 7},
        ReturnValues="ALL_NEW",
    )["Attributes"]
    assert old == {"orderId": "rv", "a": 1, "b": 2}
    assert new == {"orderId": "rv", "a": 5, "b": 7}


def test_update_return_values_updated_old(table: Any) -> None:
    table.put_item(Item={"orderId": "u", "a": 1, "b": 2})
    response = table.update_item(
        Key={"orderId": "u"},
        UpdateExpression="SET a = :v",
        ExpressionAttributeValues={":v": 9},
        ReturnValues="UPDATED_OLD",
    )
    assert response["Attributes"] == {"a": 1}


def test_a_failed_condition_is_conditional_check_failed(aws: Any, table: Any) -> None:
    table.put_item(Item={"orderId": "c1"})
    client = aws.client("dynamodb")
    with pytest.raises(client.exceptions.ConditionalCheckFailedException) as excinfo:
        client.put_item(
            TableName="Orders",
            Item={"orderId": {"S": "c1"}},
            ConditionExpression="attribute_not_exists(orderId)",
        )
    assert error_of(excinfo) == (
        "ConditionalCheckFailedException",
        "The conditional request failed",
    )


def test_return_values_on_condition_check_failure_carries_the_item(aws: Any, table: Any) -> None:
    table.put_item(Item={"orderId": "456", "price": 650, "product": "sporting goods"})
    client = aws.client("dynamodb")
    with pytest.raises(client.exceptions.ConditionalCheckFailedException) as excinfo:
        client.update_item(
            TableName="Orders",
            Key={"orderId": {"S": "456"}},
            UpdateExpression="SET price = :p",
            ConditionExpression="price < :max",
            ExpressionAttributeValues={":p": {"N": "700"}, ":max": {"N": "500"}},
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    assert excinfo.value.response["Item"] == {
        "orderId": {"S": "456"},
        "price": {"N": "650"},
        "product": {"S": "sporting goods"},
    }


@pytest.mark.parametrize(
    ("condition", "values", "expected"),
    [
        ("price BETWEEN :lo AND :hi", {":lo": 10, ":hi": 20}, True),
        ("price IN (:a, :b)", {":a": 1, ":b": 15}, True),
        ("begins_with(sku, :p)", {":p": "AB"}, True),
        ("contains(tags, :t)", {":t": "red"}, True),
        ("contains(sku, :t)", {":t": "C-"}, True),
        ("size(tags) = :n", {":n": 2}, True),
        ("attribute_type(price, :t)", {":t": "N"}, True),
        ("NOT price > :p", {":p": 100}, True),
        ("price > :a OR price < :b AND price > :c", {":a": 100, ":b": 5, ":c": 0}, False),
        ("(price > :a OR price < :b) AND sku <> :c", {":a": 10, ":b": 5, ":c": "x"}, True),
        ("price <= :p", {":p": 14}, False),
        ("absentAttr = :p", {":p": 1}, False),
    ],
)
def test_condition_operators_and_functions(
    table: Any, condition: str, values: dict[str, Any], expected: bool
) -> None:
    table.put_item(Item={"orderId": "x", "price": 15, "sku": "ABC-1", "tags": {"red", "blue"}})
    try:
        table.put_item(
            Item={"orderId": "x", "price": 15, "sku": "ABC-1", "tags": {"red", "blue"}, "ok": True},
            ConditionExpression=condition,
            ExpressionAttributeValues=values,
        )
        passed = True
    except ClientError as error:
        assert error.response["Error"]["Code"] == "ConditionalCheckFailedException"
        passed = False
    assert passed is expected


def test_and_binds_tighter_than_or(table: Any) -> None:
    table.put_item(Item={"orderId": "p", "a": 1, "b": 2})
    # a = 1 OR (a = 2 AND b = 3) is true; (a = 1 OR a = 2) AND b = 3 would be false.
    table.put_item(
        Item={"orderId": "p", "a": 1, "b": 2},
        ConditionExpression="a = :one OR a = :two AND b = :three",
        ExpressionAttributeValues={":one": 1, ":two": 2, ":three": 3},
    )
