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
    _run_options(parser)


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


def _run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--against", metavar="REF",
                        help="also run `eventproof compat --against REF` on the contracts")
    parser.add_argument("-n", dest="workers", default="1", metavar="N|auto",
                        help="run the checks in N processes (auto: one per core)")
    parser.add_argument("--shard", metavar="K/N",
                        help="run only this CI machine's share K of N, balanced by recorded durations")
    parser.add_argument("--store-durations", action="store_true",
                        help="record each check's duration for --shard (merged into the file)")
    parser.add_argument("--durations-path", type=Path, default=None, metavar="PATH",
                        help="the durations file (default: <project>/.eventproof/durations.json)")
    parser.add_argument("--database", metavar="DIR|redis://...",
                        help="hypothesis example database shared by CI machines: counterexamples "
                             "found anywhere are replayed first")


def execute(args: argparse.Namespace, output: Any) -> int:
    import contextlib

    from eventproof.cli.commands._pairs import key_values
    from eventproof.project import open_project, verify
    from eventproof.project.backends import make_backend
    from eventproof.project.parallel import parse_workers
    from eventproof.project.progress import RichProgress, progress_for
    from eventproof.project.reports import as_text, parse_target, write
    from eventproof.project.verify import RunOptions

    targets = [parse_target(text) for text in args.report]
    backend = make_backend(args.backend, endpoint_url=args.endpoint_url, region=args.region,
                           profile=args.profile, stack=args.stack)
    options = RunOptions(workers=parse_workers(args.workers), shard=args.shard,
                         database=args.database, durations=args.durations_path,
                         store_durations=args.store_durations)
    project = open_project(args.config, parameters=key_values(args.parameter))
    progress = progress_for(output.stderr)
    with progress if isinstance(progress, RichProgress) else contextlib.nullcontext():
        verification = verify(project, examples=args.examples, seed=args.seed, only=args.only,
                              progress=progress, against=args.against, options=options,
                              backend=backend)
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



def _is_terminal(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
