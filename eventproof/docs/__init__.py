"""The living documentation site: ``eventproof docs build`` and ``eventproof docs serve``.

``build_site(options, out)`` reads the project (``collect``: catalog, handlers,
features, system map, the last ``eventproof verify`` JSON report) into a site
model and renders it as static HTML (``render``) or Markdown (``markdown``).
"""

from __future__ import annotations

from pathlib import Path

from eventproof.docs.collect import SiteOptions, collect
from eventproof.docs.model import Site

__all__ = ["FORMATS", "Site", "SiteOptions", "build_site", "collect"]

FORMATS = ("html", "markdown")


def build_site(options: SiteOptions, out: Path, *, format: str = "html") -> tuple[Site, list[Path]]:
    """Build the site of the project ``options`` point at into ``out``; the model and the pages."""
    site = collect(options)
    if format == "markdown":
        from eventproof.docs.markdown import render_markdown

        return site, render_markdown(site, out)
    from eventproof.docs.render import render_html

    return site, render_html(site, out)
