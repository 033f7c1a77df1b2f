"""Helpers of the documentation site tests: building, a hostile project, a link crawler."""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from eventproof.cli.app import run

REPOSITORY = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# The reference implementation's patterns that have an eventproof.toml (their own template each).
REFERENCE_PATTERNS = ("async_controller", "command_bus", "command_dispatch", "outbox")
XSS_SCRIPT = "<script>window.__xss = 1</script>"
XSS_ATTRIBUTE = '"><img src=x onerror="window.__xss = 2">'


def build(*argv: str) -> str:
    """``eventproof docs build ARGV``, which must succeed; its output."""
    out, err = io.StringIO(), io.StringIO()
    code = run(["docs", "build", *argv], stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    return out.getvalue()


def write_hostile_project(root: Path) -> Path:
    """A project whose every value (contract, example, feature, report) tries to inject markup."""
    contracts = root / "contracts"
    contracts.mkdir(parents=True)
    (contracts / "Evil.schema.json").write_text(json.dumps({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Evil",
        "description": XSS_SCRIPT,
        "x-eventproof": {"name": "Evil", "kind": "event", "version": "1.0.0",
                         "summary": f"summary {XSS_ATTRIBUTE}", "producers": [XSS_SCRIPT],
                         "consumers": ["EvilHandler"]},
        "type": "object", "required": ["note"],
        "properties": {"note": {"type": "string", "description": XSS_ATTRIBUTE,
                                "enum": [XSS_SCRIPT, "fine"]}},
    }))
    (contracts / "Evil.examples.yaml").write_text(
        "valid:\n  - name: 'a note <script>window.__xss = 3</script>'\n"
        f"    message: {{note: {json.dumps(XSS_SCRIPT)}}}\n"
        "invalid:\n  - name: 'no note'\n    message: {}\n    violation: ''\n")
    features = root / "features"
    features.mkdir()
    (features / "evil.feature").write_text(
        f"Feature: Evil {XSS_SCRIPT}\n  A narrative {XSS_ATTRIBUTE}\n\n"
        '    flowchart LR\n      a["<img src=x onerror=window.__xss=4>"] --> b\n\n'
        f"  Scenario: Evil scenario {XSS_ATTRIBUTE}\n    Given a step {XSS_SCRIPT}\n"
        '      """\n      <script>window.__xss = 5</script>\n      """\n')
    report = root / "report.json"
    report.write_text(json.dumps({
        "schema": "eventproof.verification-report/1.0.0", "eventproof": "0.1.0", "project": str(root),
        "seed": 0, "examples": 5, "ok": False,
        "counts": {"passed": 0, "failed": 1, "vacuous": 0, "error": 0},
        "results": [{"handler": "EvilHandler", "check": "idempotent", "status": "failed", "seconds": 0.5,
                     "summary": XSS_ATTRIBUTE, "story": f"delivered twice:\n{XSS_SCRIPT}",
                     "notes": [XSS_SCRIPT]}]}))
    return root



class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        for key in ("href", "src", "action"):
            value = found.get(key)
            if value and not (tag == "link" and value.startswith("data:")):
                self.links.append(value)


def crawl(site: Path) -> tuple[set[Path], list[str]]:
    """Every page reachable from index.html, and every internal link that does not resolve.

    A link resolves when its file exists and, with a fragment, the page holds that id.
    Links to other sites are themselves failures: the site must work offline.
    """
    seen: set[Path] = set()
    broken: list[str] = []
    ids: dict[Path, set[str]] = {}
    pending = [(site / "index.html").resolve()]
    fragments: list[tuple[Path, Path, str]] = []
    while pending:
        page = pending.pop()
        if page in seen:
            continue
        seen.add(page)
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        ids[page] = parser.ids
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                broken.append(f"{page.relative_to(site)}: external link {link}")
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {link} -> no such file")
                continue
            if target.suffix == ".html":
                pending.append(target)
            if parts.fragment:
                fragments.append((page, target, parts.fragment))
    for page, target, fragment in fragments:
        if fragment not in ids.get(target, set()):
            broken.append(f"{page.relative_to(site)}: #{fragment} not in {target.relative_to(site)}")
    return seen, broken


def search_index(site: Path) -> list[dict[str, str]]:
    text = (site / "search-index.js").read_text(encoding="utf-8")
    prefix = "window.EVENTPROOF_SEARCH = "
    assert text.startswith(prefix), text[:80]
    return list(json.loads(text[len(prefix):].rstrip().rstrip(";")))
