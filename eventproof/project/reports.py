"""A ``Verification`` as a terminal table, JSON, JUnit XML or Markdown.

The JSON form is versioned (``schema``) and is itself a contract:
``contracts/eventproof/VerificationReport.schema.json``. Add fields in a
minor version; renaming or removing one is a new major version.
"""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from eventproof import __version__
from eventproof.errors import ConfigError
from eventproof.project.verify import CheckResult, Verification

__all__ = ["FORMATS", "SCHEMA_VERSION", "as_json", "as_junit", "as_markdown", "as_text", "git_head",
           "parse_target", "write"]

SCHEMA_VERSION = "1.1.0"  # 1.1: status "skipped", counts.skipped, backend, shard, scenario rows, date, commit
FORMATS = ("json", "junit", "md")
_MARK = {"passed": "passed", "failed": "FAILED", "vacuous": "VACUOUS", "error": "ERROR",
         "skipped": "skipped"}
SCENARIO = "scenario"


def _grid(verification: Verification) -> tuple[list[str], list[str], dict[tuple[str, str], str]]:
    """Handler x check (the scenarios of feature files are listed apart: see ``_scenarios``)."""
    rows = [r for r in verification.results if r.kind != SCENARIO]
    handlers = list(dict.fromkeys(r.handler for r in rows))
    checks = list(dict.fromkeys(r.check for r in rows))
    cells = {(r.handler, r.check): r.status for r in rows}
    return handlers, checks, cells


def _scenarios(verification: Verification) -> list[CheckResult]:
    return [r for r in verification.results if r.kind == SCENARIO]


def _summary(verification: Verification) -> str:
    counts = verification.counts()
    parts = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    verdict = "everything holds" if verification.ok else "NOT everything holds"
    if verification.ok and counts.get("skipped"):
        verdict = f"everything that ran holds ({counts['skipped']} skipped on {verification.backend})"
    shard = f" (shard {verification.shard})" if verification.shard else ""
    return f"{len(verification.results)} checks{shard}: {parts or 'none'} -- {verdict}"


def as_text(verification: Verification) -> str:
    """A table handler x check, then a story per failure."""
    handlers, checks, cells = _grid(verification)
    rows = [["HANDLER", *checks]]
    rows += [[h, *(_MARK.get(cells.get((h, c), ""), "-") for c in checks)] for h in handlers]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in rows] if handlers else []
    scenarios = _scenarios(verification)
    if scenarios:
        lines += ["", "SCENARIOS"] if lines else ["SCENARIOS"]
        lines += [f"{_MARK[r.status]:<8} {r.handler}: {r.check}"
                  + (f" -- {r.summary}" if r.status != "passed" else "") for r in scenarios]
    for result in verification.results:
        if result.status != "passed":  # a skipped check says why, too
            lines += ["", f"{_MARK[result.status]} {result.handler} / {result.check}: {result.summary}",
                      *(f"  {line}" for line in result.story.splitlines())]
        lines += [f"note: {result.handler} / {result.check}: {n}" for n in result.notes]
    lines += ["", _summary(verification)]
    return "\n".join(lines)


def as_json(verification: Verification) -> dict[str, Any]:
    """The report as the VerificationReport contract describes it."""
    report: dict[str, Any] = {
        "schema": f"eventproof.verification-report/{SCHEMA_VERSION}",
        "eventproof": __version__,
        "project": verification.project,
        "seed": verification.seed,
        "examples": verification.examples,
        "backend": verification.backend,
        "ok": verification.ok,
        "counts": verification.counts(),
        "results": [
            {"handler": r.handler, "check": r.check, "status": r.status, "seconds": r.seconds,
             "summary": r.summary, "story": r.story, "notes": list(r.notes), "kind": r.kind,
             **({"step": r.step} if r.step is not None else {})}
            for r in verification.results
        ],
    }
    if verification.shard:
        report["shard"] = verification.shard
    finished = verification.finished or datetime.now(UTC)
    report["date"] = finished.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    commit = git_head(Path(verification.project).parent)
    if commit:
        report["commit"] = commit
    return report


def git_head(folder: Path) -> str | None:
    """The full sha of the git HEAD ``folder`` is checked out at; None outside a repository,
    without git, or before the first commit (a report says nothing rather than fail)."""
    try:
        done = subprocess.run(["git", "rev-parse", "--verify", "--quiet", "HEAD"], cwd=folder,
                              capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):  # no git, no such folder, a hung filesystem
        return None
    sha = done.stdout.strip()
    return sha if done.returncode == 0 and sha else None


def as_junit(verification: Verification) -> str:
    """One testsuite per handler, one testcase per check (vacuous counts as a failure, skipped is skipped)."""
    suites = ET.Element("testsuites", name="eventproof verify")
    for handler in dict.fromkeys(r.handler for r in verification.results):
        mine = [r for r in verification.results if r.handler == handler]
        suite = ET.SubElement(
            suites, "testsuite", name=handler, tests=str(len(mine)),
            failures=str(sum(r.status in ("failed", "vacuous") for r in mine)),
            errors=str(sum(r.status == "error" for r in mine)),
            skipped=str(sum(r.status == "skipped" for r in mine)),
            time=f"{sum(r.seconds for r in mine):.3f}")
        for result in mine:
            case = ET.SubElement(suite, "testcase", classname=f"eventproof.{handler}",
                                 name=result.check, time=f"{result.seconds:.3f}")
            if result.status in ("failed", "vacuous"):
                ET.SubElement(case, "failure", message=f"{result.status}: {result.summary}",
                              type=result.status).text = result.story
            elif result.status == "error":
                ET.SubElement(case, "error", message=result.summary).text = result.story
            elif result.status == "skipped":
                reason = result.story.splitlines()[0][:300] if result.story else result.summary
                ET.SubElement(case, "skipped", message=reason)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def as_markdown(verification: Verification) -> str:
    """For a CI job summary: the table, then the failures in collapsible blocks."""
    handlers, checks, cells = _grid(verification)
    icon = {"passed": "✅ passed", "failed": "❌ failed", "vacuous": "⚠️ vacuous", "error": "💥 error",
            "skipped": "⏭️ skipped"}
    lines = ["## eventproof verify", ""]
    if handlers:
        lines += [f"| handler | {' | '.join(checks)} |", "|---" * (len(checks) + 1) + "|"]
        lines += [f"| `{h}` | " + " | ".join(icon.get(cells.get((h, c), ""), "-") for c in checks)
                  + " |" for h in handlers]
    scenarios = _scenarios(verification)
    if scenarios:
        lines += ["", "| feature | scenario | verdict |", "|---|---|---|"]
        lines += [f"| `{r.handler}` | {r.check} | {icon[r.status]}"
                  + (f" {r.summary}" if r.status != "passed" else "") + " |" for r in scenarios]
    for result in verification.results:
        if result.status != "passed":  # a skipped check says why, too
            lines += ["", f"<details><summary>{result.handler} / {result.check}: "
                      f"{result.status}</summary>", "", "```", result.story, "```", "", "</details>"]
    lines += ["", _summary(verification), ""]
    return "\n".join(lines)


def parse_target(text: str) -> tuple[str, Path]:
    """``json:PATH`` -> ("json", PATH); a usage error otherwise."""
    kind, sep, path = text.partition(":")
    if not sep or kind not in FORMATS or not path:
        raise ConfigError(f"--report {text}: expected FORMAT:PATH with FORMAT one of "
                          f"{', '.join(FORMATS)}")
    return kind, Path(path)


def write(verification: Verification, kind: str, path: Path) -> None:
    text = {"json": lambda: json.dumps(as_json(verification), indent=2) + "\n",
            "junit": lambda: as_junit(verification),
            "md": lambda: as_markdown(verification)}[kind]()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"--report {kind}:{path}: cannot write: {error}") from None
