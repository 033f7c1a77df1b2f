"""A pipe's ``InputTemplate``: ``<$.path>`` and ``<aws.pipes.*>`` substitutions.

As AWS documents them
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-input-transformation.html):

- A template that is a JSON object or array renders to JSON. A placeholder
  inside a JSON string is substituted as text (a string as it is, anything
  else as its JSON text, escaped for the string); outside quotes it is
  substituted as its JSON value, so objects and arrays stay structured.
- A template that is one placeholder and nothing else renders to the value.
- Any other template is text: strings go in as they are, other values as
  their JSON text.
- Paths support dot notation, dashes, underscores, alphanumerics, forward
  slashes, array indices and ``*`` wildcards. Encoded payload fields (the
  SQS ``body``) are parsed implicitly when a path reaches into them.

Simplifications: a path that matches nothing renders as ``null`` (or as
nothing inside quotes); AWS leaves that case undocumented.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from eventproof_fakes.errors import FakesError

__all__ = ["InputTemplate", "InvalidInputTemplate", "PipeVariables", "evaluate_path"]

_PLACEHOLDER = re.compile(r"<(\$[^<>\s]*|aws\.pipes\.[A-Za-z.\-]+)>")
_PATH_STEP = re.compile(r"\.([A-Za-z0-9_\-/]+|\*)|\[(\d+|\*)\]")
_RESERVED = (
    "aws.pipes.pipe-arn",
    "aws.pipes.pipe-name",
    "aws.pipes.source-arn",
    "aws.pipes.enrichment-arn",
    "aws.pipes.target-arn",
    "aws.pipes.event.ingestion-time",
    "aws.pipes.event",
    "aws.pipes.event.json",
)


class InvalidInputTemplate(FakesError, ValueError):
    """The template cannot be used; the message names the placeholder and why."""


@dataclass(frozen=True)
class PipeVariables:
    """The values of the reserved ``<aws.pipes.*>`` variables for one event."""

    pipe_arn: str
    pipe_name: str
    source_arn: str
    target_arn: str
    ingestion_time: str
    enrichment_arn: str = ""


@dataclass(frozen=True)
class _Placeholder:
    expression: str
    quoted: bool


class InputTemplate:
    """Parsed once when the pipe is created; ``render`` runs per event."""

    def __init__(self, template: str) -> None:
        self.source = template
        self._parts: list[str | _Placeholder] = list(_split(template))
        placeholders = [p for p in self._parts if isinstance(p, _Placeholder)]
        for placeholder in placeholders:
            _check(placeholder, template)
        self._single = len(self._parts) == 1 and bool(placeholders)
        stripped = template.strip()
        self._json = self._single or (
            stripped[:1] in ("{", "[") and _parses_as_json(self._parts)
        )

    @property
    def is_json(self) -> bool:
        return self._json

    def render(self, event: Any, variables: PipeVariables) -> Any:
        """The transformed event: a JSON value for a JSON template, else a string."""
        if self._single:
            placeholder = self._parts[0]
            assert isinstance(placeholder, _Placeholder)
            return _value(placeholder.expression, event, variables)
        pieces = []
        for part in self._parts:
            if isinstance(part, str):
                pieces.append(part)
                continue
            value = _value(part.expression, event, variables)
            if not self._json:
                pieces.append(_as_text(value))
            elif part.quoted:
                pieces.append(json.dumps(_as_text(value))[1:-1])
            else:
                pieces.append(json.dumps(value))
        text = "".join(pieces)
        return json.loads(text) if self._json else text


def evaluate_path(path: str, event: Any) -> Any:
    """The value at ``path`` (``$.a.b[0]``, ``$.a[*].b``); None when nothing is there."""
    if not path.startswith("$"):
        raise InvalidInputTemplate(f"a JSON path starts with '$', got {path!r}")
    steps = _parse_path(path)
    values = [event]
    wildcard = False
    for key in steps:
        following: list[Any] = []
        for value in values:
            value = _decoded(value)
            if key == "*":
                wildcard = True
                if isinstance(value, dict):
                    following.extend(value.values())
                elif isinstance(value, list):
                    following.extend(value)
            elif isinstance(key, int):
                if isinstance(value, list) and key < len(value):
                    following.append(value[key])
            elif isinstance(value, dict) and key in value:
                following.append(value[key])
        values = following
    if wildcard:
        return values
    return values[0] if values else None


def _parse_path(path: str) -> list[str | int]:
    steps: list[str | int] = []
    position = 1
    while position < len(path):
        match = _PATH_STEP.match(path, position)
        if match is None:
            raise InvalidInputTemplate(
                f"unsupported JSON path {path!r} at character {position + 1}: pipes accept "
                "dot notation, dashes, underscores, alphanumerics, '/', [index] and '*'"
            )
        name, index = match.groups()
        if name is not None:
            steps.append(name)
        else:
            steps.append("*" if index == "*" else int(index))
        position = match.end()
    return steps


def _decoded(value: Any) -> Any:
    """A JSON string field (an SQS body) read as the JSON it holds, as pipes do implicitly."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _event_json(event: Any) -> Any:
    if isinstance(event, dict):
        return {key: _decoded(value) if key in ("body", "data") else value for key, value in event.items()}
    return _decoded(event)


def _value(expression: str, event: Any, variables: PipeVariables) -> Any:
    if expression.startswith("$"):
        return evaluate_path(expression, event)
    if expression == "aws.pipes.event":
        return json.dumps(event, separators=(",", ":"))
    if expression == "aws.pipes.event.json":
        return _event_json(event)
    return {
        "aws.pipes.pipe-arn": variables.pipe_arn,
        "aws.pipes.pipe-name": variables.pipe_name,
        "aws.pipes.source-arn": variables.source_arn,
        "aws.pipes.enrichment-arn": variables.enrichment_arn,
        "aws.pipes.target-arn": variables.target_arn,
        "aws.pipes.event.ingestion-time": variables.ingestion_time,
    }[expression]


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)


def _split(template: str) -> Iterator[str | _Placeholder]:
    """Literal text and placeholders, each placeholder knowing whether it sits inside a JSON string."""
    quoted = False
    position = 0
    index = 0
    while index < len(template):
        char = template[index]
        if char == "\\" and quoted:
            index += 2
            continue
        if char == '"':
            quoted = not quoted
        elif char == "<":
            match = _PLACEHOLDER.match(template, index)
            if match is not None:
                if index > position:
                    yield template[position:index]
                yield _Placeholder(match.group(1), quoted)
                position = index = match.end()
                continue
        index += 1
    if position < len(template):
        yield template[position:]


def _check(placeholder: _Placeholder, template: str) -> None:
    expression = placeholder.expression
    if expression.startswith("$"):
        _parse_path(expression)
    elif expression not in _RESERVED:
        raise InvalidInputTemplate(
            f"unknown reserved variable <{expression}> in InputTemplate {template!r}; "
            f"expected one of {', '.join(f'<{name}>' for name in _RESERVED)}"
        )
    elif expression == "aws.pipes.event.json" and placeholder.quoted:
        raise InvalidInputTemplate(
            "<aws.pipes.event.json> is not escaped, so it can only be a JSON field's value, "
            f"not part of a string, in InputTemplate {template!r}"
        )


def _parses_as_json(parts: list[str | _Placeholder]) -> bool:
    probe = "".join(
        part if isinstance(part, str) else ("x" if part.quoted else "null") for part in parts
    )
    try:
        json.loads(probe)
    except ValueError:
        return False
    return True
