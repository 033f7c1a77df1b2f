"""A ``Verification`` as a terminal table, JSON, JUnit XML or Markdown.

The JSON form is versioned (``schema``) and is itself a contract:
``contracts/eventproof/VerificationReport.schema.json``. Add fields in a
minor version; renaming or removing one is a new major version.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from eventproof import __version__
from eventproof.errors import ConfigError
from eventproof.project.verify import Verification

__all__ = ["FORMATS", "SCHEMA_VERSION", "as_json", "as_junit", "as_markdown", "as_text", "parse_target",
           "write"]

SCHEMA_VERSION = "1.1.0"  # 1.1: status "skipped", counts.skipped, "backend"
FORMATS = ("json", "junit", "md")
_MARK = {"passed": "passed", "failed": "FAILED", "vacuous": "VACUOUS", "error": "ERROR",
         "skipped": "skipped"}


def _grid(verification: Verification) -> tuple[list[str], list[str], dict[tuple[str, str], str]]:
    handlers = list(dict.fromkeys(r.handler for r in verification.results))
    checks = list(dict.fromkeys(r.check for r in verification.results))
    cells = {(r.handler, r.check): r.status for r in verification.results}
    return handlers, checks, cells


def _summary(verification: Verification) -> str:
    counts = verification.counts()
    parts = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    verdict = "everything holds" if verification.ok else "NOT everything holds"
    if verification.ok and counts.get("skipped"):
        verdict = f"everything that ran holds ({counts['skipped']} skipped on {verification.backend})"
    return f"{len(verification.results)} checks: {parts or 'none'} -- {verdict}"


def as_text(verification: Verification) -> str:
    """A table handler x check, then a story per failure."""
    handlers, checks, cells = _grid(verification)
    rows = [["HANDLER", *checks]]
    rows += [[h, *(_MARK.get(cells.get((h, c), ""), "-") for c in checks)] for h in handlers]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in rows]
    for result in verification.results:
        if not result.holds:
            lines += ["", f"{_MARK[result.status]} {result.handler} / {result.check}: {result.summary}",
                      *(f"  {line}" for line in result.story.splitlines())]
        lines += [f"note: {result.handler} / {result.check}: {n}" for n in result.notes]
    lines += ["", _summary(verification)]
    return "\n".join(lines)


def as_json(verification: Verification) -> dict[str, Any]:
    """The report as the VerificationReport contract describes it."""
    return {
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
             "summary": r.summary, "story": r.story, "notes": list(r.notes)}
            for r in verification.results
        ],
    }


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
                ET.SubElement(case, "skipped", message=result.story.splitlines()[0][:300])
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def as_markdown(verification: Verification) -> str:
    """For a CI job summary: the table, then the failures in collapsible blocks."""
    handlers, checks, cells = _grid(verification)
    icon = {"passed": "✅ passed", "failed": "❌ failed", "vacuous": "⚠️ vacuous", "error": "💥 error",
            "skipped": "⏭️ skipped"}
    lines = ["## eventproof verify", "", f"| handler | {' | '.join(checks)} |",
             "|---" * (len(checks) + 1) + "|"]
    lines += [f"| `{h}` | " + " | ".join(icon.get(cells.get((h, c), ""), "-") for c in checks) + " |"
              for h in handlers]
    for result in verification.results:
        if not result.holds:
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
