"""Compatibility modes as Confluent's Schema Registry names them, and which applies.

Direction, for messages: *backward* means the new schema reads (accepts)
every message the old one admitted, so consumers can upgrade first;
*forward* means the old schema reads every message the new one admits, so
producers can upgrade first; *full* is both. A *transitive* mode checks the
new version against every earlier version, not only the last.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = ["Direction", "Mode", "ModeChoice", "choose_mode"]


class Direction(Enum):
    """Who reads whose messages in one check: ``reader`` must accept what ``writer`` admits."""

    BACKWARD = "backward"  # reader = new, writer = old
    FORWARD = "forward"  # reader = old, writer = new


class Mode(Enum):
    NONE = "NONE"
    BACKWARD = "BACKWARD"
    BACKWARD_TRANSITIVE = "BACKWARD_TRANSITIVE"
    FORWARD = "FORWARD"
    FORWARD_TRANSITIVE = "FORWARD_TRANSITIVE"
    FULL = "FULL"
    FULL_TRANSITIVE = "FULL_TRANSITIVE"

    @property
    def directions(self) -> tuple[Direction, ...]:
        base = self.value.removesuffix("_TRANSITIVE")
        if base == "NONE":
            return ()
        if base == "FULL":
            return (Direction.BACKWARD, Direction.FORWARD)
        return (Direction[base],)

    @property
    def transitive(self) -> bool:
        return self.value.endswith("_TRANSITIVE")

    @classmethod
    def parse(cls, text: str) -> Mode:
        """A mode by name, case-insensitive; ValueError listing the modes otherwise."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(mode.value for mode in cls)
            raise ValueError(f"unknown compatibility mode {text!r}; expected one of {names}") from None


@dataclass(frozen=True)
class ModeChoice:
    """The mode that applies to one contract, and why (printed in every report)."""

    mode: Mode
    reason: str


# A command has one consumer, which upgrades before its producers start
# sending the new version; an event (and a record Lambda hands to whoever is
# configured) has consumers the producer does not know, upgrading at any time.
_KIND_DEFAULTS = {
    "command": (Mode.BACKWARD, "a command has one consumer, which upgrades first"),
    "request": (Mode.BACKWARD, "a request has one consumer, which upgrades first"),
    "event": (Mode.FULL, "an event has many consumers that upgrade at any time"),
    "destination-record": (Mode.FULL, "a destination record goes to consumers the sender does not know"),
    "response": (Mode.FULL, "a response goes to callers that upgrade at any time"),
}


def choose_mode(kind: str, declared: str | None, forced: Mode | None) -> ModeChoice:
    """The mode for a contract: ``--mode`` first, then its metadata, then its kind's default."""
    if forced is not None:
        return ModeChoice(forced, "given on the command line")
    if declared is not None:
        return ModeChoice(Mode.parse(declared), "declared in the contract's x-eventproof.compatibility")
    mode, why = _KIND_DEFAULTS.get(kind, (Mode.FULL, "a message of unknown kind: the strictest mode"))
    article = "an" if kind[:1] in "aeiou" else "a"
    return ModeChoice(mode, f"the default for {article} {kind}: {why}")
