"""What a contract's schema language cannot say, stated in its metadata and enforced.

``x-eventproof`` may carry, besides name, kind and the rest:

- ``constraints``: JSON pointer (into the message; ``*`` matches every item
  of an array) -> a few JSON Schema keywords (``minimum``,
  ``exclusiveMinimum``, ``maximum``, ``exclusiveMaximum``, ``minLength``,
  ``maxLength``, ``pattern``). Avro cannot say "positive"; a constraint
  can, and validation and the strategies both honour it.
- ``key``: the JSON pointers of the fields naming the entity a message is
  about (``["/orderId"]``). Multi-message properties draw these from a small
  shared pool so that messages about the same entity are common.
- ``trigger``: how the message travels, for the properties' deliveries:
  ``{"eventbridge": {"source": ..., "detail-type": ...}}``, ``{"sqs":
  {"queue": ..., "message-group-id": ...}}``, ``{"sns": {"topic": ...,
  "message-attributes": {name: string, number or list of strings}}}``,
  ``{"stream": {"event-name": "INSERT" | "MODIFY" | "REMOVE"}}``,
  ``{"api": {"method": ..., "path": ..., "payload-format": "1.0" | "2.0"}}``
  (AsyncAPI bindings and registry exports fill some in too).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from eventproof.errors import SchemaError, Violation, describe_value

__all__ = [
    "Constraint",
    "constraints_as_metadata",
    "parse_constraints",
    "parse_keys",
    "parse_trigger",
    "values_at",
]

_NUMERIC = ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum")
_LENGTH = ("minLength", "maxLength")
_KEYWORDS = (*_NUMERIC, *_LENGTH, "pattern")
_TRIGGER_KINDS = {
    "eventbridge": ("source", "detail-type"),
    "sqs": ("queue", "message-group-id"),
    "sns": ("topic", "message-attributes"),
    "stream": ("event-name",),
    "api": ("method", "path", "payload-format"),
}
# Fields whose value is not any non-empty string: what they admit, and the check.
_TRIGGER_VALUES: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "message-attributes": ("a mapping of attribute name to a string, a number or a list of "
                           "strings", lambda v: isinstance(v, Mapping) and all(
                               isinstance(k, str) and k and _attribute_value(x) for k, x in v.items())),
    "event-name": ("INSERT, MODIFY or REMOVE", lambda v: v in ("INSERT", "MODIFY", "REMOVE")),
    "method": ("POST, PUT, PATCH or ANY", lambda v: isinstance(v, str)
               and v.upper() in ("POST", "PUT", "PATCH", "ANY")),
    "path": ("a path starting with /", lambda v: isinstance(v, str) and v.startswith("/")),
    "payload-format": ("\"1.0\" or \"2.0\"", lambda v: v in ("1.0", "2.0")),
}


def _attribute_value(value: Any) -> bool:
    if isinstance(value, list):
        return all(isinstance(item, str) for item in value)
    return (isinstance(value, str) and bool(value)) or (
        isinstance(value, int | float) and not isinstance(value, bool))


@dataclass(frozen=True)
class Constraint:
    """One refinement at one pointer; ``check(value)`` says what is wrong, or None."""

    pointer: str
    keyword: str
    bound: Any

    def check(self, value: Any) -> str | None:
        if self.keyword in _NUMERIC:
            number = _number(value)
            if number is None:
                return None  # the schema already decides the type
            bound = Decimal(str(self.bound))
            ok = {"minimum": number >= bound, "exclusiveMinimum": number > bound,
                  "maximum": number <= bound, "exclusiveMaximum": number < bound}[self.keyword]
            sign = {"minimum": ">=", "exclusiveMinimum": ">", "maximum": "<=",
                    "exclusiveMaximum": "<"}[self.keyword]
            return None if ok else f"a number {sign} {self.bound}"
        if not isinstance(value, str):
            return None
        if self.keyword == "minLength":
            return None if len(value) >= self.bound else f"at least {self.bound} characters"
        if self.keyword == "maxLength":
            return None if len(value) <= self.bound else f"at most {self.bound} characters"
        return None if re.search(self.bound, value) else f"a string matching {self.bound!r}"


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def values_at(message: Any, pointer: str) -> Iterator[tuple[str, Any]]:
    """(concrete pointer, value) for every place ``pointer`` names (``*``: each array item)."""

    def walk(node: Any, parts: list[str], here: str) -> Iterator[tuple[str, Any]]:
        if not parts:
            yield here, node
            return
        head, rest = parts[0], parts[1:]
        if head == "*" and isinstance(node, list):
            for index, item in enumerate(node):
                yield from walk(item, rest, f"{here}/{index}")
        elif isinstance(node, dict) and head in node:
            yield from walk(node[head], rest, f"{here}/{head.replace('~', '~0').replace('/', '~1')}")
        elif isinstance(node, list) and head.isdigit() and int(head) < len(node):
            yield from walk(node[int(head)], rest, f"{here}/{head}")

    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]] if pointer else []
    yield from walk(message, parts, "")


def refine(fast: Callable[[Any], bool], constraints: tuple[Constraint, ...]) -> Callable[[Any], bool]:
    """The schema's fast check, and then every constraint (unchanged when there is none)."""
    if not constraints:
        return fast

    def checked(message: Any) -> bool:
        return fast(message) and not any(
            c.check(value) for c in constraints for _, value in values_at(message, c.pointer))

    return checked


def constraint_violations(message: Any, constraints: tuple[Constraint, ...]) -> list[Violation]:
    found = []
    for constraint in constraints:
        for where, value in values_at(message, constraint.pointer):
            expected = constraint.check(value)
            if expected is not None:
                found.append(Violation(where, expected, describe_value(value), constraint.keyword,
                                       f"x-eventproof.constraints{constraint.pointer}"))
    return found


def constraints_as_metadata(constraints: tuple[Constraint, ...]) -> dict[str, dict[str, Any]]:
    """The ``x-eventproof.constraints`` object the constraints were read from (for exporters)."""
    found: dict[str, dict[str, Any]] = {}
    for constraint in constraints:
        found.setdefault(constraint.pointer, {})[constraint.keyword] = constraint.bound
    return found


def _fail(path: Path, key: str, expected: str, found: Any) -> SchemaError:
    return SchemaError(f"contract metadata: expected {expected}, found {found!r}", file=path,
                       pointer=f"/x-eventproof/{key}", hint="see contracts/README.md, section Metadata")


def _pointer(text: Any) -> bool:
    return isinstance(text, str) and text.startswith("/")


def parse_constraints(raw: Any, path: Path) -> tuple[Constraint, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, Mapping) or not all(_pointer(p) for p in raw):
        raise _fail(path, "constraints", "a mapping of JSON pointer to keywords", raw)
    found: list[Constraint] = []
    for pointer, keywords in raw.items():
        where = f"constraints/{pointer.lstrip('/')}"
        if not isinstance(keywords, Mapping) or not keywords:
            raise _fail(path, where, "a mapping of " + ", ".join(_KEYWORDS), keywords)
        for keyword, bound in keywords.items():
            if keyword not in _KEYWORDS:
                raise _fail(path, f"{where}/{keyword}", "one of " + ", ".join(_KEYWORDS), keyword)
            numeric = keyword in _NUMERIC and isinstance(bound, int | float) and not isinstance(bound, bool)
            length = keyword in _LENGTH and isinstance(bound, int) and not isinstance(bound, bool) and bound >= 0
            pattern = keyword == "pattern" and isinstance(bound, str) and _compiles(bound)
            if not (numeric or length or pattern):
                raise _fail(path, f"{where}/{keyword}", f"a valid value for {keyword}", bound)
            found.append(Constraint(pointer, keyword, bound))
    return tuple(found)


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def parse_keys(raw: Any, path: Path) -> tuple[str, ...] | None:
    if raw is None:
        return None
    if not isinstance(raw, list) or not raw or not all(_pointer(p) for p in raw):
        raise _fail(path, "key", "a non-empty list of JSON pointers such as /orderId", raw)
    return tuple(raw)


def parse_trigger(raw: Any, path: Path) -> dict[str, dict[str, Any]]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping) or not set(raw) <= set(_TRIGGER_KINDS):
        raise _fail(path, "trigger", "a mapping with " + ", ".join(_TRIGGER_KINDS), raw)
    trigger: dict[str, dict[str, Any]] = {}
    for kind, fields in raw.items():
        allowed = _TRIGGER_KINDS[kind]
        if not isinstance(fields, Mapping) or not set(fields) <= set(allowed):
            raise _fail(path, f"trigger/{kind}", "a mapping of " + ", ".join(allowed), fields)
        for name, value in fields.items():
            expected, admits = _TRIGGER_VALUES.get(
                name, ("a non-empty string", lambda v: isinstance(v, str) and bool(v)))
            if not admits(value):
                raise _fail(path, f"trigger/{kind}/{name}", expected, value)
        trigger[kind] = dict(fields)
    return trigger
