"""``json_too_deep``: nesting counted outside strings, without parsing."""

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
