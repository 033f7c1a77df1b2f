"""Contract regular expressions: linear-time matching, bad patterns refused at load time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings

from eventproof import Catalog
from eventproof.catalog.patterns import MATCH_SECONDS, PatternTimeout, pattern_problem, searcher
from eventproof.strategies import from_contract
from tests.hostile.helpers import cli, contract, validate

EVIL = "^(a+)+$"
EVIL_TEXT = "a" * 28 + "!"


@pytest.mark.timeout(10)
@pytest.mark.parametrize("where", ["pattern", "patternProperties", "propertyNames"])
def test_catastrophic_pattern_is_a_violation_not_a_hang(tmp_path: Path, where: str) -> None:
    schema = {
        "pattern": {"type": "object", "properties": {"a": {"type": "string", "pattern": EVIL}}},
        "patternProperties": {"type": "object", "patternProperties": {EVIL: {"type": "integer"}}},
        "propertyNames": {"type": "object", "propertyNames": {"pattern": EVIL}},
    }[where]
    message = {"pattern": {"a": EVIL_TEXT}, "patternProperties": {"a" * 29: "x"},
               "propertyNames": {EVIL_TEXT: 1}}[where]
    catalog = contract(tmp_path / "c", schema)
    code, out, err = validate(catalog, json.dumps(message))
    assert (code, err) == (1, "")
    # A property name has no pointer of its own: propertyNames reports at its object.
    pointer = {"pattern": "/a", "patternProperties": "/" + "a" * 29, "propertyNames": "/"}[where]
    assert f": {pointer}: expected" in out


@pytest.mark.timeout(10)
@pytest.mark.parametrize(("pattern", "reason"), [
    ("(", "missing ), unterminated subpattern"),
    ("a{99999999999}", "OverflowError"),
    ("[z-a]", "bad character range"),
])
@pytest.mark.parametrize("where", ["pattern", "patternProperties", "propertyNames", "$defs"])
def test_unreadable_pattern_is_a_load_error_without_examples(
    tmp_path: Path, pattern: str, reason: str, where: str
) -> None:
    schema = {
        "pattern": {"properties": {"a": {"pattern": pattern}}},
        "patternProperties": {"patternProperties": {pattern: {}}},
        "propertyNames": {"propertyNames": {"pattern": pattern}},
        "$defs": {"$defs": {"unused": {"pattern": pattern}}},
    }[where]
    pointer = {
        "pattern": "/properties/a/pattern",
        "patternProperties": "/patternProperties",
        "propertyNames": "/propertyNames/pattern",
        "$defs": "/$defs/unused/pattern",
    }[where]
    catalog = contract(tmp_path / "c", schema)
    code, out, err = cli("contracts", "check", catalog)
    assert code == 2, out + err
    assert "Traceback" not in err
    assert str(catalog / "A.schema.json") in err
    assert f"at {pointer}" in err
    assert reason in err


@pytest.mark.timeout(10)
def test_pattern_re2_cannot_run_is_time_limited() -> None:
    # A lookahead: RE2 cannot read it, so the fallback runs it with a time limit.
    pattern = r"^(?=(a|a)+b)"
    assert pattern_problem(pattern) is None
    assert searcher(pattern)("aab")
    with pytest.raises(PatternTimeout, match=f"longer than {MATCH_SECONDS:g} s"):
        searcher(pattern)("a" * 30 + "!")


@pytest.mark.timeout(10)
@pytest.mark.parametrize(("pattern", "text", "matches"), [
    (r"^\d+$", "\u0663", False),  # ECMA-262: \d is [0-9]; Python's re also takes Arabic-Indic 3
    (r"^\w$", "\u00e9", False),
    ("^abc$", "abc\n", False),  # ECMA-262: $ is the end, not "before a final newline"
    (r"^(a)\1$", "aa", True),  # the fallback engine
    (r"^(a)\1$", "aa\n", False),
    ("^[$]$", "$", True),
    ("é", "xé", True),
])
def test_ecma_262_semantics(pattern: str, text: str, matches: bool) -> None:
    assert searcher(pattern)(text) is matches


@pytest.mark.timeout(60)
@settings(max_examples=30, deadline=None)
@given(data=__import__("hypothesis").strategies.data())
def test_strategies_generate_what_the_matcher_accepts(tmp_path_factory: pytest.TempPathFactory,
                                                      data: object) -> None:
    root = tmp_path_factory.mktemp("c")
    contract(root, {
        "type": "object",
        "required": ["digits", "word", "evil", "tail"],
        "properties": {
            "digits": {"type": "string", "pattern": r"^\d{3}$"},
            "word": {"type": "string", "pattern": r"^\w+$"},
            "evil": {"type": "string", "pattern": EVIL},
            "tail": {"type": "string", "pattern": "^x$"},
        },
        "additionalProperties": False,
    })
    a = Catalog.load(root)["A"]
    message = data.draw(from_contract(a))  # type: ignore[attr-defined]
    assert a.violations(message) == []


@pytest.mark.timeout(10)
def test_lone_surrogate_text_is_matched_without_error(tmp_path: Path) -> None:
    catalog = contract(tmp_path / "c", {"type": "object", "properties": {
        "a": {"type": "string", "pattern": "^x.$"}}})
    code, out, err = validate(catalog, '{"a": "x\\ud800"}')
    assert (code, err) == (0, ""), out
    code, out, err = validate(catalog, '{"a": "y\\ud800"}')
    assert (code, err) == (1, "")
    assert "message.json: /a: expected a string matching '^x.$'" in out
