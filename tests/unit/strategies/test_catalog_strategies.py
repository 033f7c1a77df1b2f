"""Over every contract in contracts/: generated messages are valid, mutants are not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventproof.catalog import Catalog
from eventproof.strategies import Mutation, from_contract, invalid_from_contract

CATALOG = Catalog.load(Path(__file__).resolve().parents[3] / "contracts")
NAMES = CATALOG.names()
_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_the_catalog_has_both_formats() -> None:
    assert {CATALOG[name].format for name in NAMES} == {"jsonschema", "avro"}


@pytest.mark.parametrize("name", NAMES)
def test_every_generated_message_is_accepted_by_its_contract(name: str) -> None:
    contract = CATALOG[name]

    @_SETTINGS
    @given(from_contract(name, catalog=CATALOG))
    def check(message: Any) -> None:
        assert contract.violations(message) == [], message
        assert contract.is_valid(message)

    check()


@pytest.mark.parametrize("name", NAMES)
def test_every_mutant_is_rejected_at_the_place_it_was_broken(name: str) -> None:
    contract = CATALOG[name]

    @_SETTINGS
    @given(invalid_from_contract(name, catalog=CATALOG))
    def check(mutation: Mutation) -> None:
        found = contract.violations(mutation.message)
        assert found, mutation.describe()
        assert not contract.is_valid(mutation.message)
        reported = {violation.pointer for violation in found}
        assert any(mutation.pointer == p or mutation.pointer.startswith(p + "/")
                   for p in reported), (mutation.describe(), reported)

    check()


@given(st.data())
@settings(max_examples=5, deadline=None)
def test_mutations_cover_missing_extra_and_wrong_values(data: st.DataObject) -> None:
    kinds = {data.draw(invalid_from_contract("ProcessOrder", catalog=CATALOG)).kind
             for _ in range(40)}
    assert len(kinds) >= 3, kinds
