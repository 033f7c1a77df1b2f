"""Cases of our own, from AWS's documentation of the pattern language.

https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
"""

from __future__ import annotations

from typing import Any

import pytest

from eventproof_fakes.event_patterns import InvalidPatternError, compile_pattern


def matches(
    pattern: dict[str, Any] | str, event: dict[str, Any], dialect: str = "eventbridge"
) -> bool:
    return compile_pattern(pattern, dialect=dialect).matches(event)


ORDERS = {"detail": {"items": [{"sku": "a", "qty": 1}, {"sku": "b", "qty": 5}]}}


def test_objects_inside_arrays_keep_array_consistency() -> None:
    assert matches({"detail": {"items": {"sku": ["b"], "qty": [5]}}}, ORDERS)
    assert not matches({"detail": {"items": {"sku": ["a"], "qty": [5]}}}, ORDERS)


def test_any_element_of_an_event_array_can_match() -> None:
    assert matches({"detail": {"tags": ["blue"]}}, {"detail": {"tags": ["red", "blue"]}})
    assert not matches({"detail": {"tags": ["green"]}}, {"detail": {"tags": ["red", "blue"]}})


@pytest.mark.parametrize(
    ("pattern_value", "event_value", "expected"),
    [
        (True, 1, False),
        (1, True, False),
        ("1", 1, False),
        (1, "1", False),
        (3, 3.0, True),
        (None, "", False),
        ("", None, False),
        (None, None, True),
        (False, 0, False),
    ],
)
def test_json_types_are_kept_apart(pattern_value: Any, event_value: Any, expected: bool) -> None:
    assert matches({"v": [pattern_value]}, {"v": event_value}) is expected


def test_numeric_ranges_compare_numbers_only() -> None:
    pattern = {"n": [{"numeric": [">=", 10, "<", 20]}]}
    assert matches(pattern, {"n": 10}) and matches(pattern, {"n": 19.5})
    assert not matches(pattern, {"n": 20}) and not matches(pattern, {"n": "15"})
    assert not matches(pattern, {"n": True})


def test_exists_false_on_a_missing_field_and_on_an_empty_array() -> None:
    pattern = {"detail": {"error": [{"exists": False}]}}
    assert matches(pattern, {"detail": {}})
    assert matches(pattern, {"detail": {"error": []}})
    assert not matches(pattern, {"detail": {"error": "boom"}})


def test_exists_does_not_match_an_object_only_its_leaves() -> None:
    event = {"detail": {"error": {"code": 1}}}
    assert not matches({"detail": {"error": [{"exists": True}]}}, event)
    assert matches({"detail": {"error": {"code": [{"exists": True}]}}}, event)


def test_anything_but_never_matches_a_missing_field() -> None:
    assert not matches({"state": [{"anything-but": "x"}]}, {})
    assert matches({"state": [{"anything-but": "x"}]}, {"state": None})


def test_cidr_matches_addresses_inside_the_block_only() -> None:
    pattern = {"ip": [{"cidr": "10.0.0.0/8"}]}
    assert matches(pattern, {"ip": "10.200.3.4"})
    assert not matches(pattern, {"ip": "11.0.0.1"})
    assert not matches(pattern, {"ip": "::1"})


def test_an_exact_ip_matches_another_spelling_of_the_same_address() -> None:
    assert matches({"ip": ["2001:db8::1"]}, {"ip": "2001:0db8:0000:0000:0000:0000:0000:0001"})


def test_wildcard_escapes_a_literal_star() -> None:
    assert matches({"f": [{"wildcard": "a\\*b*"}]}, {"f": "a*bc"})
    assert not matches({"f": [{"wildcard": "a\\*b*"}]}, {"f": "axbc"})


def test_or_at_the_top_combines_with_sibling_fields() -> None:
    pattern = {"source": ["shop"], "$or": [{"detail": {"a": [1]}}, {"detail": {"b": [2]}}]}
    assert matches(pattern, {"source": "shop", "detail": {"b": 2}})
    assert not matches(pattern, {"source": "other", "detail": {"b": 2}})
    assert not matches(pattern, {"source": "shop", "detail": {"c": 3}})


def test_pattern_text_is_accepted() -> None:
    assert matches('{"source": ["shop"]}', {"source": "shop"})


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("not json", None),
        ([], "Filter is not an object"),
        ({}, "Empty objects are not allowed"),
        ({"a": [{"prefix": "x", "suffix": "y"}]}, "Only one key allowed in match expression"),
        ({"a": [{"numeric": [">", 5, "<", 1]}]}, "Bottom must be less than top"),
        ({"a": [{"numeric": ["<", 5, ">", 1]}]}, "Too many elements in numeric expression"),
        ({"a": [{"numeric": ["~", 5]}]}, "Unrecognized numeric range operator: ~"),
        ({"a": [{"exists": "yes"}]}, "exists match pattern must be either true or false."),
        ({"a": [[1]]}, "Match value must be String, number, true, false, or null"),
        ({"$or": [{"a": ["x"]}]}, "There must have at least 2 Objects in $or relationship."),
        (
            {"a": [{"anything-but": [1, "x"]}]},
            "Inside anything but list, either all values are number or string, mixed type is not supported",
        ),
        ({"a": [{"cidr": "10.0.0.0/33"}]}, "Malformed CIDR, mask bits must be between 0 and 32"),
    ],
)
def test_invalid_patterns_name_the_reason(pattern: Any, reason: str | None) -> None:
    with pytest.raises(InvalidPatternError) as raised:
        compile_pattern(pattern)
    assert raised.value.message.startswith("Event pattern is not valid. Reason: ")
    if reason is not None:
        assert raised.value.reason == reason


class TestSnsDialect:
    def test_messages_carry_the_filter_policy_prefix(self) -> None:
        with pytest.raises(InvalidPatternError) as raised:
            compile_pattern({"a": [{"numeric": [">", 0, ">", 0]}]}, dialect="sns")
        assert raised.value.message == "FilterPolicy: Bad numeric range operator: >"

    def test_wildcard_is_not_an_sns_operator(self) -> None:
        with pytest.raises(InvalidPatternError, match="Unrecognized match type wildcard"):
            compile_pattern({"a": [{"wildcard": "x*"}]}, dialect="sns")

    def test_anything_but_suffix_is_not_supported(self) -> None:
        with pytest.raises(InvalidPatternError, match="Unsupported anything-but pattern: suffix"):
            compile_pattern({"a": [{"anything-but": {"suffix": "x"}}]}, dialect="sns")

    def test_more_than_five_keys_is_rejected(self) -> None:
        policy = {f"k{i}": ["v"] for i in range(6)}
        with pytest.raises(InvalidPatternError, match="can not have more than 5 keys"):
            compile_pattern(policy, dialect="sns")

    def test_more_than_150_combinations_is_too_complex(self) -> None:
        policy = {"a": [str(i) for i in range(10)], "b": [str(i) for i in range(16)]}
        with pytest.raises(InvalidPatternError, match="Filter policy is too complex"):
            compile_pattern(policy, dialect="sns")

    def test_a_policy_matches_attributes(self) -> None:
        policy = {"store": ["example_corp"], "price_usd": [{"numeric": [">=", 100]}]}
        assert matches(policy, {"store": "example_corp", "price_usd": 120}, dialect="sns")
        assert not matches(policy, {"store": "example_corp", "price_usd": 99}, dialect="sns")

    def test_an_unknown_dialect_is_a_programming_error(self) -> None:
        with pytest.raises(ValueError, match="unknown pattern dialect"):
            compile_pattern({"a": ["x"]}, dialect="pipes")
