"""One module per subcommand, found by listing this package.

A subcommand module defines:

- ``NAME: str`` (the word on the command line) and ``HELP: str`` (one line);
- ``configure(parser: argparse.ArgumentParser) -> None`` adding its arguments
  (it may add its own sub-subcommands, as ``contracts`` does);
- ``execute(args: argparse.Namespace, output: Output) -> int`` returning the
  exit code. An ``EventproofError`` it raises is printed as one block and
  exits 2, so commands raise instead of printing their own input errors.

Command modules import the engine lazily inside ``execute`` where that keeps
``eventproof --help`` fast.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
from typing import Any, Protocol, cast

__all__ = ["Command", "discover"]


class Command(Protocol):
    NAME: str
    HELP: str

    def configure(self, parser: argparse.ArgumentParser) -> None: ...

    def execute(self, args: argparse.Namespace, output: Any) -> int: ...


def discover() -> list[Command]:
    found: list[Command] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if all(hasattr(module, attribute) for attribute in ("NAME", "HELP", "configure", "execute")):
            found.append(cast(Command, module))
    return found
