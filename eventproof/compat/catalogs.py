"""A whole catalog against an earlier one: changed, added, renamed and deleted contracts."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from eventproof.catalog import Catalog, Contract
from eventproof.compat.compare import (
    ContractComparison,
    Version,
    compare_versions,
    evidence_messages,
    prefetch,
)
from eventproof.compat.expectations import Expectation, ExpectationProblem, check_expectation
from eventproof.compat.modes import Mode

__all__ = ["CatalogReport", "ExpectationRow", "compare_catalogs"]


@dataclass(frozen=True)
class ExpectationRow:
    """One cell of the can-I-deploy matrix: a contract version against one consumer's expectation."""

    contract: str
    version_label: str
    consumer: str
    file: Path
    problems: tuple[ExpectationProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class CatalogReport:
    old_label: str
    new_label: str
    comparisons: list[ContractComparison] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    deleted: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    expectations: list[ExpectationRow] = field(default_factory=list)

    @property
    def compatible(self) -> bool:
        return (all(c.compatible for c in self.comparisons)
                and not any(consumers for _, consumers in self.deleted)
                and all(row.ok for row in self.expectations if row.version_label == self.new_label))


def compare_catalogs(
    old: Catalog | None,
    new: Catalog,
    *,
    old_label: str,
    new_label: str = "working tree",
    mode: Mode | None = None,
    examples: int = 10,
    seed: int = 0,
    history: dict[str, list[Version]] | None = None,
    expectations: Sequence[Expectation] = (),
) -> CatalogReport:
    """Compare every contract of ``new`` with its earlier versions (``old``, then ``history``)."""
    report = CatalogReport(old_label, new_label)
    old_contracts = {c.name: c for c in old} if old is not None else {}
    shared_same = old is not None and _shared_digest(old) == _shared_digest(new)
    renamed_from = _renames(old, new, old_contracts)
    pending: list[tuple[Contract, list[Version]]] = []
    for contract in new:
        previous_name = contract.name if contract.name in old_contracts else renamed_from.get(contract.name)
        if previous_name is None:
            report.added.append(contract.name)
            continue
        if previous_name != contract.name:
            report.renamed.append((previous_name, contract.name))
        before = old_contracts[previous_name]
        earlier = list((history or {}).get(contract.name, []))
        if not earlier and shared_same and _same_schema(before, contract) and not (
            mode and mode.transitive):
            report.unchanged.append(contract.name)
            continue
        pending.append((contract, [*earlier, Version(before, old_label), Version(contract, new_label)]))
    expected = {e.contract for e in expectations}
    consumed = [c for catalog in (old, new) if catalog is not None for c in catalog if c.name in expected]
    prefetch([v.contract for _, versions in pending for v in versions] + consumed, examples, seed)
    for _, versions in pending:
        report.comparisons.append(compare_versions(versions, mode=mode, examples=examples, seed=seed))
    kept = {name for name in old_contracts if name in new or name in renamed_from.values()}
    for name, contract in old_contracts.items():
        if name not in kept:
            report.deleted.append((name, contract.consumers))
    for expectation in expectations:
        for label, catalog in ((old_label, old), (new_label, new)):
            if catalog is None:
                continue
            target = catalog.get(expectation.contract)
            messages = evidence_messages(target, examples, seed)[0] if target is not None else []
            report.expectations.append(ExpectationRow(
                expectation.contract, label, expectation.consumer, expectation.file,
                tuple(check_expectation(expectation, target, messages))))
    return report


def _renames(old: Catalog | None, new: Catalog, old_contracts: dict[str, Contract]) -> dict[str, str]:
    """new name -> old name, for contracts whose file stayed but whose name changed."""
    if old is None:
        return {}
    by_file = {_relative(c, old): c.name for c in old}
    found: dict[str, str] = {}
    for contract in new:
        if contract.name in old_contracts:
            continue
        previous = by_file.get(_relative(contract, new))
        if previous is not None and previous not in {c.name for c in new}:
            found[contract.name] = previous
    return found


def _relative(contract: Contract, catalog: Catalog) -> str:
    try:
        return contract.path.resolve().relative_to(catalog.root.resolve()).as_posix()
    except ValueError:
        return contract.path.name


def _same_schema(a: Contract, b: Contract) -> bool:
    def body(c: Contract) -> str:
        return json.dumps({k: v for k, v in c.schema.items() if k != "x-eventproof"}, sort_keys=True)

    return a.format == b.format and body(a) == body(b) and (
        {k: v for k, v in a.metadata.__dict__.items() if k != "version"}
        == {k: v for k, v in b.metadata.__dict__.items() if k != "version"})


def _shared_digest(catalog: Catalog) -> str:
    """A digest of the schema files that are not contracts (shared definitions)."""
    contract_files = {c.path.resolve() for c in catalog}
    digest = hashlib.sha256()
    for path in sorted(catalog.root.rglob("*")):
        if path.is_file() and path.name.endswith((".schema.json", ".avsc")) and path.resolve() not in contract_files:
            digest.update(path.relative_to(catalog.root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
