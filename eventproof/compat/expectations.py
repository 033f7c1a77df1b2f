"""Consumer expectations: what a consumer relies on, beyond what a schema can say.

A consumer keeps, beside its code, a ``<anything>.expects.yaml``::

    consumer: shipping
    contract: OrderPlaced
    reads: [/orderId, /placedAt]          # must always be present
    values:                               # what a value must look like (JSON Schema)
      /placedAt: {type: integer, maximum: 4102444800}   # epoch *seconds*
    handles:                              # the values it knows what to do with
      /status: [NEW, PAID]
    examples:                             # messages it must accept (verify runs them)
      - name: a paid order
        message: {orderId: "...", placedAt: 1700000000, status: PAID}
        outcome: {shipped: true}

A schema-compatible change can still break it: a field it reads becoming
optional, an enum gaining a value it does not handle, or a change of meaning
only (seconds to milliseconds) that the producer's own examples show and
``values`` catches.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from eventproof.catalog import AvroContract, Contract
from eventproof.catalog.files import read_text
from eventproof.errors import ConfigError, short_repr

__all__ = ["Expectation", "ExpectationProblem", "check_expectation", "find_expectations", "load_expectation"]

SUFFIX = ".expects.yaml"
_KEYS = {"consumer", "contract", "reads", "values", "handles", "examples"}
_SKIP_DIRS = {".git", ".tox", ".venv", "venv", "node_modules", "__pycache__", "site", "build", "dist"}


@dataclass(frozen=True)
class ExpectationExample:
    name: str
    message: Any
    outcome: Any = None


@dataclass(frozen=True)
class Expectation:
    consumer: str
    contract: str
    file: Path
    reads: tuple[str, ...] = ()
    values: Mapping[str, Any] = field(default_factory=dict)
    handles: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    examples: tuple[ExpectationExample, ...] = ()


@dataclass(frozen=True)
class ExpectationProblem:
    """One way a contract version breaks a consumer's expectation."""

    pointer: str
    rule: str
    detail: str
    message: Any = None

    def render(self) -> str:
        shown = f" (e.g. {short_repr(self.message, 120)})" if self.message is not None else ""
        return f"{self.pointer or '/'}: {self.rule}: {self.detail}{shown}"


def find_expectations(root: Path) -> list[Expectation]:
    """Every ``*.expects.yaml`` under ``root`` (tool and virtualenv folders skipped)."""
    return [load_expectation(path) for path in sorted(_walk(root))]


def _walk(folder: Path) -> Iterator[Path]:
    for entry in folder.iterdir():
        if entry.is_dir() and entry.name not in _SKIP_DIRS and not entry.name.startswith("."):
            yield from _walk(entry)
        elif entry.is_file() and entry.name.endswith(SUFFIX):
            yield entry


def load_expectation(path: Path) -> Expectation:
    """Read and check one expectation file; each mistake names the file and the key."""
    try:
        raw = yaml.safe_load(read_text(path, error=ConfigError))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ConfigError(f"malformed YAML: {getattr(error, 'problem', error)}", file=path,
                          line=mark.line + 1 if mark else None) from None

    def fail(key: str, expected: str) -> ConfigError:
        return ConfigError(f"consumer expectation: expected {expected}", file=path,
                           pointer=f"/{key}" if key else "",
                           hint="see `eventproof compat --help` and docs/compat.md")

    if not isinstance(raw, dict):
        raise fail("", "a mapping with consumer, contract, reads, values, handles, examples")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise fail(unknown[0], "only " + ", ".join(sorted(_KEYS)))
    for key in ("consumer", "contract"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise fail(key, "a non-empty string")
    reads = raw.get("reads", [])
    if not isinstance(reads, list) or not all(isinstance(p, str) and _is_pointer(p) for p in reads):
        raise fail("reads", "a list of JSON pointers such as /orderId")
    values = raw.get("values", {})
    if not isinstance(values, dict) or not all(_is_pointer(p) and isinstance(s, dict | bool)
                                               for p, s in values.items()):
        raise fail("values", "a mapping of JSON pointer to a JSON Schema")
    for pointer, schema in values.items():
        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as error:
            raise fail(f"values/{pointer.lstrip('/')}", f"a valid JSON Schema ({error.message})") from None
    handles = raw.get("handles", {})
    if not isinstance(handles, dict) or not all(_is_pointer(p) and isinstance(v, list)
                                                for p, v in handles.items()):
        raise fail("handles", "a mapping of JSON pointer to the list of values handled")
    examples = raw.get("examples", [])
    if not isinstance(examples, list) or not all(isinstance(e, dict) and "message" in e
                                                 and set(e) <= {"name", "message", "outcome"}
                                                 for e in examples):
        raise fail("examples", "a list of {name, message, outcome}")
    return Expectation(
        consumer=raw["consumer"], contract=raw["contract"], file=path, reads=tuple(reads),
        values=dict(values), handles={p: tuple(v) for p, v in handles.items()},
        examples=tuple(ExpectationExample(str(e.get("name", f"example {i + 1}")), e["message"],
                                          e.get("outcome")) for i, e in enumerate(examples)),
    )


def check_expectation(expectation: Expectation, contract: Contract | None,
                      messages: list[Any]) -> list[ExpectationProblem]:
    """Every way ``contract`` (with ``messages`` it admits) breaks ``expectation``.

    ``values`` are checked against the contract's own valid examples only:
    they show what the producer means (seconds or milliseconds), where a
    generated message only shows what the schema allows.
    """
    if contract is None:
        return [ExpectationProblem("", "contract-gone", f"no contract named {expectation.contract!r}")]
    problems: list[ExpectationProblem] = []
    for pointer in expectation.reads:
        if not _always_present(contract, pointer):
            problems.append(ExpectationProblem(pointer, "read-field-optional",
                                               "the contract no longer guarantees this field",
                                               _first(messages, lambda m, p=pointer: _get(m, p) is _ABSENT)))
    meant = [example.message for example in contract.examples if example.valid]
    for pointer, schema in expectation.values.items():
        validator = jsonschema.Draft202012Validator(schema)
        bad = _first(meant, lambda m, p=pointer, check=validator: (v := _get(m, p)) is not _ABSENT
                     and not check.is_valid(v))
        if bad is not None:
            error = next(validator.iter_errors(_get(bad, pointer)))
            problems.append(ExpectationProblem(pointer, "value-unexpected",
                                               f"the producer's example has {error.message}", bad))
    for pointer, handled in expectation.handles.items():
        unhandled = [v for v in _enum_at(contract, pointer) if v not in handled]
        witness = _first(messages, lambda m, p=pointer, known=handled: (v := _get(m, p)) is not _ABSENT
                         and v not in known)
        if unhandled or witness is not None:
            shown = unhandled or [_get(witness, pointer)]
            problems.append(ExpectationProblem(pointer, "value-not-handled",
                                               f"the contract admits {', '.join(map(repr, shown))}, "
                                               "which the consumer does not handle", witness))
    for example in expectation.examples:
        violations = contract.violations(example.message)
        if violations:
            problems.append(ExpectationProblem("", "example-rejected",
                                               f"{example.name!r}: {violations[0].render()}", example.message))
    return problems


_ABSENT = object()


def _first(messages: list[Any], predicate: Any) -> Any:
    return next((m for m in messages if predicate(m)), None)


def _is_pointer(text: Any) -> bool:
    return isinstance(text, str) and (text == "" or text.startswith("/"))


def _parts(pointer: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]


def _get(message: Any, pointer: str) -> Any:
    node = message
    for part in _parts(pointer):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return _ABSENT
    return node


def _always_present(contract: Contract, pointer: str) -> bool:
    if isinstance(contract, AvroContract):
        schema: Any = contract.parsed
        for part in _parts(pointer):
            schema = _avro_record(schema, contract.named_types)
            fields = {f["name"]: f for f in schema.get("fields", [])} if isinstance(schema, dict) else {}
            if part not in fields or _nullable(fields[part]["type"]):
                return False
            schema = fields[part]["type"]
        return True
    schema, resolver = contract.schema, contract.resolver()  # type: ignore[attr-defined]
    for part in _parts(pointer):
        schema, resolver = _deref(schema, resolver)
        if not isinstance(schema, dict) or part not in schema.get("required", []):
            return False
        schema = schema.get("properties", {}).get(part, True)
    return True


def _enum_at(contract: Contract, pointer: str) -> list[Any]:
    if isinstance(contract, AvroContract):
        schema: Any = contract.parsed
        for part in _parts(pointer):
            schema = _avro_record(schema, contract.named_types)
            fields = {f["name"]: f for f in schema.get("fields", [])} if isinstance(schema, dict) else {}
            if part not in fields:
                return []
            schema = fields[part]["type"]
        schema = _avro_record(schema, contract.named_types)
        return list(schema.get("symbols", [])) if isinstance(schema, dict) else []
    schema, resolver = contract.schema, contract.resolver()  # type: ignore[attr-defined]
    for part in _parts(pointer):
        schema, resolver = _deref(schema, resolver)
        schema = schema.get("properties", {}).get(part, {}) if isinstance(schema, dict) else {}
    schema, _ = _deref(schema, resolver)
    if isinstance(schema, dict):
        return list(schema.get("enum", [schema["const"]] if "const" in schema else []))
    return []


def _deref(schema: Any, resolver: Any) -> tuple[Any, Any]:
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        resolved = resolver.lookup(schema["$ref"])
        schema, resolver = resolved.contents, resolved.resolver
    return schema, resolver


def _avro_record(schema: Any, names: Mapping[str, Any]) -> Any:
    if isinstance(schema, str):
        return names.get(schema, schema)
    if isinstance(schema, list):
        branches = [_avro_record(b, names) for b in schema if b != "null"]
        return branches[0] if len(branches) == 1 else schema
    return schema


def _nullable(schema: Any) -> bool:
    return isinstance(schema, list) and "null" in schema
