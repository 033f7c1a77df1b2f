"""The serverless command pattern: one entry point, a registry of commands, 200/400/500."""

from __future__ import annotations

from reference_impl.command_dispatch.app import Handlers, Names, wire
from reference_impl.command_dispatch.commands import (
    Command,
    CommandContext,
    CommandRefused,
    CommandRegistry,
)
from reference_impl.command_dispatch.dispatcher import make_dispatcher
from reference_impl.command_dispatch.infrastructure import provision

__all__ = [
    "Command",
    "CommandContext",
    "CommandRefused",
    "CommandRegistry",
    "Handlers",
    "Names",
    "make_dispatcher",
    "provision",
    "wire",
]
