"""The parsed forms of DynamoDB expressions: small immutable nodes.

A tree holds references (``#name``, ``:value``) unresolved, so one parse of an
expression string serves every request that uses it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# A path element: a bare name, a ``#ref`` or a list index.
PathElement = tuple[str, str | int]  # ("name", "a") | ("ref", "#a") | ("index", 3)


@dataclass(frozen=True, slots=True)
class Path:
    elements: tuple[PathElement, ...]


@dataclass(frozen=True, slots=True)
class ValueRef:
    name: str


@dataclass(frozen=True, slots=True)
class Size:
    path: Path


@dataclass(frozen=True, slots=True)
class Function:
    """A boolean function: attribute_exists, attribute_not_exists, attribute_type,
    begins_with, contains."""

    name: str
    args: tuple[Operand, ...]


@dataclass(frozen=True, slots=True)
class Compare:
    operator: str
    left: Operand
    right: Operand


@dataclass(frozen=True, slots=True)
class Between:
    operand: Operand
    low: Operand
    high: Operand


@dataclass(frozen=True, slots=True)
class In:
    operand: Operand
    options: tuple[Operand, ...]


@dataclass(frozen=True, slots=True)
class And:
    left: Condition
    right: Condition


@dataclass(frozen=True, slots=True)
class Or:
    left: Condition
    right: Condition


@dataclass(frozen=True, slots=True)
class Not:
    operand: Condition


Operand = Path | ValueRef | Size
Condition = Function | Compare | Between | In | And | Or | Not


# --- update expressions -----------------------------------------------------
@dataclass(frozen=True, slots=True)
class Arithmetic:
    operator: str  # "+" or "-"
    left: UpdateValue
    right: UpdateValue


@dataclass(frozen=True, slots=True)
class IfNotExists:
    path: Path
    default: UpdateValue


@dataclass(frozen=True, slots=True)
class ListAppend:
    first: UpdateValue
    second: UpdateValue


UpdateValue = Path | ValueRef | Arithmetic | IfNotExists | ListAppend


@dataclass(frozen=True, slots=True)
class UpdateActions:
    sets: tuple[tuple[Path, UpdateValue], ...] = ()
    removes: tuple[Path, ...] = ()
    adds: tuple[tuple[Path, ValueRef], ...] = ()
    deletes: tuple[tuple[Path, ValueRef], ...] = ()


@dataclass(frozen=True, slots=True)
class Parsed:
    """One parsed expression and the references it uses."""

    kind: str  # "ConditionExpression", "UpdateExpression", ...
    tree: Condition | UpdateActions | tuple[Path, ...]
    names: frozenset[str] = field(default_factory=frozenset)
    values: frozenset[str] = field(default_factory=frozenset)
