"""The site model: what the pages show, read from the project before anything is rendered."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from eventproof.docs.features import Feature
from eventproof.docs.fields import FieldRow
from eventproof.docs.history import Change, History
from eventproof.docs.results import NOT_RUN, CheckOutcome, Run
from eventproof.docs.scenarios import ScenarioResult
from eventproof.docs.system import SystemMap

if TYPE_CHECKING:
    from eventproof.catalog import Contract

__all__ = ["ContractPage", "FeaturePage", "HandlerPage", "Participant", "Site", "Slugs"]


class Slugs:
    """File names for page names: safe characters, unique within one kind of page."""

    def __init__(self) -> None:
        self._taken: dict[str, set[str]] = {}
        self._given: dict[tuple[str, str], str] = {}

    def __call__(self, kind: str, name: str) -> str:
        key = (kind, name)
        if key not in self._given:
            base = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")[:80] or "page"
            taken = self._taken.setdefault(kind, set())
            slug, n = base, 2
            while slug.lower() in taken:  # case-insensitive file systems
                slug, n = f"{base}-{n}", n + 1
            taken.add(slug.lower())
            self._given[key] = slug
        return self._given[key]


@dataclass
class Participant:
    """A producer or consumer named on a contract page, with its last result."""

    name: str
    href: str
    status: str


@dataclass
class ContractPage:
    contract: Contract
    slug: str
    fields: list[FieldRow]
    schema_file: str  # the schema copied into the site, relative to the site root
    relative: str  # the schema's path in the contracts folder
    producers: list[Participant]
    consumers: list[Participant]
    examples_status: str  # the last run's catalog check
    history: list[Change]
    history_note: str = ""

    @property
    def href(self) -> str:
        return f"contracts/{self.slug}.html"

    @property
    def status(self) -> str:
        statuses = [self.examples_status, *(p.status for p in self.producers + self.consumers)]
        ran = [s for s in statuses if s != NOT_RUN]
        if not ran:
            return NOT_RUN
        return next((s for s in ran if s != "passed"), "passed")


@dataclass
class HandlerPage:
    name: str
    slug: str
    kind: str  # "function" (in the template or configured) or "component" (named by contracts only)
    configured: bool
    trigger: list[str]
    via: str
    consumes: list[str]
    emits: list[str]
    promises: list[str]
    outcomes: list[CheckOutcome]
    wiring: list[str] = field(default_factory=list)  # what the template built for it

    @property
    def href(self) -> str:
        return f"handlers/{self.slug}.html"

    @property
    def status(self) -> str:
        if not self.outcomes:
            return NOT_RUN
        return next((o.status for o in self.outcomes if o.status != "passed"), "passed")


@dataclass
class FeaturePage:
    feature: Feature
    slug: str
    scenario_results: dict[int, ScenarioResult]  # scenario line -> its last result
    file_result: ScenarioResult | None = None  # the whole file's, when verify could not run it

    @property
    def href(self) -> str:
        return f"features/{self.slug}.html"

    @property
    def status(self) -> str:
        """failed (or error) if any scenario was; passed if every one that ran passed."""
        results = [*self.scenario_results.values(), *([self.file_result] if self.file_result else [])]
        ran = [r.status for r in results if r.status != NOT_RUN]
        if not ran:
            return NOT_RUN
        return next((s for s in ran if s in ("failed", "error")), "passed" if "passed" in ran else ran[0])


@dataclass
class Site:
    title: str
    origin: str  # what the site was built from (configuration file or folders)
    run: Run
    contracts: list[ContractPage]
    handlers: list[HandlerPage]
    features: list[FeaturePage]
    system: SystemMap
    history: History
    sources: dict[str, Path] = field(default_factory=dict)  # schema file in the site -> original

    def contract(self, name: str) -> ContractPage | None:
        return next((c for c in self.contracts if c.contract.name == name), None)

    def handler(self, name: str) -> HandlerPage | None:
        return next((h for h in self.handlers if h.name == name), None)

    def kinds(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for page in self.contracts:
            counts[page.contract.kind] = counts.get(page.contract.kind, 0) + 1
        return dict(sorted(counts.items()))

    def scenario_count(self) -> int:
        return sum(len(f.feature.scenarios) for f in self.features)
