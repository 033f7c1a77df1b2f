"""``eventproof contracts check|list [DIR | --aws]``: load the catalog, check every example.

``--aws`` names the AWS record contracts eventproof ships (``contracts/aws/``).
"""

from __future__ import annotations

import argparse
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
    catalog = Catalog.load(directory)
    if args.contracts_action == "list":
        rows = [["NAME", "KIND", "FORMAT", "VERSION", "SUMMARY"]]
        rows += [[c.name, c.kind, c.format, c.version, c.summary] for c in catalog]
        for line in _table(rows):
            output.print(line)
        output.print(f"{len(catalog)} contracts in {args.directory}")
        return 0

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
