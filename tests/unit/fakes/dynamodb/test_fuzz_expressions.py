"""Random expressions and documents through a bound client: AWS's errors, never a Python one.

Expressions are drawn from DynamoDB's own tokens (names, placeholders,
keywords, functions, operators, parentheses), so most are malformed in the
ways real typos are; documents are random AttributeValues, nested.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any

from botocore.exceptions import ClientError, ParamValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventproof_fakes import FakeAWS

TOKENS = [
    "a", "b", "pk", "#n", "#m", ":v", ":w", "size", "(", ")", "[0]", "[1]", ".", ",", "=", "<>",
    "<", "<=", ">", ">=", "+", "-", "AND", "OR", "NOT", "BETWEEN", "IN", "attribute_exists",
    "attribute_not_exists", "attribute_type", "begins_with", "contains", "if_not_exists",
    "list_append", "SET", "REMOVE", "ADD", "DELETE", "#", ":", "1", "((", "))",
]
expressions = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=14).map(" ".join)
scalars = st.one_of(
    st.builds(lambda s: {"S": s}, st.text(max_size=5)),
    st.builds(lambda n: {"N": n}, st.sampled_from(["1", "-2.5", "1e3", "0", "x", "1e400"])),
    st.builds(lambda b: {"B": b}, st.binary(max_size=4)),
    st.just({"BOOL": True}),
    st.just({"NULL": True}),
    st.builds(lambda s: {"SS": s}, st.lists(st.text(max_size=3), max_size=3)),
    st.builds(lambda s: {"NS": s}, st.lists(st.sampled_from(["1", "2", "x"]), max_size=3)),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.builds(lambda items: {"L": items}, st.lists(inner, max_size=3)),
        st.builds(lambda m: {"M": m}, st.dictionaries(st.sampled_from(["a", "b"]), inner, max_size=2)),
    ),
    max_leaves=8,
)
SETTINGS = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")), deadline=None, database=None, suppress_health_check=list(HealthCheck))


def _client() -> Any:
    aws = FakeAWS()
    client = aws.client("dynamodb")
    client.create_table(
        TableName="T",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    client.put_item(TableName="T", Item={"pk": {"S": "k"}, "a": {"L": [{"N": "1"}]}, "b": {"M": {"c": {"S": "x"}}}})
    return client


CLIENT = _client()
BOTOCORE_ERRORS = (ClientError, ParamValidationError)


@SETTINGS
@given(expressions, values, values)
def test_random_condition_and_filter_expressions(expression: str, first: Any, second: Any) -> None:
    call = {
        "ExpressionAttributeNames": {"#n": "a", "#m": "b"},
        "ExpressionAttributeValues": {":v": first, ":w": second},
    }
    with contextlib.suppress(*BOTOCORE_ERRORS):
        CLIENT.scan(TableName="T", FilterExpression=expression, **call)
    with contextlib.suppress(*BOTOCORE_ERRORS):
        CLIENT.put_item(TableName="T", Item={"pk": {"S": "k"}, "a": first}, ConditionExpression=expression, **call)


@SETTINGS
@given(expressions, values)
def test_random_update_expressions(expression: str, value: Any) -> None:
    with contextlib.suppress(*BOTOCORE_ERRORS):
        CLIENT.update_item(
            TableName="T",
            Key={"pk": {"S": "k"}},
            UpdateExpression=expression,
            ExpressionAttributeNames={"#n": "a", "#m": "b"},
            ExpressionAttributeValues={":v": value, ":w": {"N": "1"}},
        )


@SETTINGS
@given(st.dictionaries(st.sampled_from(["a", "b", "c"]), values, max_size=3), expressions)
def test_random_items_and_projections(item: dict[str, Any], projection: str) -> None:
    with contextlib.suppress(*BOTOCORE_ERRORS):
        CLIENT.put_item(TableName="T", Item={"pk": {"S": "r"}, **item})
    with contextlib.suppress(*BOTOCORE_ERRORS):
        CLIENT.get_item(
            TableName="T", Key={"pk": {"S": "r"}}, ProjectionExpression=projection,
            ExpressionAttributeNames={"#n": "a", "#m": "b"},
        )
