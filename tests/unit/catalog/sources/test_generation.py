"""Contracts read from AsyncAPI documents and registry exports drive the message strategies."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from eventproof.catalog import Catalog, Contract
from eventproof.strategies.contracts import from_contract

HERE = Path(__file__).resolve().parent
SOURCES = sorted([*(HERE / "asyncapi" / "valid").glob("v*.*"), *(HERE / "registry").glob("*.json")])
CONTRACTS = [(path, contract.name) for path in SOURCES for contract in Catalog.load(path)]


@pytest.mark.parametrize(("path", "name"), CONTRACTS, ids=[f"{p.name}:{n}" for p, n in CONTRACTS])
def test_generated_messages_conform_to_the_contract(path: Path, name: str) -> None:
    contract: Contract = Catalog.load(path)[name]

    @settings(max_examples=15, database=None, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(from_contract(contract))
    def conforms(message: object) -> None:
        assert contract.violations(message) == []

    conforms()
