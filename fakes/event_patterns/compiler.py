"""From a pattern's JSON to branches: each a map of dotted field path -> ``FieldTest``.

Like event-ruler, nested objects become dotted paths (``{"a": {"b": [..]}}``
and ``{"a.b": [..]}`` are the same field), and ``$or`` forks the branches
built so far, one fork per alternative. A duplicated key keeps its last
value, as Jackson does.
"""

from __future__ import annotations

import json
from typing import Any

from eventproof_fakes.event_patterns.errors import PatternProblem
from eventproof_fakes.event_patterns.operators import FieldTest, build_field_test

Branch = dict[str, FieldTest]

OR_KEYWORD = "$or"
# https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html
SNS_MAX_KEYS = 5
SNS_MAX_COMBINATIONS = 150


def parse_pattern_text(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise PatternProblem(f"{error.msg} at line {error.lineno}, column {error.colno}") from None


def compile_branches(pattern: Any, dialect: str) -> list[Branch]:
    if not isinstance(pattern, dict):
        raise PatternProblem("Filter is not an object")
    branches: list[Branch] = []
    _parse_object(pattern, "", branches, dialect, inside_or=False)
    if dialect == "sns":
        _check_sns_limits(pattern, branches)
    return branches


def _parse_object(
    obj: dict[str, Any], path: str, branches: list[Branch], dialect: str, *, inside_or: bool
) -> None:
    if not obj:
        raise PatternProblem("Empty objects are not allowed")
    for name, value in obj.items():
        if name == OR_KEYWORD:
            _parse_or(value, path, branches, dialect)
            continue
        field_path = f"{path}.{name}" if path else name
        if isinstance(value, dict):
            _parse_object(value, field_path, branches, dialect, inside_or=inside_or)
        elif isinstance(value, list):
            test = build_field_test(name, value, dialect)
            if not branches:
                branches.append({})
            for branch in branches:
                branch[field_path] = test
        else:
            raise PatternProblem(f'"{name}" must be an object or an array')


def _parse_or(alternatives: Any, path: str, branches: list[Branch], dialect: str) -> None:
    if not isinstance(alternatives, list):
        raise PatternProblem(f"It must be an Array followed with {OR_KEYWORD}.")
    before = [dict(branch) for branch in branches]
    branches.clear()
    for alternative in alternatives:
        if not isinstance(alternative, dict):
            raise PatternProblem(
                f"Only JSON object is allowed in array of {OR_KEYWORD} relationship."
            )
        forked = [dict(branch) for branch in before] or [{}]
        _parse_object(alternative, path, forked, dialect, inside_or=True)
        branches.extend(forked)
    if len(alternatives) < 2:
        raise PatternProblem(f"There must have at least 2 Objects in {OR_KEYWORD} relationship.")


def _check_sns_limits(pattern: dict[str, Any], branches: list[Branch]) -> None:
    """SNS: at most 5 keys per policy branch and 150 value combinations in all."""
    if any(len(branch) > SNS_MAX_KEYS for branch in branches):
        raise PatternProblem(f"Filter policy can not have more than {SNS_MAX_KEYS} keys")
    combinations = 0
    for branch in branches:
        product = 1
        for test in branch.values():
            product *= max(1, _alternatives(test))
        combinations += product
    if combinations > SNS_MAX_COMBINATIONS:
        raise PatternProblem("Filter policy is too complex")


def _alternatives(test: FieldTest) -> int:
    return (
        len(test.strings)
        + len(test.numbers)
        + len(test.literals)
        + len(test.predicates)
        + int(test.any_value)
        + int(test.absent_ok)
    )
