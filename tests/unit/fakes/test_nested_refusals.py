"""``refused_in``: a refused parameter is found at the top level or by its nested path."""

from __future__ import annotations

from typing import Any

import pytest

from eventproof_fakes.operations import refused_in

REFUSED = frozenset({"Top", "Targets[].EcsParameters", "Config.Rules[].Blocked", "Tags{}.Secret"})


@pytest.mark.parametrize(
    ("params", "found"),
    [
        ({"Top": 1}, "Top"),
        ({"Targets": [{"Id": "a"}, {"Id": "b", "EcsParameters": {}}]}, "Targets[].EcsParameters"),
        ({"Targets": [{"Id": "a"}]}, None),
        ({"Targets": "not a list"}, None),
        ({"Config": {"Rules": [{"Blocked": []}]}}, "Config.Rules[].Blocked"),
        ({"Config": {"Rules": []}}, None),
        ({"Tags": {"k": {"Secret": "x"}}}, "Tags{}.Secret"),
        ({"Tags": {"k": {"Other": "x"}}}, None),
        ({}, None),
    ],
)
def test_a_refused_parameter_is_found_where_it_is(params: dict[str, Any], found: str | None) -> None:
    assert refused_in(params, REFUSED) == found
