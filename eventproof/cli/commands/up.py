"""``eventproof up TEMPLATE``: deploy a template onto the fakes and print what was built and wired."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

NAME = "up"
HELP = "deploy a CloudFormation/SAM template onto the fakes and show what was built"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("template", metavar="TEMPLATE", type=Path, help="template.yaml / .json (SAM, CloudFormation, CDK output)")
    parser.add_argument("--parameter", metavar="K=V", action="append", default=[],
                        help="a parameter override (repeatable)")
    parser.add_argument("--import", dest="imports", metavar="K=V", action="append", default=[],
                        help="the value of an export the template imports with Fn::ImportValue (repeatable)")
    parser.add_argument("--stack-name", metavar="NAME", help="the stack's name (default: from the file)")
    parser.add_argument("--strict", action="store_true",
                        help="fail (exit 2) if the template uses anything the fakes do not model")



def execute(args: argparse.Namespace, output: Any) -> int:
    from eventproof.cli.commands._pairs import key_values
    from eventproof_fakes import FakeAWS
    from eventproof_fakes.cloudformation import TemplateError

    parameters = key_values(args.parameter, "--parameter")
    imports = key_values(args.imports, "--import")
    aws = FakeAWS()
    try:
        stack = aws.cloudformation.deploy(
            args.template, stack_name=args.stack_name, parameters=parameters, imports=imports, strict=args.strict
        )
    except TemplateError as error:
        output.error(f"error: {error.describe()}")
        return 2
    rows = [("LOGICAL ID", "TYPE", "PHYSICAL NAME", "WIRED TO")]
    for built in stack.resources.values():
        wiring = built.wired_to or ["-"]
        rows.append((built.logical_id, built.type, _short(built.physical_id), wiring[0]))
        rows.extend(("", "", "", more) for more in wiring[1:])
    output.print(f"stack {stack.name} from {args.template}: {len(stack.resources)} resource(s) built")
    output.print(_table(rows))
    if stack.not_built:
        output.print("")
        output.print(f"not built ({len(stack.not_built)}):")
        for logical_id, reason in stack.not_built.items():
            output.print(f"  {logical_id}: {reason}")
    output.print("")
    if stack.report:
        output.print(f"not modelled ({len(stack.report)}):")
        for line in stack.report.lines():
            output.print(f"  {line}")
    else:
        output.print("not modelled: nothing")
    if stack.outputs:
        output.print("")
        output.print("outputs:")
        for key, value in stack.outputs.items():
            output.print(f"  {key} = {value}")
    return 0


def _short(physical_id: str) -> str:
    return physical_id.rsplit("/", 1)[-1] if physical_id.startswith("https://") else physical_id


def _table(rows: list[tuple[str, str, str, str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)) + "  " + row[3]
        for row in rows
    ).rstrip()
