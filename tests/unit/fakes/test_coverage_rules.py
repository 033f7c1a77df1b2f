"""The rules behind the coverage table: what counts as reading a parameter."""

from __future__ import annotations

import ast

import pytest

from eventproof_fakes.coverage import _read_names
from eventproof_fakes.errors import AWSError
from eventproof_fakes.paging import page


def reads(source: str) -> set[str]:
    return {name for node in ast.walk(ast.parse(source)) for name in _read_names(node)}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('x = params["Name"]', {"Name"}),
        ('x = params.get("Limit", 10)', {"Limit"}),
        ('x = params.pop("Token", None)', {"Token"}),
        ('ok = "Force" in params', {"Force"}),
        ('KEYS = ("A", "B")', {"A", "B"}),
    ],
)
def test_a_read_counts(source: str, expected: set[str]) -> None:
    assert reads(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        'response = {"Description": ""}',  # a response echoing a fixed value
        'response["Description"] = "x"',  # an assignment, not a read
        'text = "Description"',
    ],
)
def test_an_echo_is_not_a_read(source: str) -> None:
    assert reads(source) == set()


def invalid() -> AWSError:
    return AWSError("InvalidParameter", "bad token")


def test_pages_follow_their_tokens_to_the_end() -> None:
    items = list(range(250))
    seen, token = [], None
    while True:
        shown, token = page(items, token, 100, invalid)
        seen += shown
        if token is None:
            break
    assert seen == items


@pytest.mark.parametrize("token", ["nope", "ZXZlbnRwcm9vZi1wYWdlOng=", "\u00e9"])
def test_a_token_the_fake_did_not_hand_out_is_refused(token: str) -> None:
    with pytest.raises(AWSError):
        page([1, 2, 3], token, 1, invalid)
