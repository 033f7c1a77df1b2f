"""What every contract is, whatever its schema language: metadata, examples, validation."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from eventproof.catalog.refinements import (
    Constraint,
    constraint_violations,
    parse_constraints,
    parse_keys,
    parse_trigger,
)
from eventproof.errors import ContractViolation, MessageError, SchemaError, Violation
from eventproof.recursion import run_deep

__all__ = ["KINDS", "Contract", "ContractMetadata", "Example", "parse_metadata"]

KINDS = ("command", "event", "destination-record", "request", "response")
COMPATIBILITY_MODES = (
    "NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL",
    "FULL_TRANSITIVE",
)
_METADATA_KEYS = ("name", "kind", "version", "summary", "producers", "consumers", "compatibility",
                  "constraints", "key", "trigger")
METADATA_KEY = "x-eventproof"


@dataclass(frozen=True)
class ContractMetadata:
    name: str
    kind: str
    version: str
    summary: str
    producers: tuple[str, ...] = ()
    consumers: tuple[str, ...] = ()
    compatibility: str | None = None  # a mode name; None: the kind's default
    # See eventproof.catalog.refinements: what the schema language cannot say.
    constraints: tuple[Constraint, ...] = ()
    key: tuple[str, ...] | None = None
    # How the message reaches its consumer, by channel: {"eventbridge": {"source",
    # "detail-type"}}, {"sqs": {"queue", "message-group-id"}}, {"sns": {"topic"}}.
    trigger: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Example:
    """One labelled example message from a ``<Name>.examples.yaml`` file."""

    name: str
    message: Any
    valid: bool
    file: Path
    line: int | None = None
    violation: str | None = None  # a JSON pointer an invalid example must be reported at


def parse_metadata(raw: Any, path: Path, *, default_name: str | None = None) -> ContractMetadata:
    """Read and check the ``x-eventproof`` object; each mistake names its key."""

    def fail(key: str, expected: str, found: Any) -> SchemaError:
        pointer = f"/{METADATA_KEY}" + (f"/{key}" if key else "")
        return SchemaError(
            f"contract metadata: expected {expected}, found {found!r}",
            file=path,
            pointer=pointer,
            hint="see contracts/README.md, section Metadata",
        )

    if not isinstance(raw, Mapping):
        raise fail("", "an object", raw)
    unknown = sorted(set(raw) - set(_METADATA_KEYS))
    if unknown:
        raise fail(unknown[0], "only " + ", ".join(_METADATA_KEYS), unknown[0])

    def text(key: str, default: str | None = None) -> str:
        value = raw.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise fail(key, "a non-empty string", value)
        return value

    def names(key: str) -> tuple[str, ...]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise fail(key, "a list of handler names", value)
        return tuple(value)

    kind = text("kind")
    if kind not in KINDS:
        raise fail("kind", "one of " + ", ".join(KINDS), kind)
    compatibility = raw.get("compatibility")
    if compatibility is not None and compatibility not in COMPATIBILITY_MODES:
        raise fail("compatibility", "one of " + ", ".join(COMPATIBILITY_MODES), compatibility)
    return ContractMetadata(
        name=text("name", default_name),
        kind=kind,
        version=str(raw["version"]) if isinstance(raw.get("version"), int | float) else text("version"),
        summary=text("summary"),
        producers=names("producers"),
        consumers=names("consumers"),
        compatibility=compatibility,
        constraints=parse_constraints(raw.get("constraints"), path),
        key=parse_keys(raw.get("key"), path),
        trigger=parse_trigger(raw.get("trigger"), path),
    )


class Contract(ABC):
    """One message type: its metadata, its schema, its examples and its validator.

    ``is_valid`` is the fast path: ``_fast``, a validator each subclass
    compiles once in its ``__init__``, called with nothing in between;
    ``violations`` runs the detailed path only when the fast path says no.
    """

    format: ClassVar[str]
    _fast: Callable[[Any], bool]

    def __init__(self, metadata: ContractMetadata, schema: dict[str, Any], path: Path) -> None:
        self.metadata = metadata
        self.schema = schema
        self.path = path
        self.examples: list[Example] = []
        self.examples_path: Path | None = None

    @property
    def name(self) -> str:
        return self.metadata.name

    @property
    def kind(self) -> str:
        return self.metadata.kind

    @property
    def version(self) -> str:
        return self.metadata.version

    @property
    def summary(self) -> str:
        return self.metadata.summary

    @property
    def producers(self) -> tuple[str, ...]:
        return self.metadata.producers

    @property
    def consumers(self) -> tuple[str, ...]:
        return self.metadata.consumers

    @property
    def compatibility(self) -> str | None:
        """The compatibility mode the contract declares, if any (see ``eventproof compat``)."""
        return self.metadata.compatibility

    @abstractmethod
    def _detailed_violations(self, message: Any) -> list[Violation]: ...

    def is_valid(self, message: Any) -> bool:
        try:
            return self._fast(message)
        except RecursionError:
            raise self._too_deep() from None

    def violations(self, message: Any) -> list[Violation]:
        """Every way ``message`` breaks the contract, most relevant first; [] if it conforms."""
        try:
            # The compiled check directly, not through is_valid: on small valid
            # messages one more call is a measurable share of the time.
            if self._fast(message):
                return []
        except RecursionError:
            raise self._too_deep() from None
        try:
            found: list[Violation] | None = self._detailed_violations(message)
        except RecursionError:
            # The detailed path recurses once per schema it passes through (a chain
            # of 2,000 $refs is 2,000 levels deep whatever the message): retry on a
            # thread with a deep stack before calling the message too deep.
            found = run_deep(self._detailed_violations, message)
            if found is None:
                raise self._too_deep() from None
        # The schema may hold and only an x-eventproof constraint break.
        return found or constraint_violations(message, self.metadata.constraints)

    def check(self, message: Any) -> None:
        """Raise ContractViolation (most relevant violation first) unless ``message`` conforms."""
        found = self.violations(message)
        if found:
            raise ContractViolation(self.name, found, file=None)

    def _too_deep(self) -> MessageError:
        return MessageError(
            "message nests too deeply to validate (deeper than Python's recursion limit)",
            contract=self.name,
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} {self.version} ({self.path})>"
