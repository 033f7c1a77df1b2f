"""Unit rules: legacy parameters become expressions; capacity units round as AWS documents."""

from __future__ import annotations

import pytest

from eventproof_fakes.dynamodb.capacity import read_units, write_units
from eventproof_fakes.dynamodb.legacy import translated
from eventproof_fakes.errors import AWSError


def test_a_request_without_legacy_parameters_is_returned_as_is() -> None:
    params = {"TableName": "T", "Key": {"pk": {"S": "a"}}}
    assert translated("GetItem", params) is params


def test_expected_becomes_a_condition_expression_with_placeholders() -> None:
    result = translated(
        "PutItem",
        {"TableName": "T", "Item": {}, "Expected": {"a": {"Exists": False}, "b": {"Value": {"N": "1"}}}},
    )
    assert result["ConditionExpression"] == "attribute_not_exists(#legacy0) AND #legacy1 = :legacy0"
    assert result["ExpressionAttributeNames"] == {"#legacy0": "a", "#legacy1": "b"}
    assert result["ExpressionAttributeValues"] == {":legacy0": {"N": "1"}}
    assert "Expected" not in result


def test_attribute_updates_become_one_update_expression() -> None:
    result = translated(
        "UpdateItem",
        {
            "TableName": "T",
            "Key": {},
            "AttributeUpdates": {"a": {"Value": {"S": "x"}}, "b": {"Action": "DELETE"}, "c": {"Action": "ADD", "Value": {"N": "1"}}},
        },
    )
    assert result["UpdateExpression"] == "SET #legacy0 = :legacy0 REMOVE #legacy1 ADD #legacy2 :legacy1"


def test_key_conditions_may_go_with_a_filter_expression() -> None:
    result = translated(
        "Query",
        {
            "TableName": "T",
            "KeyConditions": {"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "a"}]}},
            "FilterExpression": "#x > :y",
            "ExpressionAttributeNames": {"#x": "x"},
            "ExpressionAttributeValues": {":y": {"N": "1"}},
        },
    )
    assert result["KeyConditionExpression"] == "#legacy0 = :legacy0"
    assert result["ExpressionAttributeNames"] == {"#x": "x", "#legacy0": "pk"}


def test_conditional_operator_alone_is_refused() -> None:
    with pytest.raises(AWSError):
        translated("Scan", {"TableName": "T", "ConditionalOperator": "OR", "AttributesToGet": ["a"]})


@pytest.mark.parametrize(
    ("size", "consistent", "units"),
    [(0, True, 1.0), (4096, True, 1.0), (4097, True, 2.0), (4097, False, 1.0), (1, False, 0.5)],
)
def test_read_units(size: int, consistent: bool, units: float) -> None:
    assert read_units(size, consistent) == units


@pytest.mark.parametrize(("size", "units"), [(0, 1.0), (1024, 1.0), (1025, 2.0), (400 * 1024, 400.0)])
def test_write_units(size: int, units: float) -> None:
    assert write_units(size) == units
