"""The command pattern: what a command is, and the registry that finds one by its type."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class CommandContext:
    """What ``execute`` gets: the validated payload and the Lambda context it runs in."""

    payload: dict[str, Any]
    lambda_context: Any = None


class Command(Protocol):
    """One thing the dispatcher can do. ``validate`` runs first; ``execute`` only on a clean payload."""

    command_type: str

    def validate(self, payload: dict[str, Any]) -> list[str]:
        """The payload's contract violations, one ``"/pointer: problem"`` line each; empty if valid."""
        ...

    def execute(self, context: CommandContext) -> dict[str, Any]:
        """Do the work; return the 200 answer's body."""
        ...


class CommandRefused(Exception):
    """A valid payload the business refuses (e.g. a refund of an unknown order): a 400, not a 500."""


class CommandRegistry:
    """Command type -> the one command that handles it."""

    def __init__(self, commands: Iterable[Command] = ()) -> None:
        self._commands: dict[str, Command] = {}
        for command in commands:
            self.register(command)

    def register(self, command: Command) -> None:
        if command.command_type in self._commands:
            raise ValueError(f"command type {command.command_type!r} is registered twice")
        self._commands[command.command_type] = command

    def get(self, command_type: str) -> Command | None:
        return self._commands.get(command_type)

    @property
    def known_types(self) -> list[str]:
        return sorted(self._commands)

    def __iter__(self) -> Iterator[Command]:
        return iter(self._commands.values())
