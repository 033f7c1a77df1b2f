"""The application front: JSON nesting counted outside strings, answers that close their connection."""

from __future__ import annotations

import json

import pytest

from eventproof.serving.app_front import json_too_deep


@pytest.mark.parametrize(
    ("body", "deep"),
    [
        (b"[" * 11 + b"]" * 11, True),
        (b"[" * 10 + b"]" * 10, False),
        (b'{"a":' * 11 + b"1" + b"}" * 11, True),
        (b'["' + b"[" * 50 + b'"]', False),  # brackets in a string do not nest
        (b'["\\"' + b"[" * 50 + b'"]', False),  # nor after an escaped quote
        (json.dumps([[1], [2], [3]] * 20).encode(), False),  # many brackets, shallow
    ],
)
def test_depth_beyond_the_limit_is_found(body: bytes, deep: bool) -> None:
    assert json_too_deep(body, limit=10) is deep


def test_an_answer_says_the_connection_closes() -> None:
    from eventproof.serving.app_front import _closing

    assert _closing(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok") == (
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
    )
    kept = b"HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nX: 1\r\n\r\n"
    assert _closing(kept) == b"HTTP/1.1 200 OK\r\nX: 1\r\nConnection: close\r\n\r\n"
