"""The intrinsic functions on their own: what each resolves to, and what it refuses."""

from __future__ import annotations

from typing import Any

import pytest

from eventproof_fakes.cloudformation.intrinsics import NO_VALUE, Resolver, Unresolvable, references


def resolver(**overrides: Any) -> Resolver:
    options: dict[str, Any] = {
        "parameters": {"Stage": "prod", "Names": ["a", "b"]},
        "pseudo": {"AWS::Region": "eu-west-1", "AWS::AccountId": "111122223333", "AWS::StackName": "s"},
        "mappings": {"M": {"prod": {"Size": "9"}}},
        "imports": {"shared": "x"},
        "condition_definitions": {"IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}, "Loop": {"Condition": "Loop"}},
        "ref": lambda name: f"ref-of-{name}",
        "get_att": lambda name, attribute: f"{name}.{attribute}",
    }
    options.update(overrides)
    return Resolver(**options)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"Ref": "Stage"}, "prod"),
        ({"Ref": "Q"}, "ref-of-Q"),
        ({"Fn::GetAtt": "Q.Arn"}, "Q.Arn"),
        ({"Fn::Sub": "${AWS::Region}-${Q}-${Q.Arn}-${!Q}"}, "eu-west-1-ref-of-Q-Q.Arn-${Q}"),
        ({"Fn::Sub": ["${a}/${Stage}", {"a": {"Ref": "Q"}}]}, "ref-of-Q/prod"),
        ({"Fn::Join": ["-", {"Ref": "Names"}]}, "a-b"),
        ({"Fn::Select": ["1", {"Fn::Split": [",", "x,y,z"]}]}, "y"),
        ({"Fn::If": ["IsProd", "big", {"Ref": "Missing"}]}, "big"),
        ({"Fn::FindInMap": ["M", {"Ref": "Stage"}, "Size"]}, "9"),
        ({"Fn::FindInMap": ["M", "dev", "Size", {"DefaultValue": "1"}]}, "1"),
        ({"Fn::ImportValue": "shared"}, "x"),
        ({"Fn::Length": [1, 2, 3]}, 3),
        ({"Fn::ToJsonString": {"a": [1]}}, '{"a":[1]}'),
        ({"Fn::And": [{"Condition": "IsProd"}, {"Fn::Not": [{"Fn::Equals": ["a", "b"]}]}]}, True),
        ({"Fn::Equals": [True, "true"]}, True),
    ],
)
def test_an_intrinsic_resolves(value: Any, expected: Any) -> None:
    assert resolver().resolve(value) == expected


def test_no_value_removes_its_key_and_list_item() -> None:
    value = {"A": {"Ref": "AWS::NoValue"}, "B": [1, {"Ref": "AWS::NoValue"}]}
    assert resolver().resolve(value) == {"B": [1]}
    assert resolver().resolve({"Ref": "AWS::NoValue"}) is NO_VALUE


@pytest.mark.parametrize(
    ("value", "what", "template_error"),
    [
        ({"Fn::Cidr": ["10.0.0.0/16", 2, 8]}, "Fn::Cidr", False),
        ({"Fn::If": ["Nope", 1, 2]}, "Condition", True),
        ({"Fn::If": ["Loop", 1, 2]}, "Condition", True),
        ({"Fn::ImportValue": "other"}, "Fn::ImportValue", True),
        ({"Fn::Select": [5, [1]]}, "Fn::Select", True),
        ({"Fn::Sub": "${Names}"}, "Fn::Sub", True),
    ],
)
def test_what_cannot_resolve_says_what_and_whether_the_template_is_wrong(value: Any, what: str, template_error: bool) -> None:
    with pytest.raises(Unresolvable) as raised:
        resolver().resolve(value)
    assert (raised.value.what, raised.value.template_error) == (what, template_error)


def test_references_name_every_resource_a_value_uses() -> None:
    value = {"A": {"Fn::Sub": ["${x}-${Q.Arn}-${!Lit}-${T}", {"x": {"Ref": "R"}}]}, "B": {"Fn::GetAtt": ["S", "Arn"]}}
    assert sorted(references(value)) == ["Q", "R", "S", "T"]
