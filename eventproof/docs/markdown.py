"""The site model as Markdown pages, for teams that publish into a repository wiki.

Same pages as the HTML site (index, map, a page per contract, handler and
feature); diagrams as ```` ```mermaid ```` blocks, which GitHub and GitLab draw.
Wiki renderers pass raw HTML through, so every value is escaped here too:
``<``, ``>`` and ``&`` as entities, and ``|`` inside table cells.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from eventproof.docs.model import ContractPage, FeaturePage, HandlerPage, Site
from eventproof.docs.system import mermaid
from eventproof.errors import ConfigError

__all__ = ["render_markdown"]


def _text(value: object) -> str:
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(value: object) -> str:
    return _text(value).replace("|", "\\|").replace("\n", " ")


def _fence(text: str, language: str = "") -> list[str]:
    ticks = "```"
    while ticks in text:  # a value holding a fence cannot close ours
        ticks += "`"
    return [f"{ticks}{language}", text, ticks]


def _link(name: str, href: str, here: str) -> str:
    if not href:
        return _cell(name)
    up = "../" * here.count("/")
    return f"[{_cell(name)}]({up}{href.removesuffix('.html')}.md)"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(row) + " |" for row in rows), ""]


def render_markdown(site: Site, out: Path) -> list[Path]:
    """Write ``index.md``, ``map.md`` and one page per contract, handler and feature."""
    pages: dict[str, list[str]] = {"index.md": _index(site), "map.md": _map(site)}
    for contract in site.contracts:
        pages[contract.href.replace(".html", ".md")] = _contract(site, contract)
    for handler in site.handlers:
        pages[handler.href.replace(".html", ".md")] = _handler(site, handler)
    for feature in site.features:
        pages[feature.href.replace(".html", ".md")] = _feature(feature)
    written = []
    try:
        for sub in ("contracts", "handlers", "features", "schemas"):
            shutil.rmtree(out / sub, ignore_errors=True)
            (out / sub).mkdir(parents=True)
        for name, lines in pages.items():
            (out / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
            written.append(out / name)
        for name, original in site.sources.items():
            shutil.copyfile(original, out / name)
    except OSError as error:
        raise ConfigError(f"--out {out}: cannot write the site: {error}") from None
    return written


def _index(site: Site) -> list[str]:
    run = site.run
    lines = [f"# {_text(site.title)}", "", f"Built by `eventproof docs build` from {_text(site.origin)}.", ""]
    if run.present:
        counts = ", ".join(f"{n} {status}" for status, n in run.counts.items())
        lines += [f"**Last run: {run.status}** — {_text(run.date)}, commit `{_text(run.commit)}`: {counts}.", ""]
    else:
        lines += ["**Last run: not run** (no verification report was given).", ""]
    lines += ["[System map](map.md)", "", "## Contracts", ""]
    lines += _table(["Contract", "Kind", "Version", "Producers", "Consumers", "Last run"], [
        [_link(p.contract.name, p.href, "index.md"), p.contract.kind, _cell(p.contract.version),
         _cell(", ".join(p.contract.producers)), _cell(", ".join(p.contract.consumers)), p.status]
        for p in site.contracts])
    lines += ["## Handlers", ""]
    lines += _table(["Handler", "Kind", "Consumes", "Emits", "Last run"], [
        [_link(h.name, h.href, "index.md"), h.kind, _cell(", ".join(h.consumes)),
         _cell(", ".join(h.emits)), h.status] for h in site.handlers])
    lines += ["## Features", ""]
    lines += _table(["Feature", "File", "Scenarios"], [
        [_link(f.feature.name, f.href, "index.md"), _cell(f.feature.relative),
         str(len(f.feature.scenarios))] for f in site.features])
    return lines


def _map(site: Site) -> list[str]:
    text, _ = mermaid(site.system)
    lines = ["# System map", "", f"Drawn from {_text(site.system.origin)}.", "", *_fence(text, "mermaid"), ""]
    def name(node_id: str) -> str:
        node = site.system.nodes[node_id]
        return _cell(f"{node.label} ({node.group})" if node.group else node.label)

    lines += _table(["From", "Carries", "To"], [[name(e.source), _cell(e.label), name(e.target)]
                                                for e in site.system.edges])
    return lines


def _contract(site: Site, page: ContractPage) -> list[str]:
    c, here = page.contract, page.href
    lines = [f"# {_text(c.name)}", "", f"*{c.kind}, {c.format}, version {_text(c.version)}* — "
             f"last run: **{page.status}**", "", _text(c.summary), ""]
    lines += [f"- Producers: {', '.join(_link(p.name, p.href, here) for p in page.producers) or 'none'}",
              f"- Consumers: {', '.join(_link(p.name, p.href, here) for p in page.consumers) or 'none'}",
              f"- Schema: [{_cell(page.relative)}](../{page.schema_file})", "", "## Fields", ""]
    lines += _table(["Field", "Type", "Required", "Constraints", "Description"], [
        [f"`{_cell(r.path)}`", _cell(r.type), "yes" if r.required else "no", _cell(r.constraints),
         _cell(r.description)] for r in page.fields])
    lines += ["## Examples", ""]
    for example in c.examples:
        lines += [f"**{'Valid' if example.valid else 'Invalid'}: {_text(example.name)}**", "",
                  *_fence(json.dumps(example.message, indent=2, ensure_ascii=False), "json"), ""]
    lines += ["## Version history", ""]
    lines += _table(["Change", "Date", "Version", "Verdict"], [
        [_cell(f"{h.label} {h.subject}"), _cell(h.date), _cell(h.version), _cell(h.verdict)]
        for h in reversed(page.history)]) if page.history else [_text(page.history_note), ""]
    return lines


def _handler(site: Site, page: HandlerPage) -> list[str]:
    here = page.href

    def contracts(names: list[str]) -> str:
        return ", ".join(_link(n, c.href if (c := site.contract(n)) else "", here) for n in names) or "none"

    lines = [f"# {_text(page.name)}", "", f"*{page.kind}* — last run: **{page.status}**", "",
             f"- Trigger: {_text(', '.join(page.trigger) or 'none in the wiring')}",
             f"- Consumes: {contracts(page.consumes)}", f"- Emits: {contracts(page.emits)}",
             f"- Promises: {_text(', '.join(page.promises) or 'none configured')}", "", "## Last results", ""]
    lines += _table(["Check", "Result", "Summary"], [
        [_cell(o.check), o.status, _cell(o.summary)] for o in page.outcomes])
    for outcome in page.outcomes:
        if outcome.story:
            lines += [f"### {_text(outcome.check)}: {outcome.status}", "", *_fence(outcome.story), ""]
    return lines


def _feature(page: FeaturePage) -> list[str]:
    feature = page.feature
    lines = [f"# {_text(feature.name)}", "", f"`{_text(feature.relative)}`", ""]
    for block in feature.narrative:
        lines += [*(_fence(block.text, "mermaid") if block.kind == "mermaid" else [_text(block.text)]), ""]
    for scenario in feature.scenarios:
        result = page.scenario_results[scenario.line]
        lines += [f"## {_text(scenario.name)}", "", f"Last result: **{result.status}**", ""]
        if result.message:
            lines += [*_fence(result.message), ""]
        lines += [f"{n}. **{_text(s.keyword)}** {_text(s.text)}" for n, s in enumerate(scenario.steps, 1)]
        lines.append("")
    return lines
