"""Generated evidence: concrete messages one version admits and the other rejects.

Every structural finding is backed by a *witness* when one exists: a message
built from a writer-valid base (the contract's own valid examples and
messages generated from it with the contract strategies) by changing the one
place the finding names, then checked for real: the writer must accept it
and the reader reject it (JSON Schema: the reader's validator; Avro:
fastavro writing with the writer's schema and reading with the reader's).
Generated messages are also checked as they are, which catches what no rule
names (``undecided`` findings).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from eventproof.compat.findings import Incompatibility, Witness

__all__ = ["generated_batches", "generated_messages", "json_witness"]

_SUPPRESS = list(HealthCheck)


def generated_messages(strategy: st.SearchStrategy[Any], count: int, seed: int = 0) -> list[Any]:
    """``count`` messages drawn from ``strategy``, the same ones on every run for one seed."""
    if count <= 0:
        return []
    drawn: list[Any] = []

    @settings(max_examples=count, database=None, derandomize=True, phases=[Phase.generate],
              suppress_health_check=_SUPPRESS, deadline=None)
    @given(strategy)
    def collect(message: Any) -> None:
        drawn.append(message)

    collect._hypothesis_internal_use_seed = seed  # type: ignore[attr-defined]
    collect()
    return drawn


def generated_batches(strategies: list[st.SearchStrategy[Any]], count: int, seed: int = 0,
                      group: int = 16) -> list[list[Any]]:
    """``count`` messages from each strategy, drawn ``group`` strategies per hypothesis run.

    Starting hypothesis's engine costs tens of milliseconds, drawing one
    message well under one: a catalog's hundreds of versions share runs.
    A message a draw could not complete (hypothesis's size limit) is
    simply not there, so a list may be shorter than ``count``.
    """
    drawn: list[list[Any]] = [[] for _ in strategies]
    if count <= 0:
        return drawn
    for start in range(0, len(strategies), group):
        _collect_group(list(enumerate(strategies))[start:start + group], drawn, count, seed)
    return drawn


def _collect_group(members: list[tuple[int, Any]], drawn: list[list[Any]], count: int, seed: int) -> None:
    @settings(max_examples=count, database=None, derandomize=True, phases=[Phase.generate],
              suppress_health_check=_SUPPRESS, deadline=None)
    @given(st.data())
    def collect(data: st.DataObject) -> None:
        for index, strategy in members:
            drawn[index].append(data.draw(strategy))

    collect._hypothesis_internal_use_seed = seed  # type: ignore[attr-defined]
    collect()


Accepts = Callable[[Any], bool]
FirstReason = Callable[[Any], str]

_SAMPLES_BY_TYPE: dict[str, list[Any]] = {
    "null": [None],
    "boolean": [True, False],
    "integer": [0, 1, -1, 7],
    "number": [1.5, 0.5, -2.25],
    "string": ["x", "", "eventproof"],
    "array": [[]],
    "object": [{}],
}
_STRINGS = [
    "x", "", "eventproof", "123", "not a value", "2024-01-01", "2024-01-01T00:00:00Z",
    "0f6f1a9e-4e2b-4c8a-9a7e-2f1d3c4b5a69", "someone@example.com", "https://example.com/x",
    "ABC", "abc-123", "a b", "UNLISTED",
]


def json_witness(
    finding: Incompatibility,
    bases: list[Any],
    writer_accepts: Accepts,
    reader_violations: Callable[[Any], list[Any]],
) -> tuple[Any, Any] | None:
    """(message, violation): the writer accepts the message, the reader rejects it there.

    The best witness is rejected at the place the finding names and by its
    keyword; failing that, at that place; failing that, anywhere.
    ``reader_violations`` gives the reader's ``Violation`` list ([] when it
    accepts). Bases the reader accepts as they are come first.
    """
    tokens = _tokens(finding.path)
    leaf, location = _split_leaf(tokens)
    keyword = _keyword_of(finding.rule, tokens)
    ordered = sorted(bases, key=lambda base: bool(reader_violations(base)))
    ranked: dict[int, tuple[Any, Any]] = {}
    for base in ordered:
        for target, pointer in _places(base, location):
            if leaf[:1] in (["required"], ["properties"]):
                pointer = f"{pointer}/{_escape(leaf[1])}"
            for candidate in _mutations(finding, leaf, base, target, bases):
                if not writer_accepts(candidate):
                    continue
                for violation in reader_violations(candidate):
                    here = violation.pointer == pointer or violation.pointer.startswith(pointer + "/")
                    rank = 0 if here and violation.keyword == keyword else 1 if here else 2
                    ranked.setdefault(rank, (candidate, violation))
                if 0 in ranked:
                    return ranked[0]
    return ranked.get(1) or ranked.get(2)


def _keyword_of(rule: str, tokens: list[str]) -> str:
    if rule == "property-removed-closed":
        return "additionalProperties"
    if len(tokens) >= 2 and tokens[-2] == "required":
        return "required"
    return tokens[-1] if tokens else ""


def first_rejected(messages: list[Any], writer_accepts: Accepts, reader_accepts: Accepts) -> Any | None:
    """The first message the writer accepts and the reader does not."""
    for message in messages:
        if writer_accepts(message) and not reader_accepts(message):
            return message
    return None


def make_witness(message: Any, reason: FirstReason) -> Witness:
    return Witness(message, reason(message))


# --- from a schema path to places in a message --------------------------------
_LEAVES = {
    "type", "enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "multipleOf", "minLength", "maxLength", "pattern", "format", "minItems", "maxItems",
    "uniqueItems", "minProperties", "maxProperties", "additionalProperties",
}


def _tokens(pointer: str) -> list[str]:
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]] if pointer else []


def _split_leaf(tokens: list[str]) -> tuple[list[str], list[str]]:
    """(the finding's own keyword tokens, the schema path to the value it constrains)."""
    if len(tokens) >= 2 and tokens[-2] in ("required", "properties") and (
        len(tokens) < 3 or tokens[-3] != "properties"
    ):
        return tokens[-2:], tokens[:-2]
    if tokens and tokens[-1] in _LEAVES:
        return tokens[-1:], tokens[:-1]
    return [], tokens


def _places(message: Any, schema_path: list[str]) -> Iterator[tuple[tuple[Any, Any], str]]:
    """((root, (value, slot)), message pointer) where ``schema_path`` points, on a copy."""
    copied = copy.deepcopy(message)
    yield from _walk(copied, copied, schema_path, None, "")


def _walk(root: Any, node: Any, path: list[str], key: Any, pointer: str
          ) -> Iterator[tuple[tuple[Any, Any], str]]:
    if not path:
        yield (root, (node, key)), pointer
        return
    head, rest = path[0], path[1:]
    if head == "properties" and rest and isinstance(node, dict) and rest[0] in node:
        yield from _walk(root, node[rest[0]], rest[1:], (node, rest[0]),
                         f"{pointer}/{_escape(rest[0])}")
    elif head == "properties" and len(rest) == 1 and isinstance(node, dict):
        # an optional property the base left out
        yield (root, (_MISSING, (node, rest[0]))), f"{pointer}/{_escape(rest[0])}"
    elif head == "items" and isinstance(node, list) and node:
        yield from _walk(root, node[0], rest, (node, 0), f"{pointer}/0")
    elif head == "additionalProperties" and isinstance(node, dict):
        yield from _walk(root, "x", rest, (node, "eventproofExtra"), f"{pointer}/eventproofExtra")


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _mutations(finding: Incompatibility, leaf: list[str], base: Any, target: tuple[Any, Any],
               bases: list[Any]) -> Iterator[Any]:
    root, (value, slot) = target
    writer_sub, reader_sub = finding.context if isinstance(finding.context, tuple) else ({}, {})
    writer_sub = writer_sub if isinstance(writer_sub, dict) else {}
    reader_sub = reader_sub if isinstance(reader_sub, dict) else {}

    def put(new: Any) -> Any:
        if slot is None:
            return copy.deepcopy(new)
        container, key = slot
        saved = container.get(key, _MISSING) if isinstance(container, dict) else container[key]
        container[key] = copy.deepcopy(new)
        result = copy.deepcopy(root)
        if saved is _MISSING:
            del container[key]
        else:
            container[key] = saved
        return result

    if leaf[:1] == ["required"] and isinstance(value, dict):
        yield put({k: v for k, v in value.items() if k != leaf[1]})
        return
    if leaf[:1] == ["properties"] and isinstance(value, dict):
        for candidate in _values_seen(bases, leaf[1]) + _by_schema(writer_sub):
            yield put({**value, leaf[1]: candidate})
        return
    if leaf == ["additionalProperties"] and isinstance(value, dict):
        extras: tuple[Any, ...] = ("x", 1, True, None, {})
        for extra in extras:
            yield put({**value, "eventproofExtra": extra})
        return
    if value is not _MISSING:
        yield put(value)  # the base's own value may already be what the reader refuses
    for candidate in _value_candidates(finding.rule, writer_sub, reader_sub, value):
        yield put(candidate)


_MISSING = object()


def _values_seen(bases: list[Any], name: str) -> list[Any]:
    return [b[name] for b in bases if isinstance(b, dict) and name in b][:5]


def _by_schema(schema: dict[str, Any]) -> list[Any]:
    if "enum" in schema:
        return list(schema["enum"])
    if "const" in schema:
        return [schema["const"]]
    kinds = schema.get("type", list(_SAMPLES_BY_TYPE))
    kinds = [kinds] if isinstance(kinds, str) else kinds
    return [v for kind in kinds for v in _SAMPLES_BY_TYPE.get(kind, [])] + _STRINGS


def _value_candidates(rule: str, writer: dict[str, Any], reader: dict[str, Any], current: Any) -> list[Any]:
    if rule == "enum-narrowed":
        allowed = [reader["const"]] if "const" in reader else reader.get("enum", [])
        return [v for v in ([writer["const"]] if "const" in writer else writer.get("enum", []))
                if v not in allowed]
    if rule in ("minimum-raised", "maximum-lowered", "multipleOf-tightened"):
        return _numbers(writer, reader, current)
    if rule in ("minLength-raised", "maxLength-lowered"):
        lengths = range(0, int(reader.get("maxLength", 0)) + 2)
        return ["a" * n for n in lengths][:64] + ["a" * n for n in range(0, int(reader.get("minLength", 0)))]
    if rule in ("minItems-raised", "maxItems-lowered", "uniqueItems-added") and isinstance(current, list):
        first = current[:1] or [None]
        return [current[:n] for n in range(len(current))] + [current + first * n for n in range(1, 4)]
    if rule in ("minProperties-raised", "maxProperties-lowered") and isinstance(current, dict):
        return [{}, dict(list(current.items())[:1]), {**current, "eventproofExtra": "x"}]
    return _by_schema(writer) + [v for vs in _SAMPLES_BY_TYPE.values() for v in vs]


def _numbers(writer: dict[str, Any], reader: dict[str, Any], current: Any) -> list[Any]:
    points: list[float] = []
    for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        for schema in (writer, reader):
            value = schema.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                points.append(value)
    step = writer.get("multipleOf")
    candidates: list[Any] = []
    for point in points:
        candidates += [point, point - 1, point + 1, point - 0.5, point + 0.5]
    if step:
        candidates += [step * k for k in range(-3, 6)]
    if isinstance(current, int | float) and not isinstance(current, bool):
        candidates += [current, current + 1, current - 1]
    candidates += [0, 1, -1, 0.5, 1.5, 3, 1000, -1000]
    integers_only = writer.get("type") == "integer"
    out: list[Any] = []
    for value in candidates:
        if integers_only:
            if float(value).is_integer():
                out.append(int(value))
        else:
            out.append(int(value) if float(value).is_integer() else value)
    return out
