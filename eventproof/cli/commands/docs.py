"""``eventproof docs build|serve``: the living documentation site (see ``eventproof.docs``).

``build`` writes a static site (HTML from Jinja2 templates, or Markdown for a
wiki) from the project's configuration, or from bare ``--contracts`` and
``--features`` folders, with the last ``eventproof verify --report json:PATH``.
``serve`` builds it, serves it on 127.0.0.1 and rebuilds when a source changes.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

NAME = "docs"
HELP = "build (or serve) the documentation site: contracts, handlers, features, system map, last run"


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("site"), help="the site's folder (default site/)")
    parser.add_argument("--config", type=Path, action="append", default=[],
                        help="eventproof.toml or pyproject.toml, or a project folder "
                             "(default: found from the current folder up); repeat it for one site "
                             "over several projects that share a contracts folder")
    parser.add_argument("--contracts", type=Path, default=None,
                        help="a contracts folder, for a repository without a configuration")
    parser.add_argument("--features", type=Path, default=None, help="the feature files' folder")
    parser.add_argument("--report", type=Path, default=None,
                        help="the JSON report of eventproof verify (without it: results read 'not run')")
    parser.add_argument("--junit", type=Path, default=None,
                        help="the scenarios' results: pytest's JUnit XML of the feature files "
                             "(pytest features --junitxml=PATH)")
    parser.add_argument("--history", type=int, default=10, metavar="N",
                        help="read each contract's versions from the last N commits (0: none; default 10)")
    parser.add_argument("--parameter", action="append", default=[], metavar="KEY=VALUE",
                        help="override a template parameter of the configuration (repeatable)")
    parser.add_argument("--title", default="", help="the site's title (default: the project folder's name)")


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    build = actions.add_parser("build", help="write the site")
    _common(build)
    build.add_argument("--format", choices=("html", "markdown"), default="html",
                       help="html (default) or markdown (for a repository wiki)")
    serve = actions.add_parser("serve", help="serve the site on 127.0.0.1, rebuilding on change")
    _common(serve)
    serve.add_argument("--port", type=int, default=8000, help="the port (default 8000; 0: any free one)")


def _options(args: argparse.Namespace) -> Any:
    from eventproof.cli.commands._pairs import key_values
    from eventproof.docs import SiteOptions
    from eventproof.errors import ConfigError

    if args.history < 0:
        raise ConfigError(f"--history {args.history}: expected 0 or more")
    configs = list(dict.fromkeys(args.config))
    if configs and args.contracts is not None:
        raise ConfigError(f"--contracts {args.contracts} with --config: a configuration names its "
                          "own contracts folder; give one or the other")
    return SiteOptions(config=configs[0] if configs else None, more_configs=tuple(configs[1:]),
                       contracts=args.contracts, features=args.features,
                       report=args.report, junit=args.junit, history=args.history, title=args.title,
                       parameters=key_values(args.parameter))


def execute(args: argparse.Namespace, output: Any) -> int:
    options = _options(args)
    if args.action == "serve":
        from eventproof.docs.serve import serve

        return serve(options, args.out, port=args.port, output=output)
    from eventproof.docs import build_site

    site, pages = build_site(options, args.out, format=args.format)
    counts = ", ".join(_count(len(items), noun) for items, noun in (
        (pages, "page"), (site.contracts, "contract"), (site.handlers, "handler"),
        (site.features, "feature")))
    output.print(f"{counts}; last run: {site.run.status}; in {args.out}")
    return 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
