"""``eventproof contracts check|list [DIR | FILE | --aws]``: load the catalog, check every example.

``--aws`` names the AWS record contracts eventproof ships (``contracts/aws/``).
FILE is one AsyncAPI document or EventBridge Schema Registry export. Plain
schema files become contracts by ``[tool.eventproof.contracts]`` in
``--config`` (default ./pyproject.toml; declarations of files outside DIR are
about another catalog and left aside) or by ``--plain KIND``. ``check`` fails
when it finds no contract at all, and warns about schema files it did not use.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

NAME = "contracts"
HELP = "list the contracts of a catalog, or check them and their examples"
DEFAULT_DIR = "contracts"


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="contracts_action", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="load every contract and check its examples")
    listing = actions.add_parser("list", help="list the contracts")
    for sub in (check, listing):
        sub.add_argument("directory", nargs="?", default=None, metavar="DIR",
                         help=f"the contracts folder (default: {DEFAULT_DIR}/)")
        sub.add_argument("--aws", action="store_true",
                         help="the AWS record contracts shipped with eventproof, instead of DIR")
        sub.add_argument("--plain", metavar="KIND", default=None,
                         help="make every plain schema file (no x-eventproof) that no other "
                         "refers to a contract of this kind")
        sub.add_argument("--config", type=Path, default=None,
                         help="pyproject.toml declaring [tool.eventproof.contracts] "
                         "(default: ./pyproject.toml)")


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in rows]


def execute(args: argparse.Namespace, output: Any) -> int:
    from eventproof.catalog import Catalog
    from eventproof.catalog.builtin import aws_contracts_dir
    from eventproof.errors import ConfigError

    if args.aws and args.directory is not None:
        raise ConfigError(f"give either DIR ({args.directory}) or --aws, not both")
    directory = aws_contracts_dir() if args.aws else (args.directory or DEFAULT_DIR)
    args.directory = directory
    catalog = Catalog.load(directory, plain_kind=args.plain,
                           declared=_declarations(args.config, Path(directory)))
    for warning in catalog.warnings:
        output.error(f"warning: {warning}")
    if args.contracts_action == "list":
        rows = [["NAME", "KIND", "FORMAT", "VERSION", "SUMMARY"]]
        rows += [[c.name, c.kind, c.format, c.version, c.summary] for c in catalog]
        for line in _table(rows):
            output.print(line)
        output.print(f"{len(catalog)} contracts in {args.directory}")
        return 0

    if len(catalog) == 0:
        output.error(
            f"FAILED: no contract found in {args.directory}: a schema file needs an x-eventproof "
            "object, a declaration in [tool.eventproof.contracts] of pyproject.toml, or "
            "--plain KIND (see contracts/README.md)")
        return 1
    results = catalog.check_examples()
    rows = [["NAME", "KIND", "FORMAT", "VERSION", "EXAMPLES"]]
    for contract in catalog:
        mine = [r for r in results if r.contract == contract.name]
        good = sum(r.ok for r in mine)
        status = "no examples" if not mine else f"{good}/{len(mine)} " + (
            "ok" if good == len(mine) else "FAILED")
        rows.append([contract.name, contract.kind, contract.format, contract.version, status])
    for line in _table(rows):
        output.print(line)
    failures = [r for r in results if not r.ok]
    for failure in failures:
        output.print("FAILED " + failure.render())
    output.print(f"{len(catalog)} contracts, {len(results)} examples, {len(failures)} failed")
    return 1 if failures else 0


def _declarations(config: Path | None, directory: Path) -> list[Any]:
    from eventproof.catalog.sources.plain import read_declarations
    from eventproof.errors import ConfigError

    path = config if config is not None else Path.cwd() / "pyproject.toml"
    if config is not None and not path.is_file():
        raise ConfigError(f"no configuration file {path}", file=path)
    if not path.is_file() or not directory.is_dir():
        return []
    root = directory.resolve()
    return [d for d in read_declarations(path) if d.file.is_relative_to(root)]
