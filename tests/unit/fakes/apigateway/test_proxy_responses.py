"""Lambda proxy results -> HTTP responses, format 1.0 and 2.0."""

from __future__ import annotations

import pytest

from eventproof_fakes.apigateway.proxy_responses import (
    MalformedProxyResponse,
    response_v1,
    response_v2,
)


def test_v1_merges_headers_and_multi_value_headers() -> None:
    status, headers, body = response_v1(
        {
            "statusCode": "201",
            "headers": {"A": "1", "B": "x"},
            "multiValueHeaders": {"B": ["2", "3"]},
            "body": "ok",
        }
    )
    assert status == 201
    assert headers.get_all("A") == ["1"]
    assert headers.get_all("b") == ["2", "3"]
    assert body == b"ok"


@pytest.mark.parametrize(
    "result",
    [
        {"statusCode": 99},
        {"statusCode": True},
        {"statusCode": 200, "isBase64Encoded": True, "body": "!!"},
    ],
)
def test_v1_refuses_bad_status_and_bad_base64(result: dict) -> None:
    with pytest.raises(MalformedProxyResponse):
        response_v1(result)


def test_v2_refuses_multi_value_headers_and_bad_cookies() -> None:
    with pytest.raises(MalformedProxyResponse, match="unexpected fields"):
        response_v2({"statusCode": 200, "multiValueHeaders": {}})
    with pytest.raises(MalformedProxyResponse, match="cookies"):
        response_v2({"statusCode": 200, "cookies": "a=1"})


def test_v2_infers_a_response_from_any_json_value() -> None:
    assert response_v2(None)[2] == b"null"
    assert response_v2(3)[2] == b"3"
    status, headers, body = response_v2({"no": "status"})
    assert (status, headers["content-type"], body) == (200, "application/json", b'{"no":"status"}')
