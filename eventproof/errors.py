"""The one exception root of the engine, with a subclass per area.

Every error carries where it happened (file, line, column, JSON pointer,
contract) as fields, so faces (CLI, pytest plugin) can print one readable
block with ``render()`` instead of a traceback.
"""

from __future__ import annotations

import reprlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "ConfigError",
    "ContractLoadError",
    "ContractViolation",
    "DuplicateContractError",
    "EnvelopeError",
    "EventproofError",
    "ExampleError",
    "MessageError",
    "RefError",
    "SchemaError",
    "UnknownContractError",
    "Violation",
    "describe_value",
    "short_repr",
]


def _prefix(value: Any, limit: int) -> str:
    """repr(value), rendered only until it is longer than ``limit`` characters.

    A message, or a YAML alias bomb, can be gigabytes once expanded: this
    stops after ``limit`` characters whatever the size, depth or sharing of
    the value (each level writes at least one character, so the recursion
    is at most ``limit`` deep).
    """
    parts: list[str] = []
    size = 0

    def emit(text: str) -> bool:
        nonlocal size
        parts.append(text)
        size += len(text)
        return size > limit

    def walk(item: Any) -> bool:  # True: enough written
        if isinstance(item, list | tuple):
            opening, closing = ("[", "]") if isinstance(item, list) else ("(", ")")
            if emit(opening):
                return True
            for index, element in enumerate(item):
                if (index and emit(", ")) or walk(element):
                    return True
            return emit("," + closing if len(item) == 1 and closing == ")" else closing)
        if isinstance(item, dict):
            if emit("{"):
                return True
            for index, (key, element) in enumerate(item.items()):
                if (index and emit(", ")) or walk(key) or emit(": ") or walk(element):
                    return True
            return emit("}")
        if isinstance(item, str):
            return emit(repr(item[: limit + 2]))
        if isinstance(item, int) and not isinstance(item, bool) and item.bit_length() > 4 * limit + 64:
            return emit(f"<an integer of about {int(item.bit_length() * 0.30103) + 1} digits>")
        if isinstance(item, int | float | bool | None):
            return emit(repr(item))
        return emit(reprlib.repr(item))

    walk(value)
    return "".join(parts)


def short_repr(value: Any, limit: int = 80) -> str:
    """A one-line rendering of a (possibly huge) JSON value, cut at ``limit``."""
    try:
        text = _prefix(value, limit)
    except RecursionError:
        return "<nested too deeply to print>"
    if len(text) > limit:
        return text[: limit - 3] + "..."
    return text


_JSON_TYPE_NAMES = {
    bool: "boolean", int: "integer", float: "number", str: "string",
    list: "array", dict: "object", type(None): "null",
}


def describe_value(value: Any) -> str:
    """The JSON type and a short rendering of a value: ``string 'BTC'``, ``integer 0``."""
    kind = _JSON_TYPE_NAMES.get(type(value)) or next(
        (name for kind, name in _JSON_TYPE_NAMES.items() if isinstance(value, kind)),
        type(value).__name__)
    return f"{kind} {short_repr(value)}"


@dataclass(frozen=True)
class Violation:
    """One way a message breaks its contract.

    ``pointer`` is the JSON pointer (RFC 6901) of the offending value in the
    message ("" for the whole message); ``expected`` says what the contract
    wants there, ``found`` what the message has (already shortened for print).
    """

    pointer: str
    expected: str
    found: str
    keyword: str = ""
    message: str = ""

    def render(self) -> str:
        where = self.pointer or "(the whole message)"
        return f"at {where}: expected {self.expected}, found {self.found}"


class EventproofError(Exception):
    """Root of every error eventproof raises on purpose.

    ``headline`` says what went wrong in one sentence; the location fields
    say where. ``render()`` gives the block the CLI prints.
    """

    area = "error"

    def __init__(
        self,
        headline: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
        pointer: str | None = None,
        contract: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(headline)
        self.headline = headline
        self.file = str(file) if file is not None else None
        self.line = line
        self.column = column
        self.pointer = pointer
        self.contract = contract
        self.hint = hint

    def location(self) -> str:
        parts: list[str] = []
        if self.file:
            where = self.file
            if self.line is not None:
                where += f", line {self.line}"
                if self.column is not None:
                    where += f", column {self.column}"
            parts.append(where)
        if self.pointer is not None:
            parts.append(f"at {self.pointer or '/'}")
        if self.contract:
            parts.append(f"contract {self.contract}")
        return "; ".join(parts)

    def details(self) -> list[str]:
        """Extra lines below the headline; subclasses add theirs."""
        return []

    def render(self) -> str:
        lines = [f"{self.area}: {self.headline}"]
        where = self.location()
        if where:
            lines.append(f"  in {where}")
        lines.extend(f"  {detail}" for detail in self.details())
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()


class ConfigError(EventproofError):
    """Bad command-line or configuration input."""

    area = "configuration error"


class ContractLoadError(EventproofError):
    """A contract file cannot be read or parsed (missing, malformed JSON/YAML)."""

    area = "contract error"


class SchemaError(ContractLoadError):
    """A schema is not a valid JSON Schema / Avro schema, or its metadata is wrong."""


class RefError(ContractLoadError):
    """A ``$ref`` or Avro named type that cannot be resolved, is remote, or loops."""


class DuplicateContractError(ContractLoadError):
    """Two files declare a contract with the same name."""


class ExampleError(ContractLoadError):
    """An examples file is malformed (not the shape contracts/README.md fixes)."""


class UnknownContractError(ConfigError):
    """A contract name that the catalog does not hold."""

    def __init__(self, name: str, suggestions: Sequence[str], **where: Any) -> None:
        hint = f"did you mean {', '.join(suggestions)}?" if suggestions else None
        super().__init__(f"no contract named {name!r}", hint=hint, **where)
        self.name = name
        self.suggestions = list(suggestions)


class MessageError(EventproofError):
    """A message that cannot be read as JSON, or cannot be validated at all."""

    area = "message error"


class EnvelopeError(MessageError):
    """A message is not in the AWS envelope it was said to be in."""


class ContractViolation(EventproofError):
    """A message breaks its contract; ``violations`` lists every way, most relevant first."""

    area = "contract violation"

    def __init__(
        self, contract: str, violations: Sequence[Violation], *, file: str | Path | None = None
    ) -> None:
        first = violations[0] if violations else None
        headline = f"message does not conform to {contract}"
        if first is not None:
            headline += f": {first.render()}"
        super().__init__(
            headline,
            contract=contract,
            file=file,
            pointer=first.pointer if first is not None else None,
        )
        self.violations = list(violations)

    def details(self) -> list[str]:
        return [violation.render() for violation in self.violations[1:]]
