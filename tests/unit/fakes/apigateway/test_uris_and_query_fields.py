"""Integration URIs, execute-api URLs, and Query API form fields decoded by botocore shapes."""

from __future__ import annotations

import botocore.session
import pytest

from eventproof_fakes.apigateway.service_calls import RequestNotUnderstood, decode_query_fields
from eventproof_fakes.apigateway.uris import (
    execute_api_url,
    lambda_function_of,
    parse_execute_api_url,
    parse_service_uri,
)
from eventproof_fakes.errors import AWSError

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:books"


def test_lambda_function_arn_from_an_integration_uri() -> None:
    uri = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{FUNCTION}/invocations"
    assert lambda_function_of(uri) == FUNCTION
    assert lambda_function_of(FUNCTION) == FUNCTION
    with pytest.raises(AWSError):
        lambda_function_of("arn:aws:apigateway:us-east-1:lambda:path/nothing")


def test_service_uris() -> None:
    target = parse_service_uri("arn:aws:apigateway:eu-west-1:sqs:path/123456789012/orders")
    assert (target.region, target.service, target.kind, target.rest) == (
        "eu-west-1",
        "sqs",
        "path",
        "123456789012/orders",
    )
    with pytest.raises(AWSError, match="Invalid ARN"):
        parse_service_uri("arn:aws:sqs:us-east-1:123456789012:orders")


def test_execute_api_urls_round_trip() -> None:
    assert (
        execute_api_url("abc123", "us-east-1", "$default")
        == "https://abc123.execute-api.us-east-1.amazonaws.com"
    )
    url = execute_api_url("abc123", "us-east-1", "prod") + "/book/1?x=2"
    address = parse_execute_api_url(url)
    assert address is not None
    assert (address.api_id, address.region, address.path, address.query) == (
        "abc123",
        "us-east-1",
        "/prod/book/1",
        "x=2",
    )
    assert parse_execute_api_url("https://example.com/prod") is None


def test_query_fields_become_send_message_parameters() -> None:
    shape = (
        botocore.session.get_session()
        .get_service_model("sqs")
        .operation_model("SendMessage")
        .input_shape
    )
    fields = {
        "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q",
        "MessageBody": "hello",
        "DelaySeconds": "5",
        "MessageAttribute.1.Name": "kind",
        "MessageAttribute.1.Value.StringValue": "order",
        "MessageAttribute.1.Value.DataType": "String",
    }
    assert decode_query_fields(shape, fields) == {
        "QueueUrl": fields["QueueUrl"],
        "MessageBody": "hello",
        "DelaySeconds": 5,
        "MessageAttributes": {"kind": {"StringValue": "order", "DataType": "String"}},
    }
    with pytest.raises(RequestNotUnderstood, match="MessageBodyy"):
        decode_query_fields(shape, {"MessageBodyy": "typo"})


@pytest.mark.parametrize("service", ["apigateway", "apigatewayv2"])
def test_every_refused_parameter_is_a_parameter_of_its_operation(service: str) -> None:
    from botocore import xform_name

    from eventproof_fakes import FakeAWS
    from eventproof_fakes.operations import operation_table

    model = botocore.session.get_session().get_service_model(service)
    operations = {xform_name(name): name for name in model.operation_names}
    table = operation_table(type(FakeAWS().backend(service)))
    for name in table.names():
        members = set(model.operation_model(operations[name]).input_shape.members)
        assert table.refused(operations[name]) <= members, name
