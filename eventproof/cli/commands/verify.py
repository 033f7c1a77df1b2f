"""``eventproof verify``: every configured handler's contracts and promises, on a backend.

Reads ``[tool.eventproof]`` (see ``eventproof.project.config``) from
``--config`` or the nearest ``eventproof.toml``/``pyproject.toml``. Exit 0
when every check holds, 1 when one fails (or is vacuous, or cannot run),
2 on a configuration or usage error.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

NAME = "verify"
HELP = ("check every configured handler's contracts and promised properties "
        "(on the fakes, moto or an endpoint)")


def configure(parser: argparse.ArgumentParser) -> None:
    from eventproof.project.verify import DEFAULT_EXAMPLES

    parser.add_argument("--config", type=Path, default=None,
                        help="eventproof.toml or pyproject.toml, or a project folder "
                             "(default: found from the current folder up)")
    parser.add_argument("--examples", type=int, default=DEFAULT_EXAMPLES,
                        help=f"hypothesis examples per property (default {DEFAULT_EXAMPLES})")
    parser.add_argument("--seed", type=int, default=0, help="hypothesis seed (default 0)")
    parser.add_argument("--only", metavar="NAME", help="verify only this handler")
    parser.add_argument("--parameter", action="append", default=[], metavar="KEY=VALUE",
                        help="override a template parameter of the configuration (repeatable)")
    parser.add_argument("--report", action="append", default=[], metavar="FORMAT:PATH",
                        help="also write a report: json:PATH, junit:PATH or md:PATH (repeatable)")
    _configure_backend(parser)


def _configure_backend(parser: argparse.ArgumentParser) -> None:
    from eventproof.project.backends import BACKENDS

    group = parser.add_argument_group("backend (see docs/verify.md)")
    group.add_argument("--backend", choices=BACKENDS, default="fakes",
                       help="where handlers run: fakes (default), moto (in process) or endpoint "
                            "(a deployed stack; only the checks it can run)")
    group.add_argument("--endpoint-url", metavar="URL", help="--backend endpoint: the AWS endpoint")
    group.add_argument("--stack", metavar="NAME", help="--backend endpoint: the deployed stack")
    group.add_argument("--region", metavar="R", help="moto or endpoint region (default us-east-1)")
    group.add_argument("--profile", metavar="P", help="--backend endpoint: AWS profile")


def execute(args: argparse.Namespace, output: Any) -> int:
    from eventproof.project import open_project, verify
    from eventproof.project.backends import make_backend
    from eventproof.project.reports import as_text, parse_target, write

    targets = [parse_target(text) for text in args.report]
    backend = make_backend(args.backend, endpoint_url=args.endpoint_url, region=args.region,
                           profile=args.profile, stack=args.stack)
    project = open_project(args.config, parameters=_parameters(args.parameter))

    def progress(handler: str, check: str) -> None:
        output.stderr.write(f"  {handler} / {check} ...\n")
        output.stderr.flush()

    verification = verify(project, examples=args.examples, seed=args.seed, only=args.only,
                          progress=progress, backend=backend)
    if _is_terminal(output.stdout):
        from rich.console import Console

        from eventproof.project.terminal import print_rich

        print_rich(verification, Console(file=output.stdout))
    else:
        output.print(as_text(verification))
    for kind, path in targets:
        write(verification, kind, path)
        output.print(f"{kind} report: {path}")
    return 0 if verification.ok else 1


def _parameters(pairs: list[str]) -> dict[str, str]:
    from eventproof.errors import ConfigError

    parameters: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ConfigError(f"--parameter {pair}: expected KEY=VALUE")
        parameters[key] = value
    return parameters


def _is_terminal(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
