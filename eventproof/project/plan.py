"""What one ``eventproof verify`` run does, as a list of units of work in a stable order.

The order is the report's: the catalog row, the compat step, then per
handler its catalog check, promises, ``emits`` and consumer expectations,
then consumers' expectations with no configured handler, then each feature
file. Shards and parallel workers split this list; nothing else decides what
runs, so ``-n`` and ``--shard`` cannot change which checks a run has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventproof.project.consumers import COMPAT_CHECK, EXPECTATIONS_CHECK, expectations_by_consumer
from eventproof.project.features import feature_files
from eventproof.project.parallel import Job

if TYPE_CHECKING:
    from eventproof.project.config import HandlerConfig
    from eventproof.project.resolve import Project

__all__ = ["plan"]


def plan(project: Project, handlers: list[HandlerConfig], *, only: str | None,
         against: str | None, catalog_check: str, emits_check: str, all_contracts: str) -> list[Job]:
    jobs: list[Job] = []
    if only is None:
        jobs.append(Job(f"{all_contracts}::{catalog_check}", "catalog", all_contracts, catalog_check))
    if against is not None:
        jobs.append(Job(f"{all_contracts}::{COMPAT_CHECK}", "compat", all_contracts, COMPAT_CHECK,
                        path=against))
    consumers = expectations_by_consumer(project)
    for handler in handlers:
        for check in (catalog_check, *handler.promises, emits_check):
            jobs.append(Job(f"{handler.name}::{check}", "check", handler.name, check))
        if handler.name in consumers:
            jobs.append(_expectations(handler.name))
    configured = set(project.config.handlers)
    jobs += [_expectations(consumer) for consumer in consumers
             if consumer not in configured and only in (None, consumer)]
    if only is None:
        for feature in feature_files(project):
            label = feature.relative_to(project.config.root).as_posix() if feature.is_relative_to(
                project.config.root) else feature.as_posix()
            jobs.append(Job(label, "feature", label, "", path=str(feature)))
    return jobs


def _expectations(consumer: str) -> Job:
    return Job(f"{consumer}::{EXPECTATIONS_CHECK}", "expectations", consumer, EXPECTATIONS_CHECK)
