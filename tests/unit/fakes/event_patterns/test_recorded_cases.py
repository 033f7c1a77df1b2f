"""Every case AWS's TestEventPattern answered, in tests/recordings/eventbridge-patterns.

File names say the outcome: ``_NEG`` no match, ``_EXC`` invalid pattern
(with the message recorded in the patterns snapshot), anything else a match.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import json5
import pytest

from eventproof_fakes.event_patterns import InvalidPatternError, compile_pattern
from tests.recordings import RECORDINGS

CASES = RECORDINGS / "eventbridge-patterns"
SNAPSHOT = RECORDINGS / "snapshots" / "events_test_events_patterns.snapshot.json"



def _recorded_messages() -> dict[str, str]:
    if not SNAPSHOT.is_file():
        return {}
    messages: dict[str, str] = {}
    for test in json.loads(SNAPSHOT.read_text()).values():
        for name, content in test.get("recorded-content", {}).items():
            if isinstance(content, dict) and "exception_message" in content:
                messages[name] = content["exception_message"]["Error"]["Message"]
    return messages


MESSAGES = _recorded_messages()
CASE_FILES = sorted(CASES.glob("*.json5")) if CASES.is_dir() else []


def _load(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    case = json5.loads(path.read_text())
    return case["Event"], case["EventPattern"]


def test_the_recorded_set_is_complete() -> None:
    assert len(CASE_FILES) + 2 == len(list(CASES.iterdir())) == 157


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_recorded_case(path: Path) -> None:
    event, pattern = _load(path)
    if path.stem.endswith("_EXC"):
        with pytest.raises(InvalidPatternError) as raised:
            compile_pattern(pattern)
        recorded = MESSAGES.get(path.stem)
        if recorded is not None:
            assert raised.value.message == recorded
        return
    expected = not path.stem.endswith("_NEG")
    assert compile_pattern(pattern).matches(event) is expected


def test_a_duplicated_key_keeps_its_last_value() -> None:
    event = json.loads((CASES / "complex_multi_key_event.json").read_text())
    pattern_text = (CASES / "complex_multi_key_event_pattern.json").read_text()
    # The last "location" (anything-but "us-east") wins, as with AWS's parser.
    assert compile_pattern(pattern_text).matches(event) is True
