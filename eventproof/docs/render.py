"""The site model as static HTML: Jinja2 templates (autoescape on), static files, search index.

Every page links with relative paths and loads only files of the site, so
the folder works from ``file://``. The search index is a JavaScript file
(``search-index.js``) for the same reason: a page opened from disk cannot
fetch JSON.
"""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from eventproof.docs.highlight import highlight_json
from eventproof.docs.model import Site
from eventproof.docs.system import anchor, mermaid
from eventproof.errors import ConfigError

__all__ = ["environment", "render_html", "search_entries"]


def environment() -> Environment:
    env = Environment(loader=PackageLoader("eventproof.docs", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["json"] = highlight_json
    env.filters["status_class"] = lambda status: "s-" + str(status).replace(" ", "-")
    env.filters["anchor"] = anchor
    return env


def search_entries(site: Site) -> list[dict[str, str]]:
    """What the search box finds: contracts, their fields, handlers, features and scenarios."""
    entries: list[dict[str, str]] = []
    for page in site.contracts:
        contract = page.contract
        entries.append({"name": contract.name, "kind": f"contract ({contract.kind})",
                        "url": page.href, "detail": contract.summary})
        for row in page.fields:
            entries.append({"name": f"{contract.name}.{row.path}", "kind": "field",
                            "url": f"{page.href}#field-{anchor(row.path)}",
                            "detail": f"{row.type} {row.description}".strip()})
    for handler in site.handlers:
        entries.append({"name": handler.name, "kind": handler.kind, "url": handler.href,
                        "detail": ", ".join(handler.consumes)})
    for feature in site.features:
        entries.append({"name": feature.feature.name, "kind": "feature", "url": feature.href,
                        "detail": feature.feature.relative})
        for scenario in feature.feature.scenarios:
            entries.append({"name": scenario.name, "kind": "scenario",
                            "url": f"{feature.href}#scenario-{scenario.line}",
                            "detail": feature.feature.name})
    return entries


def _static(out: Path) -> None:
    source = resources.files("eventproof.docs") / "static"
    with resources.as_file(source) as folder:
        shutil.copytree(folder, out / "static", dirs_exist_ok=True)


def render_html(site: Site, out: Path) -> list[Path]:
    """Write the site into ``out`` (created; files of an earlier build are replaced)."""
    env = environment()
    try:
        out.mkdir(parents=True, exist_ok=True)
        for sub in ("contracts", "handlers", "features", "schemas"):
            shutil.rmtree(out / sub, ignore_errors=True)
            (out / sub).mkdir()
    except OSError as error:
        raise ConfigError(f"--out {out}: cannot write the site: {error}") from None
    _static(out)
    written: list[Path] = []
    map_text, map_links = mermaid(site.system)

    def page(template: str, path: str, **context: Any) -> None:
        root = "../" * path.count("/")
        html = env.get_template(template).render(site=site, root=root, path=path, **context)
        target = out / path
        target.write_text(html, encoding="utf-8")
        written.append(target)

    page("index.html", "index.html")
    page("map.html", "map.html", map_text=map_text, map_links=map_links)
    page("search.html", "search.html")
    for contract in site.contracts:
        page("contract.html", contract.href, page=contract)
    for handler in site.handlers:
        page("handler.html", handler.href, page=handler)
    for feature in site.features:
        page("feature.html", feature.href, page=feature)
    for name, original in site.sources.items():
        shutil.copyfile(original, out / name)
    index = json.dumps(search_entries(site), ensure_ascii=True).replace("<", "\\u003c")
    (out / "search-index.js").write_text(f"window.EVENTPROOF_SEARCH = {index};\n", encoding="utf-8")
    return written
