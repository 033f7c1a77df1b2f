"""Plain-text reports of compatibility checks: verdict, rule, reason, who is affected, evidence."""

from __future__ import annotations

from collections.abc import Iterator

from eventproof.compat.catalogs import CatalogReport
from eventproof.compat.compare import ContractComparison
from eventproof.errors import short_repr

__all__ = ["render_comparison", "render_report"]


def render_comparison(comparison: ContractComparison) -> Iterator[str]:
    verdict = "compatible" if comparison.compatible else "INCOMPATIBLE"
    yield f"{comparison.name}: {verdict} under {comparison.choice.mode.value} ({comparison.choice.reason})"
    for result in comparison.results:
        arrow = f"{result.reader_version} reads {result.writer_version}"
        if result.compatible:
            yield f"  ok      {result.direction.value}: {arrow} ({result.examples_tried} messages tried)"
            if result.note:
                yield f"          note: {result.note}"
            continue
        yield f"  BROKEN  {result.direction.value}: {arrow}: {comparison.affected(result.direction)}"
        for finding in result.findings:
            yield f"    {finding.render()}"
            if finding.witness is not None:
                yield f"      e.g. {short_repr(finding.witness.message, 160)}"
                yield f"      -> {finding.witness.reason}"


def render_report(report: CatalogReport) -> Iterator[str]:
    yield f"contracts: {report.new_label} against {report.old_label}"
    for comparison in report.comparisons:
        yield from render_comparison(comparison)
    for old, new in report.renamed:
        yield f"{new}: renamed from {old} (compared as two versions of one contract)"
    for name in report.added:
        yield f"{name}: added"
    for name, consumers in report.deleted:
        if consumers:
            yield f"{name}: DELETED, and it has consumers ({', '.join(consumers)}): breaking"
        else:
            yield f"{name}: deleted (no consumers listed)"
    if report.expectations:
        yield "can I deploy (contract version x consumer expectation):"
        for row in report.expectations:
            status = "ok" if row.ok else "BROKEN"
            yield f"  {status:<6}  {row.contract} @ {row.version_label} x {row.consumer} ({row.file.name})"
            for problem in row.problems:
                yield f"      {problem.render()}"
    broken = sum(not c.compatible for c in report.comparisons)
    yield (f"{len(report.comparisons)} changed, {len(report.unchanged)} unchanged, {len(report.added)} added, "
           f"{len(report.renamed)} renamed, {len(report.deleted)} deleted; "
           f"{broken} incompatible; verdict: {'compatible' if report.compatible else 'INCOMPATIBLE'}")
