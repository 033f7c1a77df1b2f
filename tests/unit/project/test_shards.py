"""``--shard K/N``: every unit in exactly one shard, balanced by recorded durations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventproof.errors import ConfigError
from eventproof.project.shards import Shard, load_durations, parse_shard, split, store_durations

IDS = [f"unit-{n}" for n in range(7)]


def test_without_durations_units_are_dealt_round_robin_in_order() -> None:
    assert split(IDS, IDS, Shard(1, 3), {}) == ["unit-0", "unit-3", "unit-6"]
    assert split(IDS, IDS, Shard(3, 3), {}) == ["unit-2", "unit-5"]


def test_with_durations_the_longest_go_first_to_the_least_loaded_shard() -> None:
    durations = {"unit-0": 10.0, "unit-1": 1.0, "unit-2": 1.0, "unit-3": 6.0, "unit-4": 4.0,
                 "unit-5": 1.0}  # unit-6 never recorded: it counts as the average (3.83)
    first, second = (split(IDS, IDS, Shard(k, 2), durations) for k in (1, 2))
    assert sorted(first + second) == sorted(IDS) and not set(first) & set(second)
    # 10, 6, 4, 3.83 (the average), then the ones: each to the lighter shard, the first on a tie.
    assert first == ["unit-0", "unit-6"]  # 13.83
    assert second == ["unit-1", "unit-2", "unit-3", "unit-4", "unit-5"]  # 13, kept in plan order


@pytest.mark.parametrize("count", [1, 2, 3, 5, 9])
def test_the_shards_together_hold_every_unit_once(count: int) -> None:
    durations = {i: float(len(i) * n % 7) for n, i in enumerate(IDS)}
    dealt = [u for k in range(1, count + 1) for u in split(IDS, IDS, Shard(k, count), durations)]
    assert sorted(dealt) == sorted(IDS)


@pytest.mark.parametrize(("text", "message"), [("0/2", "between 1 and N"), ("3/2", "between 1 and N"),
                                               ("1-2", "expected K/N"), ("1/0", "between 1 and N")])
def test_a_bad_shard_is_a_usage_error(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_shard(text)


def test_durations_are_merged_so_each_shard_adds_its_own(tmp_path: Path) -> None:
    path = tmp_path / ".eventproof" / "durations.json"
    store_durations(path, {"a": 1.23456, "b": 2.0})
    store_durations(path, {"b": 3.0, "c": 0.5})
    assert json.loads(path.read_text()) == {"a": 1.235, "b": 3.0, "c": 0.5}
    assert load_durations(path) == {"a": 1.235, "b": 3.0, "c": 0.5}
    assert load_durations(tmp_path / "missing.json") == {}


def test_a_durations_file_that_is_not_json_names_itself(tmp_path: Path) -> None:
    path = tmp_path / "durations.json"
    path.write_text("{not json")
    with pytest.raises(ConfigError, match="cannot read the durations file") as raised:
        load_durations(path)
    assert raised.value.file == str(path)
