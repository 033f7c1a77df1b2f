"""What a compatibility check finds: each incompatibility with its place, rule and evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from eventproof.compat.modes import Direction

__all__ = ["Incompatibility", "Witness"]


@dataclass(frozen=True)
class Witness:
    """A concrete message the writer admits and the reader does not, with the first reason."""

    message: Any
    reason: str


@dataclass(frozen=True)
class Incompatibility:
    """One way ``reader`` cannot read what ``writer`` admits.

    ``path`` is a JSON pointer into the schema (``/properties/amount/type``,
    or ``/fields/amount/type`` for Avro); ``rule`` names the rule that
    applied (``type-narrowed``, ``reader-field-without-default``, ...).
    """

    path: str
    rule: str
    detail: str
    witness: Witness | None = field(default=None, compare=False)
    # (writer subschema, reader subschema) at ``path``: what witnesses are built from.
    context: Any = field(default=None, compare=False, repr=False)

    def render(self) -> str:
        return f"{self.path or '/'}: {self.rule}: {self.detail}"


@dataclass(frozen=True)
class DirectionResult:
    """One direction of one comparison: the findings and the generated evidence."""

    direction: Direction
    writer_version: str
    reader_version: str
    findings: tuple[Incompatibility, ...]
    evidence: Witness | None
    examples_tried: int
    note: str = ""  # e.g. why no messages could be generated (then only the examples were tried)

    @property
    def compatible(self) -> bool:
        return not self.findings
