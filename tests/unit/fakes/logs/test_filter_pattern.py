"""CloudWatch Logs filter patterns: what each form matches, and what is refused."""

from __future__ import annotations

import json

import pytest

from eventproof_fakes.logs import UnsupportedFilterPattern, compile_filter

ORDER = json.dumps({"level": "ERROR", "latency": 250, "user": {"id": "u-1", "admin": True},
                    "tags": ["a", "b"], "note": None})


@pytest.mark.parametrize(
    ("pattern", "message", "expected"),
    [
        ("", "anything", True),
        ("ERROR", "[ERROR] boom", True),
        ("ERROR", "[error] boom", False),  # case-sensitive
        ("ERROR boom", "ERROR and boom", True),
        ("ERROR boom", "ERROR only", False),
        ('"timed out"', "Task timed out after 3.00 seconds", True),
        ('"timed out"', "timed  out", False),
        ("?ERROR ?WARN", "WARN x", True),
        ("?ERROR ?WARN", "INFO x", False),
        ("ERROR -Throttling", "ERROR Throttling", False),
        ('{ $.level = "ERROR" }', ORDER, True),
        ('{ $.level = "ERR*" }', ORDER, True),
        ('{ $.level != "ERROR" }', ORDER, False),
        ("{ $.latency > 200 }", ORDER, True),
        ("{ $.latency <= 200 }", ORDER, False),
        ('{ $.user.id = "u-1" && $.latency >= 250 }', ORDER, True),
        ('{ ($.level = "INFO") || ($.tags[1] = "b") }', ORDER, True),
        ("{ $.user.admin IS TRUE }", ORDER, True),
        ("{ $.note IS NULL }", ORDER, True),
        ("{ $.missing NOT EXISTS }", ORDER, True),
        ("{ $.level NOT EXISTS }", ORDER, False),
        ('{ $.level = "ERROR" }', "[ERROR] not json", False),
        ("{ $.latency > 100 }", json.dumps({"latency": "250"}), False),  # a string is no number
    ],
)
def test_a_pattern_matches_as_cloudwatch_logs_documents(
    pattern: str, message: str, expected: bool
) -> None:
    assert compile_filter(pattern)(message) is expected


@pytest.mark.parametrize(
    "pattern",
    ["[ip, user, status]", "%ERROR%", "{ $.level = }", '{ level = "x" }', "{ $.a = 1",
     "?ERROR boom", '"unterminated'],
)
def test_what_the_fake_does_not_model_or_cannot_parse_is_refused(pattern: str) -> None:
    with pytest.raises(UnsupportedFilterPattern):
        compile_filter(pattern)
