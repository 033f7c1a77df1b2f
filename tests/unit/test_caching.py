"""The engine's module-level caches stay bounded."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventproof.caching import BoundedCache
from eventproof.catalog import Catalog
from eventproof.strategies import contracts as strategy_contracts
from eventproof.strategies import from_contract

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"


def test_a_bounded_cache_forgets_the_least_recently_used_entry() -> None:
    cache: BoundedCache[str, int] = BoundedCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "b" is now the least recently used
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
    assert len(cache) == 2


def test_a_cache_needs_room_for_one_entry() -> None:
    with pytest.raises(ValueError, match="maxsize"):
        BoundedCache(0)


def test_the_strategy_cache_reuses_a_strategy_and_stays_within_its_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(strategy_contracts, "_cache", BoundedCache(2))
    catalogs = [Catalog.load(CONTRACTS) for _ in range(2)]
    name = catalogs[0].names()[0]
    first = from_contract(catalogs[0][name])
    assert from_contract(catalogs[0][name]) is first
    from_contract(catalogs[1][name])
    from_contract(catalogs[0][name], max_recursion=1)
    assert len(strategy_contracts._cache) == 2
    assert from_contract(catalogs[0][name]) is not first  # evicted, compiled again
