"""DynamoDB behaviours the fakes once got wrong, pinned on the fakes and on moto.

Conditions with missing attributes, transaction validation and cancellation
reasons, empty index keys, redundant parentheses, nesting limits, AWS's
validation-message prefixes, tags and account operations.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

CONDITIONS_DOC = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html"
LIMITS_DOC = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html"
TRANSACTIONS_DOC = "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html"


def table(aws: Any, name: str = "Things", **extra: Any) -> Any:
    client = aws.client("dynamodb")
    definitions = [{"AttributeName": "pk", "AttributeType": "S"}]
    definitions += extra.pop("definitions", [])
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=definitions,
        BillingMode="PAY_PER_REQUEST",
        **extra,
    )
    return client


def with_gsi(aws: Any) -> Any:
    return table(
        aws,
        definitions=[{"AttributeName": "email", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-email",
                "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )


def error(raised: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    return raised.value.response["Error"]["Code"], raised.value.response["Error"]["Message"]


# --- a missing attribute is not equal to anything -------------------------------
@pytest.mark.fakes_only  # moto 5.2 treats a missing attribute as failing `<>`; CONDITIONS_DOC
def test_not_equal_holds_when_the_attribute_is_missing(aws: Any) -> None:
    client = table(aws)
    client.put_item(
        TableName="Things",
        Item={"pk": {"S": "new"}},
        ConditionExpression="#k <> :v",
        ExpressionAttributeNames={"#k": "status"},
        ExpressionAttributeValues={":v": {"S": "done"}},
    )
    assert client.get_item(TableName="Things", Key={"pk": {"S": "new"}})["Item"]


@pytest.mark.parametrize(("stored", "passes"), [("open", True), ("done", False)])
def test_not_equal_compares_a_present_attribute(aws: Any, stored: str, passes: bool) -> None:
    client = table(aws)
    client.put_item(TableName="Things", Item={"pk": {"S": "a"}, "status": {"S": stored}})
    call = {
        "TableName": "Things",
        "Key": {"pk": {"S": "a"}},
        "ConditionExpression": "#k <> :v",
        "ExpressionAttributeNames": {"#k": "status"},
        "ExpressionAttributeValues": {":v": {"S": "done"}},
    }
    if passes:
        client.delete_item(**call)
    else:
        with pytest.raises(client.exceptions.ConditionalCheckFailedException):
            client.delete_item(**call)


@pytest.mark.fakes_only  # moto 5.2 gets the `<>` reason wrong; AWS: TRANSACTIONS_DOC
def test_cancellation_reasons_say_none_for_the_items_that_passed(aws: Any) -> None:
    client = table(aws)
    client.put_item(TableName="Things", Item={"pk": {"S": "taken"}})
    with pytest.raises(ClientError) as raised:
        client.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": "Things",
                        "Item": {"pk": {"S": "fresh"}},
                        "ConditionExpression": "#s <> :v",
                        "ExpressionAttributeNames": {"#s": "status"},
                        "ExpressionAttributeValues": {":v": {"S": "x"}},
                    }
                },
                {
                    "Put": {
                        "TableName": "Things",
                        "Item": {"pk": {"S": "taken"}},
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
            ]
        )
    assert raised.value.response["CancellationReasons"] == [
        {"Code": "None"},
        {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"},
    ]
    assert "Item" not in client.get_item(TableName="Things", Key={"pk": {"S": "fresh"}})


# --- transaction validation ----------------------------------------------------
def test_a_transaction_item_with_two_actions_is_a_validation_error(aws: Any) -> None:
    client = table(aws)
    with pytest.raises(ClientError) as raised:
        client.transact_write_items(
            TransactItems=[
                {
                    "Put": {"TableName": "Things", "Item": {"pk": {"S": "a"}}},
                    "Delete": {"TableName": "Things", "Key": {"pk": {"S": "a"}}},
                }
            ]
        )
    assert error(raised) == (
        "ValidationException",
        "TransactItems can only contain one of Check, Put, Update or Delete",
    )


@pytest.mark.fakes_only  # AWS checks the maps before parsing (TRANSACTIONS_DOC); moto parses first
def test_empty_expression_attribute_values_in_a_transaction_is_reported_before_parsing(aws: Any) -> None:
    client = table(aws)
    with pytest.raises(ClientError) as raised:
        client.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": "Things",
                        "Key": {"pk": {"S": "a"}},
                        "UpdateExpression": "SET x = :undefined ((",
                        "ExpressionAttributeValues": {},
                    }
                }
            ]
        )
    assert error(raised) == ("ValidationException", "ExpressionAttributeValues must not be empty")


@pytest.mark.fakes_only  # idempotency window: TRANSACTIONS_DOC (ClientRequestToken)
def test_a_repeated_client_request_token_does_not_write_twice(aws: Any) -> None:
    client = table(aws)
    request = {
        "TransactItems": [
            {
                "Update": {
                    "TableName": "Things",
                    "Key": {"pk": {"S": "counter"}},
                    "UpdateExpression": "ADD n :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}},
                }
            }
        ],
        "ClientRequestToken": "token-1",
    }
    client.transact_write_items(**request)
    client.transact_write_items(**request)
    item = client.get_item(TableName="Things", Key={"pk": {"S": "counter"}})["Item"]
    assert item["n"] == {"N": "1"}
    request["TransactItems"][0]["Update"]["ExpressionAttributeValues"] = {":one": {"N": "2"}}
    with pytest.raises(ClientError) as raised:
        client.transact_write_items(**request)
    assert error(raised)[0] == "IdempotentParameterMismatchException"


@pytest.mark.fakes_only  # the token lasts 10 minutes (TRANSACTIONS_DOC); needs the virtual clock
def test_a_client_request_token_expires_after_ten_minutes(aws: Any) -> None:
    client = table(aws)
    request = {
        "TransactItems": [
            {
                "Update": {
                    "TableName": "Things",
                    "Key": {"pk": {"S": "counter"}},
                    "UpdateExpression": "ADD n :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}},
                }
            }
        ],
        "ClientRequestToken": "token-2",
    }
    client.transact_write_items(**request)
    aws.advance(601)
    client.transact_write_items(**request)
    assert client.get_item(TableName="Things", Key={"pk": {"S": "counter"}})["Item"]["n"] == {"N": "2"}


# --- empty strings in index keys -------------------------------------------------
def test_an_empty_string_as_a_gsi_key_is_refused_on_put(aws: Any) -> None:
    client = with_gsi(aws)
    with pytest.raises(ClientError) as raised:
        client.put_item(TableName="Things", Item={"pk": {"S": "a"}, "email": {"S": ""}})
    code, message = error(raised)
    assert code == "ValidationException"
    assert "IndexName: by-email, IndexKey: email" in message


def test_an_empty_string_as_a_gsi_key_is_refused_on_update(aws: Any) -> None:
    client = with_gsi(aws)
    client.put_item(TableName="Things", Item={"pk": {"S": "a"}, "email": {"S": "a@x"}})
    with pytest.raises(ClientError) as raised:
        client.update_item(
            TableName="Things",
            Key={"pk": {"S": "a"}},
            UpdateExpression="SET email = :e",
            ExpressionAttributeValues={":e": {"S": ""}},
        )
    assert error(raised)[0] == "ValidationException"
    item = client.get_item(TableName="Things", Key={"pk": {"S": "a"}})["Item"]
    assert item["email"] == {"S": "a@x"}


def test_an_empty_string_in_a_non_key_attribute_is_stored(aws: Any) -> None:
    client = with_gsi(aws)
    client.put_item(TableName="Things", Item={"pk": {"S": "a"}, "note": {"S": ""}})
    assert client.get_item(TableName="Things", Key={"pk": {"S": "a"}})["Item"]["note"] == {"S": ""}


# --- expression structure ---------------------------------------------------------
@pytest.mark.fakes_only  # AWS rejects redundant parentheses (recorded in many suites; moto evaluates)
@pytest.mark.parametrize(
    "expression",
    ["((a < b))", "((((a < b))))", "NOT ((a = b))", "(" * 300 + "a < b" + ")" * 300],
)
def test_redundant_parentheses_are_rejected(aws: Any, expression: str) -> None:
    client = table(aws)
    with pytest.raises(ClientError) as raised:
        client.scan(TableName="Things", FilterExpression=expression)
    assert error(raised) == (
        "ValidationException",
        "Invalid FilterExpression: The expression has redundant parentheses;",
    )


@pytest.mark.parametrize("expression", ["(a < b)", "(a < b) AND (b < a)", "((a < b) OR b < a)"])
def test_useful_parentheses_are_accepted(aws: Any, expression: str) -> None:
    client = table(aws)
    assert client.scan(TableName="Things", FilterExpression=expression)["Count"] == 0


@pytest.mark.fakes_only  # LIMITS_DOC: at most 300 operators or functions in an expression
def test_more_than_300_operators_are_refused(aws: Any) -> None:
    client = table(aws)
    with pytest.raises(ClientError) as raised:
        client.scan(TableName="Things", FilterExpression=" AND ".join(["a < b"] * 151))
    assert error(raised)[0] == "ValidationException"


# --- nesting ------------------------------------------------------------------------
def nested(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {"S": "leaf"}
    for _ in range(levels):
        value = {"M": {"n": value}}
    return value


def test_a_document_31_levels_deep_is_stored(aws: Any) -> None:
    client = table(aws)
    client.put_item(TableName="Things", Item={"pk": {"S": "a"}, "d": nested(31)})
    assert client.get_item(TableName="Things", Key={"pk": {"S": "a"}})["Item"]["d"] == nested(31)


@pytest.mark.fakes_only  # LIMITS_DOC: 32 levels of nesting; moto accepts deeper documents
@pytest.mark.parametrize("levels", [32, 33, 100, 300])
def test_a_document_deeper_than_32_levels_is_refused(aws: Any, levels: int) -> None:
    client = table(aws)
    with pytest.raises(ClientError) as raised:
        client.put_item(TableName="Things", Item={"pk": {"S": "a"}, "d": nested(levels)})
    code, message = error(raised)
    assert code == "ValidationException"
    assert message.startswith("Nesting Levels have exceeded supported limits")


@pytest.mark.fakes_only  # LIMITS_DOC: an update cannot build a document deeper than 32 levels
def test_an_update_cannot_nest_deeper_than_32_levels(aws: Any) -> None:
    client = table(aws)
    client.put_item(TableName="Things", Item={"pk": {"S": "a"}, "d": nested(2)})
    with pytest.raises(ClientError) as raised:
        client.update_item(
            TableName="Things",
            Key={"pk": {"S": "a"}},
            UpdateExpression="SET d.n.n = :deep",
            ExpressionAttributeValues={":deep": nested(30)},
        )
    assert "Nesting Levels" in error(raised)[1]


# --- AWS's "1 validation error detected" messages ----------------------------------
@pytest.mark.fakes_only  # AWS's constraint messages carry the prefix (LIMITS_DOC); moto's differ
@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        ({"ReturnValues": "EVERYTHING"}, "at 'returnValues' failed to satisfy constraint"),
        ({"ReturnConsumedCapacity": "ALL"}, "at 'returnConsumedCapacity' failed to satisfy"),
        ({"ReturnItemCollectionMetrics": "ALL"}, "at 'returnItemCollectionMetrics' failed"),
    ],
)
def test_enum_violations_have_the_validation_prefix(aws: Any, call: dict[str, Any], fragment: str) -> None:
    client = table(aws)
    with pytest.raises(ClientError) as raised:
        client.put_item(TableName="Things", Item={"pk": {"S": "a"}}, **call)
    code, message = error(raised)
    assert code == "ValidationException"
    assert message.startswith("1 validation error detected: ") and fragment in message


def test_a_valid_return_values_the_operation_does_not_allow_has_no_prefix(aws: Any) -> None:
    client = table(aws)
    with pytest.raises(ClientError) as raised:
        client.put_item(TableName="Things", Item={"pk": {"S": "a"}}, ReturnValues="ALL_NEW")
    assert error(raised) == ("ValidationException", "Return values set to invalid value")


@pytest.mark.fakes_only  # AWS checks the name's pattern first; moto answers not found
def test_a_table_name_with_invalid_characters_is_a_validation_error(aws: Any) -> None:
    client = aws.client("dynamodb")
    with pytest.raises(ClientError) as raised:
        client.get_item(TableName="bad name!", Key={"pk": {"S": "a"}})
    code, message = error(raised)
    assert code == "ValidationException"
    assert message.startswith("1 validation error detected: Value 'bad name!' at 'tableName'")


# --- deletion protection, tags, account operations --------------------------------
def test_a_protected_table_cannot_be_deleted_until_protection_is_off(aws: Any) -> None:
    client = table(aws, DeletionProtectionEnabled=True)
    with pytest.raises(ClientError) as raised:
        client.delete_table(TableName="Things")
    assert error(raised)[0] == "ValidationException"
    client.update_table(TableName="Things", DeletionProtectionEnabled=False)
    client.delete_table(TableName="Things")
    assert "Things" not in client.list_tables()["TableNames"]


def test_tags_given_at_creation_and_added_later_are_listed(aws: Any) -> None:
    client = table(aws, Tags=[{"Key": "team", "Value": "orders"}])
    arn = client.describe_table(TableName="Things")["Table"]["TableArn"]
    client.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "test"}])
    tags = client.list_tags_of_resource(ResourceArn=arn)["Tags"]
    assert sorted((t["Key"], t["Value"]) for t in tags) == [("env", "test"), ("team", "orders")]
    client.untag_resource(ResourceArn=arn, TagKeys=["team"])
    assert client.list_tags_of_resource(ResourceArn=arn)["Tags"] == [{"Key": "env", "Value": "test"}]


@pytest.mark.fakes_only  # moto 5.2 tags a missing table silently; AWS answers not found
def test_tagging_a_missing_table_is_not_found(aws: Any) -> None:
    client = aws.client("dynamodb")
    arn = "arn:aws:dynamodb:us-east-1:123456789012:table/Missing"
    with pytest.raises(ClientError) as raised:
        client.tag_resource(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])
    assert error(raised)[0] == "ResourceNotFoundException"


def test_describe_limits_reports_account_and_table_quotas(aws: Any) -> None:
    limits = aws.client("dynamodb").describe_limits()
    assert limits["AccountMaxReadCapacityUnits"] >= limits["TableMaxReadCapacityUnits"] > 0
    assert limits["AccountMaxWriteCapacityUnits"] >= limits["TableMaxWriteCapacityUnits"] > 0


def test_describe_endpoints_names_the_regional_endpoint(aws: Any) -> None:
    endpoints = aws.client("dynamodb").describe_endpoints()["Endpoints"]
    assert endpoints[0]["Address"].startswith("dynamodb.")
    assert endpoints[0]["CachePeriodInMinutes"] > 0
