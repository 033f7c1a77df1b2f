"""``eventproof validate NAME FILE...``: check message files against one contract."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from eventproof.envelopes import ENVELOPE_KINDS

NAME = "validate"
HELP = "validate JSON message files against a contract"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("contract", metavar="NAME", help="the contract's name, e.g. ProcessOrder")
    parser.add_argument("files", metavar="FILE", nargs="+", type=Path, help="JSON message files")
    parser.add_argument("--contracts", default="contracts", metavar="DIR",
                        help="the contracts folder (default: contracts/)")
    parser.add_argument("--envelope", metavar="KIND",
                        help="unwrap each file from its AWS envelope first: "
                        + ", ".join(ENVELOPE_KINDS) + " (chain with commas, e.g. sqs,sns)")


def execute(args: argparse.Namespace, output: Any) -> int:
    from eventproof.catalog import Catalog
    from eventproof.catalog.files import read_message
    from eventproof.envelopes import unwrap
    from eventproof.errors import EventproofError

    contract = Catalog.load(args.contracts)[args.contract]
    worst = 0
    for path in args.files:
        try:
            document = read_message(path)
            messages = unwrap(document, args.envelope) if args.envelope else [document]
            for index, message in enumerate(messages):
                label = f"{path} (message {index + 1})" if len(messages) > 1 else str(path)
                violations = contract.violations(message)
                if not violations:
                    output.print(f"{label}: conforms to {contract.name}")
                    continue
                worst = max(worst, 1)
                output.print(f"{label}: {len(violations)} violation(s) of {contract.name}")
                for violation in violations:
                    output.print(f"  {label}: {violation.pointer or '/'}: "
                                 f"expected {violation.expected}, found {violation.found}")
        except EventproofError as exc:
            exc.file = exc.file or str(path)
            exc.contract = exc.contract or contract.name
            output.error(exc)
            worst = 2
    return worst
