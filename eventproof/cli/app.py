"""Parse the command line, hand off to a subcommand, turn user mistakes into exit code 2."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NoReturn, TextIO

from eventproof import __version__
from eventproof.cli.commands import discover
from eventproof.errors import EventproofError

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "Output", "main", "run"]

EXIT_OK = 0
EXIT_FAILED = 1  # the check ran and something does not hold
EXIT_USAGE = 2  # the check could not run: bad arguments, contracts or files


@dataclass(frozen=True)
class Output:
    """Where a subcommand writes: results to ``stdout``, error blocks to ``stderr``."""

    stdout: TextIO
    stderr: TextIO

    def print(self, text: str = "") -> None:
        self.stdout.write(text + "\n")

    def error(self, error: EventproofError | str) -> None:
        text = error.render() if isinstance(error, EventproofError) else error
        self.stderr.write(text + "\n")


class _ParserExit(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class _Parser(argparse.ArgumentParser):
    """argparse that writes to our streams and returns instead of calling sys.exit."""

    output: Output

    def _print_message(self, message: str, file: object = None) -> None:
        if message:
            stream = self.output.stderr if file is sys.stderr else self.output.stdout
            stream.write(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self.output.stderr.write(message)
        raise _ParserExit(status)

    def error(self, message: str) -> NoReturn:
        self.output.stderr.write(f"usage error: {message}\n  run '{self.prog} --help' for usage\n")
        raise _ParserExit(EXIT_USAGE)


def build_parser(output: Output) -> argparse.ArgumentParser:
    # A class bound to this run's streams, so nested subparsers (which argparse
    # creates with type(parent)) write there too.
    bound = type("_BoundParser", (_Parser,), {"output": output})
    root = bound(
        prog="eventproof",
        description="Prove serverless, event-driven handlers against their contracts.",
    )
    root.add_argument("--version", action="store_true", help="print the version and exit")
    commands = root.add_subparsers(dest="command", metavar="COMMAND")
    for command in discover():
        sub = commands.add_parser(command.NAME, help=command.HELP, description=command.HELP)
        command.configure(sub)
        sub.set_defaults(execute=command.execute)
    return root


def run(argv: Sequence[str] | None = None, stdout: TextIO | None = None,
        stderr: TextIO | None = None) -> int:
    """Run the command line ``argv``; return the exit code (0 ok, 1 failed, 2 usage/input error)."""
    output = Output(stdout or sys.stdout, stderr or sys.stderr)
    parser = build_parser(output)
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except _ParserExit as exc:
        return exc.status
    if args.version:
        output.print(f"eventproof {__version__}")
        return EXIT_OK
    if args.command is None:
        parser.print_usage(output.stderr)
        output.error("usage error: say which command to run, e.g. 'eventproof contracts check'")
        return EXIT_USAGE
    try:
        code: int = args.execute(args, output)
    except EventproofError as exc:
        output.error(exc)
        return EXIT_USAGE
    return code


def main() -> None:
    sys.exit(run())
