"""``--shard K/N``: one CI machine's share of the work, balanced by recorded durations.

As pytest-split does it: ``--store-durations`` records how long each unit of
work took (``.eventproof/durations.json``, a flat ``{"id": seconds}``,
merged with what is there, so the shards of one CI run can each add theirs);
``--shard K/N`` then deals the units, longest first, to the shard with the
least total so far (a unit never recorded counts as the average of those
that were), keeping the plan's order inside each shard. Without a durations
file the units are dealt round-robin in the plan's order. Every unit lands in
exactly one shard, so the N shards together run exactly the checks one run does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from eventproof.errors import ConfigError

__all__ = ["DURATIONS_FILE", "Shard", "load_durations", "parse_shard", "split", "store_durations"]

DURATIONS_FILE = Path(".eventproof") / "durations.json"
_SHARD = re.compile(r"(\d+)/(\d+)")

T = TypeVar("T")


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based, as written on the command line
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    match = _SHARD.fullmatch(text.strip())
    if match is None:
        raise ConfigError(f"--shard {text}: expected K/N, e.g. 1/4")
    index, count = int(match.group(1)), int(match.group(2))
    if count < 1 or not 1 <= index <= count:
        raise ConfigError(f"--shard {text}: K must be between 1 and N (N >= 1)")
    return Shard(index, count)


def load_durations(path: Path) -> dict[str, float]:
    """The recorded durations, or none when the file does not exist."""
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ConfigError(f"cannot read the durations file: {error}", file=path,
                          hint="delete it and record again with --store-durations") from None
    if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, int | float) and not isinstance(v, bool) and v >= 0
            for k, v in data.items()):
        raise ConfigError("the durations file is not a JSON object of id -> seconds", file=path,
                          hint="delete it and record again with --store-durations")
    return {k: float(v) for k, v in data.items()}


def store_durations(path: Path, measured: dict[str, float]) -> None:
    """Merge ``measured`` into the file (other shards' entries are kept)."""
    merged = {**load_durations(path), **{k: round(v, 3) for k, v in measured.items()}}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(dict(sorted(merged.items())), indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot write the durations file: {error}", file=path) from None


def split(units: Sequence[T], ids: Sequence[str], shard: Shard,
          durations: dict[str, float]) -> list[T]:
    """The units of ``shard`` (``ids[i]`` names ``units[i]``), in their original order."""
    if len(units) != len(ids):
        raise ValueError("one id per unit")
    known = [durations[i] for i in ids if i in durations]
    if not known:
        return [u for n, u in enumerate(units) if n % shard.count == shard.index - 1]
    average = sum(known) / len(known)
    cost = [durations.get(i, average) for i in ids]
    totals = [0.0] * shard.count
    mine: set[int] = set()
    # Longest first, each to the least loaded shard (ties: the lower shard, the earlier unit).
    for n in sorted(range(len(units)), key=lambda n: (-cost[n], n)):
        target = min(range(shard.count), key=lambda s: (totals[s], s))
        totals[target] += cost[n]
        if target == shard.index - 1:
            mine.add(n)
    return [u for n, u in enumerate(units) if n in mine]
