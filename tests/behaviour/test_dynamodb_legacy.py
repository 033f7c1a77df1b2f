"""DynamoDB's legacy (pre-expression) parameters, on the fakes and on moto.

AWS still accepts them and older code sends them:
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.html
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

LEGACY_DOC = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.html"


def orders(aws: Any) -> Any:
    client = aws.client("dynamodb")
    client.create_table(
        TableName="Orders",
        KeySchema=[
            {"AttributeName": "customer", "KeyType": "HASH"},
            {"AttributeName": "n", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "customer", "AttributeType": "S"},
            {"AttributeName": "n", "AttributeType": "N"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    for n, total, status in [(1, 10, "new"), (2, 25, "paid"), (3, 40, "paid"), (4, 55, "shipped")]:
        client.put_item(
            TableName="Orders",
            Item={
                "customer": {"S": "ann"},
                "n": {"N": str(n)},
                "total": {"N": str(total)},
                "status": {"S": status},
                "tags": {"SS": ["a", f"t{n}"]},
            },
        )
    return client


KEY = {"customer": {"S": "ann"}, "n": {"N": "1"}}


def code_of(raised: pytest.ExceptionInfo[ClientError]) -> str:
    return str(raised.value.response["Error"]["Code"])


def message_of(raised: pytest.ExceptionInfo[ClientError]) -> str:
    return str(raised.value.response["Error"]["Message"])


# --- Expected ----------------------------------------------------------------------
def test_expected_exists_false_refuses_to_overwrite_an_item_that_has_the_attribute(aws: Any) -> None:
    client = orders(aws)
    with pytest.raises(client.exceptions.ConditionalCheckFailedException):
        client.put_item(
            TableName="Orders",
            Item={**KEY, "total": {"N": "0"}},
            Expected={"status": {"Exists": False}},
        )
    item = client.get_item(TableName="Orders", Key=KEY)["Item"]
    assert item["total"] == {"N": "10"}


def test_expected_exists_false_allows_a_new_item(aws: Any) -> None:
    client = orders(aws)
    key = {"customer": {"S": "bob"}, "n": {"N": "1"}}
    client.put_item(TableName="Orders", Item=key, Expected={"customer": {"Exists": False}})
    assert client.get_item(TableName="Orders", Key=key)["Item"] == key


@pytest.mark.fakes_only  # moto 5.2 ignores Expected on DeleteItem; AWS evaluates it (LEGACY_DOC)
@pytest.mark.parametrize(
    ("expected", "passes"),
    [
        ({"status": {"Value": {"S": "new"}}}, True),
        ({"status": {"Value": {"S": "paid"}}}, False),
        ({"status": {"Exists": True, "Value": {"S": "new"}}}, True),
        ({"total": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "5"}]}}, True),
        ({"total": {"ComparisonOperator": "LT", "AttributeValueList": [{"N": "5"}]}}, False),
        ({"total": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "5"}, {"N": "10"}]}}, True),
        ({"status": {"ComparisonOperator": "IN", "AttributeValueList": [{"S": "x"}, {"S": "new"}]}}, True),
        ({"status": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "ne"}]}}, True),
        ({"tags": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"S": "t1"}]}}, True),
        ({"tags": {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"S": "t1"}]}}, False),
        ({"missing": {"ComparisonOperator": "NULL"}}, True),
        ({"status": {"ComparisonOperator": "NOT_NULL"}}, True),
        ({"status": {"ComparisonOperator": "NE", "AttributeValueList": [{"S": "new"}]}}, False),
    ],
)
def test_expected_conditions_decide_a_delete(aws: Any, expected: dict[str, Any], passes: bool) -> None:
    client = orders(aws)
    if passes:
        client.delete_item(TableName="Orders", Key=KEY, Expected=expected)
        assert "Item" not in client.get_item(TableName="Orders", Key=KEY)
    else:
        with pytest.raises(client.exceptions.ConditionalCheckFailedException):
            client.delete_item(TableName="Orders", Key=KEY, Expected=expected)
        assert "Item" in client.get_item(TableName="Orders", Key=KEY)


@pytest.mark.fakes_only  # moto 5.2 ignores Expected on DeleteItem; AWS evaluates it (LEGACY_DOC)
@pytest.mark.parametrize(("operator", "passes"), [("AND", False), ("OR", True)])
def test_conditional_operator_joins_expected_conditions(aws: Any, operator: str, passes: bool) -> None:
    client = orders(aws)
    expected = {"status": {"Value": {"S": "new"}}, "total": {"Value": {"N": "999"}}}
    call = {"TableName": "Orders", "Key": KEY, "Expected": expected, "ConditionalOperator": operator}
    if passes:
        client.delete_item(**call)
    else:
        with pytest.raises(client.exceptions.ConditionalCheckFailedException):
            client.delete_item(**call)


@pytest.mark.fakes_only  # moto accepts the mix; AWS refuses it (see LEGACY_DOC)
def test_mixing_expected_and_a_condition_expression_is_a_validation_error(aws: Any) -> None:
    client = orders(aws)
    with pytest.raises(ClientError) as raised:
        client.put_item(
            TableName="Orders",
            Item=KEY,
            Expected={"status": {"Exists": False}},
            ConditionExpression="attribute_not_exists(customer)",
        )
    assert code_of(raised) == "ValidationException"
    assert message_of(raised) == (
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}"
    )


@pytest.mark.fakes_only  # AWS's validation of legacy conditions (see LEGACY_DOC); moto lacks it
@pytest.mark.parametrize(
    ("expected", "fragment"),
    [
        ({"status": {"Exists": True}}, "Value must be provided when Exists is true"),
        ({"status": {}}, "Value must be provided when Exists is null"),
        ({"status": {"Exists": False, "Value": {"S": "x"}}}, "Value cannot be used when Exists is false"),
        ({"total": {"ComparisonOperator": "GT"}}, "Invalid number of argument(s) for the GT"),
        ({"total": {"ComparisonOperator": "LT", "AttributeValueList": [{"SS": ["a"]}]}}, "ComparisonOperator LT is not valid for SS"),
        ({"total": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "9"}, {"N": "1"}]}}, "lower bound is greater than the upper bound"),
        ({"total": {"ComparisonOperator": "EQ", "Exists": True, "AttributeValueList": [{"N": "1"}]}}, "Exists and ComparisonOperator cannot be used together"),
    ],
)
def test_malformed_expected_conditions_are_validation_errors(
    aws: Any, expected: dict[str, Any], fragment: str
) -> None:
    client = orders(aws)
    with pytest.raises(ClientError) as raised:
        client.put_item(TableName="Orders", Item=KEY, Expected=expected)
    assert code_of(raised) == "ValidationException"
    assert fragment in message_of(raised)


@pytest.mark.fakes_only  # see LEGACY_DOC: the ExpressionAttribute* maps belong to expressions
def test_expression_attribute_values_without_an_expression_are_refused(aws: Any) -> None:
    client = orders(aws)
    with pytest.raises(ClientError) as raised:
        client.put_item(
            TableName="Orders",
            Item=KEY,
            Expected={"status": {"Exists": False}},
            ExpressionAttributeValues={":v": {"S": "x"}},
        )
    assert "ExpressionAttributeValues can only be specified when using expressions" in message_of(raised)


# --- AttributeUpdates -----------------------------------------------------------------
def test_attribute_updates_put_add_and_delete(aws: Any) -> None:
    client = orders(aws)
    client.update_item(
        TableName="Orders",
        Key=KEY,
        AttributeUpdates={
            "status": {"Action": "PUT", "Value": {"S": "paid"}},
            "total": {"Action": "ADD", "Value": {"N": "5"}},
            "tags": {"Action": "DELETE", "Value": {"SS": ["a"]}},
            "note": {"Value": {"S": "default action is PUT"}},
        },
    )
    item = client.get_item(TableName="Orders", Key=KEY)["Item"]
    assert item["status"] == {"S": "paid"}
    assert item["total"] == {"N": "15"}
    assert item["tags"] == {"SS": ["t1"]}
    assert item["note"] == {"S": "default action is PUT"}


def test_attribute_updates_delete_without_value_removes_the_attribute(aws: Any) -> None:
    client = orders(aws)
    client.update_item(TableName="Orders", Key=KEY, AttributeUpdates={"status": {"Action": "DELETE"}})
    assert "status" not in client.get_item(TableName="Orders", Key=KEY)["Item"]


def test_attribute_updates_create_a_missing_item(aws: Any) -> None:
    client = orders(aws)
    key = {"customer": {"S": "new"}, "n": {"N": "9"}}
    client.update_item(
        TableName="Orders", Key=key, AttributeUpdates={"count": {"Action": "ADD", "Value": {"N": "1"}}}
    )
    assert client.get_item(TableName="Orders", Key=key)["Item"]["count"] == {"N": "1"}


def test_attribute_updates_return_values(aws: Any) -> None:
    client = orders(aws)
    response = client.update_item(
        TableName="Orders",
        Key=KEY,
        AttributeUpdates={"total": {"Action": "ADD", "Value": {"N": "1"}}},
        ReturnValues="UPDATED_NEW",
    )
    assert response["Attributes"] == {"total": {"N": "11"}}


@pytest.mark.fakes_only  # legacy ADD appends to a list (see LEGACY_DOC, AttributeUpdates ADD)
def test_attribute_updates_add_appends_to_a_list(aws: Any) -> None:
    client = orders(aws)
    for word in ("x", "y"):
        client.update_item(
            TableName="Orders",
            Key=KEY,
            AttributeUpdates={"log": {"Action": "ADD", "Value": {"L": [{"S": word}]}}},
        )
    assert client.get_item(TableName="Orders", Key=KEY)["Item"]["log"] == {"L": [{"S": "x"}, {"S": "y"}]}


def test_attribute_updates_with_expected_is_conditional(aws: Any) -> None:
    client = orders(aws)
    with pytest.raises(client.exceptions.ConditionalCheckFailedException):
        client.update_item(
            TableName="Orders",
            Key=KEY,
            AttributeUpdates={"status": {"Value": {"S": "paid"}}},
            Expected={"status": {"Value": {"S": "shipped"}}},
        )


def test_mixing_attribute_updates_and_update_expression_is_refused(aws: Any) -> None:
    client = orders(aws)
    with pytest.raises(ClientError) as raised:
        client.update_item(
            TableName="Orders",
            Key=KEY,
            AttributeUpdates={"status": {"Value": {"S": "paid"}}},
            UpdateExpression="SET total = :t",
            ExpressionAttributeValues={":t": {"N": "1"}},
        )
    assert code_of(raised) == "ValidationException"
    assert "Can not use both expression and non-expression parameters" in message_of(raised)


# --- AttributesToGet ----------------------------------------------------------------------
@pytest.mark.fakes_only  # moto 5.2 returns the whole item; AWS projects (LEGACY_DOC, AttributesToGet)
def test_attributes_to_get_projects_get_item(aws: Any) -> None:
    client = orders(aws)
    item = client.get_item(TableName="Orders", Key=KEY, AttributesToGet=["status", "total"])["Item"]
    assert item == {"status": {"S": "new"}, "total": {"N": "10"}}


@pytest.mark.fakes_only  # moto 5.2 returns the whole item; AWS projects (LEGACY_DOC, AttributesToGet)
def test_attributes_to_get_projects_a_scan(aws: Any) -> None:
    client = orders(aws)
    items = client.scan(TableName="Orders", AttributesToGet=["n"])["Items"]
    assert sorted(int(i["n"]["N"]) for i in items) == [1, 2, 3, 4]
    assert all(set(i) == {"n"} for i in items)


def test_attributes_to_get_projects_batch_get_item(aws: Any) -> None:
    client = orders(aws)
    response = client.batch_get_item(
        RequestItems={"Orders": {"Keys": [KEY], "AttributesToGet": ["status"]}}
    )
    assert response["Responses"]["Orders"] == [{"status": {"S": "new"}}]


def test_mixing_attributes_to_get_and_projection_expression_is_refused(aws: Any) -> None:
    client = orders(aws)
    with pytest.raises(ClientError) as raised:
        client.get_item(
            TableName="Orders", Key=KEY, AttributesToGet=["status"], ProjectionExpression="total"
        )
    assert code_of(raised) == "ValidationException"


# --- KeyConditions, QueryFilter, ScanFilter -------------------------------------------------
@pytest.mark.parametrize(
    ("range_condition", "expected"),
    [
        ({"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "2"}]}, [2]),
        ({"ComparisonOperator": "GT", "AttributeValueList": [{"N": "2"}]}, [3, 4]),
        ({"ComparisonOperator": "LE", "AttributeValueList": [{"N": "2"}]}, [1, 2]),
        ({"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "2"}, {"N": "3"}]}, [2, 3]),
    ],
)
def test_key_conditions_select_a_range(aws: Any, range_condition: dict[str, Any], expected: list[int]) -> None:
    client = orders(aws)
    items = client.query(
        TableName="Orders",
        KeyConditions={
            "customer": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "ann"}]},
            "n": range_condition,
        },
    )["Items"]
    assert [int(i["n"]["N"]) for i in items] == expected


def test_query_filter_filters_after_the_key_condition(aws: Any) -> None:
    client = orders(aws)
    response = client.query(
        TableName="Orders",
        KeyConditions={"customer": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "ann"}]}},
        QueryFilter={"status": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "paid"}]}},
    )
    assert [int(i["n"]["N"]) for i in response["Items"]] == [2, 3]
    assert response["ScannedCount"] == 4


@pytest.mark.parametrize(
    ("scan_filter", "operator", "expected"),
    [
        ({"total": {"ComparisonOperator": "GE", "AttributeValueList": [{"N": "40"}]}}, None, [3, 4]),
        pytest.param(
            {
                "total": {"ComparisonOperator": "GE", "AttributeValueList": [{"N": "40"}]},
                "status": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "new"}]},
            },
            "OR",
            [1, 3, 4],
            # moto 5.2 ANDs the conditions whatever ConditionalOperator says (LEGACY_DOC)
            marks=pytest.mark.fakes_only,
        ),
        (
            {
                "total": {"ComparisonOperator": "GE", "AttributeValueList": [{"N": "40"}]},
                "status": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "paid"}]},
            },
            "AND",
            [3],
        ),
        ({"status": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "sh"}]}}, None, [4]),
    ],
)
def test_scan_filter(aws: Any, scan_filter: dict[str, Any], operator: str | None, expected: list[int]) -> None:
    client = orders(aws)
    extra = {"ConditionalOperator": operator} if operator else {}
    items = client.scan(TableName="Orders", ScanFilter=scan_filter, **extra)["Items"]
    assert sorted(int(i["n"]["N"]) for i in items) == expected


@pytest.mark.fakes_only  # see LEGACY_DOC: KeyConditions accept only indexable operators
def test_key_conditions_refuse_a_non_indexable_operator(aws: Any) -> None:
    client = orders(aws)
    with pytest.raises(ClientError) as raised:
        client.query(
            TableName="Orders",
            KeyConditions={
                "customer": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "ann"}]},
                "n": {"ComparisonOperator": "NE", "AttributeValueList": [{"N": "1"}]},
            },
        )
    assert message_of(raised) == "Attempted conditional constraint is not an indexable operation"


def test_query_filter_with_a_filter_expression_is_refused(aws: Any) -> None:
    client = orders(aws)
    with pytest.raises(ClientError) as raised:
        client.query(
            TableName="Orders",
            KeyConditionExpression="customer = :c",
            FilterExpression="total > :t",
            QueryFilter={"status": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "paid"}]}},
            ExpressionAttributeValues={":c": {"S": "ann"}, ":t": {"N": "1"}},
        )
    assert code_of(raised) == "ValidationException"
