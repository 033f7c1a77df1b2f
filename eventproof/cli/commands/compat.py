"""``eventproof compat``: can a new version of a contract replace the old one?

Two files (``compat OLD NEW``) or a whole catalog against a git ref
(``compat --against origin/main [DIR]``). Exit 0 when compatible, 1 when
not, 2 on a usage or contract error.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

NAME = "compat"
HELP = "check contract changes for compatibility (Avro and JSON Schema), as a CI gate"
MODES = ("NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL",
         "FULL_TRANSITIVE")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="OLD NEW (two contract files), or with --against the contracts folder "
                             "(default: contracts/)")
    parser.add_argument("--against", metavar="REF",
                        help="compare the working tree's catalog with the same folder at this git ref")
    parser.add_argument("--mode", type=str.upper, choices=MODES,
                        help="override every contract's mode (default: its x-eventproof.compatibility, "
                             "else BACKWARD for commands and FULL for events)")
    parser.add_argument("--history", type=int, default=10, metavar="N",
                        help="transitive modes: how many earlier commits to read (default 10)")
    parser.add_argument("--examples", type=int, default=10, metavar="N",
                        help="generated messages per version for the evidence (default 10)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated evidence")
    parser.add_argument("--expectations", metavar="DIR",
                        help="where consumers keep *.expects.yaml (default: the project folder)")


def execute(args: argparse.Namespace, output: Any) -> int:
    from eventproof.catalog import Catalog
    from eventproof.compat.modes import Mode
    from eventproof.compat.render import render_comparison, render_report
    from eventproof.errors import ConfigError

    mode = Mode.parse(args.mode) if args.mode else None
    if args.examples < 0 or args.history < 1:
        raise ConfigError("--examples must be 0 or more and --history 1 or more")
    if args.against is None:
        if len(args.paths) != 2:
            raise ConfigError("give two contract files (compat OLD NEW), or --against REF [DIR]",
                              hint="e.g. eventproof compat --against origin/main contracts/")
        from eventproof.compat import Version, compare_versions

        old, new = (_contract_in(Path(p)) for p in args.paths)
        comparison = compare_versions([Version(old, args.paths[0]), Version(new, args.paths[1])],
                                      mode=mode, examples=args.examples, seed=args.seed)
        for line in render_comparison(comparison):
            output.print(line)
        return 0 if comparison.compatible else 1
    if len(args.paths) > 1:
        raise ConfigError("with --against, give at most one folder of contracts")
    from eventproof.compat.gate import gate

    directory = Path(args.paths[0] if args.paths else "contracts")
    if not directory.is_dir():
        raise ConfigError(f"no such contracts folder: {directory}", file=directory)
    Catalog.load(directory)  # the working tree's catalog must load before anything is compared
    report = gate(directory, args.against, mode=mode, examples=args.examples, seed=args.seed,
                  history=args.history,
                  expectations=Path(args.expectations) if args.expectations else None)
    for line in render_report(report):
        output.print(line)
    return 0 if report.compatible else 1


def _contract_in(path: Path) -> Any:
    """The contract defined by one file, loaded with the folder around it (for its $refs)."""
    from eventproof.catalog import Catalog
    from eventproof.errors import ConfigError

    if not path.is_file():
        raise ConfigError(f"no such contract file: {path}", file=path)
    catalog = Catalog.load(path.parent)
    for contract in catalog:
        if contract.path.resolve() == path.resolve():
            return contract
    raise ConfigError("the file holds no contract (no x-eventproof metadata)", file=path,
                      hint="see contracts/README.md, section Metadata")
