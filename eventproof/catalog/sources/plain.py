"""Plain schema files (no ``x-eventproof``) as contracts, and the ones nothing uses.

Two ways to make a plain file a contract:

- ``[tool.eventproof.contracts]`` in pyproject.toml maps a contract name to a
  file (relative to pyproject.toml) and a kind:
  ``OrderPlaced = { file = "schemas/order-placed.schema.json", kind = "event" }``;
- ``eventproof contracts check --plain KIND``: every plain file no other schema
  refers to is a contract of that kind, named by its ``title`` (JSON Schema) or
  record ``name`` (Avro), else by its file name.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from eventproof.catalog.contract import KINDS, ContractMetadata
from eventproof.errors import ConfigError

__all__ = ["PlainDeclaration", "plain_metadata", "read_declarations", "referenced_files"]

TABLE = "[tool.eventproof.contracts]"


@dataclass(frozen=True)
class PlainDeclaration:
    name: str
    file: Path
    kind: str
    version: str = "1"


def read_declarations(pyproject: Path) -> list[PlainDeclaration]:
    """The ``[tool.eventproof.contracts]`` table of ``pyproject``; [] if it has none."""
    try:
        settings = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as error:
        raise ConfigError(f"cannot read {pyproject}: {error}", file=pyproject) from None
    table = settings.get("tool", {}).get("eventproof", {}).get("contracts", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{TABLE} must be a table of contract names", file=pyproject)
    declarations: list[PlainDeclaration] = []
    for name, entry in table.items():
        where = f"{TABLE} {name}"
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise ConfigError(f"{where}: expected {{ file = \"path\", kind = \"event\" }}, "
                              f"found {entry!r}", file=pyproject)
        unknown = sorted(set(entry) - {"file", "kind", "version"})
        if unknown:
            raise ConfigError(f"{where}: unknown key {unknown[0]!r} (expected file, kind, version)",
                              file=pyproject)
        kind = entry.get("kind")
        if kind not in KINDS:
            raise ConfigError(f"{where}: kind must be one of {', '.join(KINDS)}, found {kind!r}",
                              file=pyproject)
        file = (pyproject.parent / entry["file"]).resolve()
        if not file.is_file():
            raise ConfigError(f"{where}: no such file {file}", file=pyproject)
        declarations.append(PlainDeclaration(name, file, kind, str(entry.get("version", "1"))))
    return declarations


def plain_metadata(schema: Any, file: Path, kind: str, name: str | None = None,
                   version: str = "1") -> ContractMetadata:
    if kind not in KINDS:
        raise ConfigError(f"--plain: kind must be one of {', '.join(KINDS)}, found {kind!r}")
    named = schema.get("title") or schema.get("name") if isinstance(schema, dict) else None
    stem = file.name.split(".")[0]
    if isinstance(named, str) and "." in named and "title" not in schema:
        named = named.rsplit(".", 1)[-1]  # an Avro full name: the record's own name
    name = name or (named if isinstance(named, str) and named.strip() else stem)
    summary = schema.get("description") or schema.get("doc") if isinstance(schema, dict) else None
    return ContractMetadata(name=name, kind=kind, version=version,
                            summary=str(summary or f"{name}, from the plain schema file {file.name}"))


def _strings(node: Any) -> Iterable[tuple[str | None, str]]:
    stack: list[tuple[str | None, Any]] = [(None, node)]
    while stack:
        key, value = stack.pop()
        if isinstance(value, str):
            yield key, value
        elif isinstance(value, dict):
            stack.extend(value.items())
        elif isinstance(value, list):
            stack.extend((key, item) for item in value)


def referenced_files(json_schemas: dict[Path, Any], avro_schemas: dict[Path, Any]) -> set[Path]:
    """Schema files some other schema file refers to (JSON ``$ref`` by path, Avro type name)."""
    used: set[Path] = set()
    for file, schema in json_schemas.items():
        for key, value in _strings(schema):
            if key == "$ref" and urlsplit(value).scheme in ("", "file"):
                target = unquote(value.partition("#")[0])
                if target:
                    used.add((file.parent / target).resolve())
    by_name: dict[str, Path] = {}
    for file, schema in avro_schemas.items():
        if isinstance(schema, dict) and isinstance(schema.get("name"), str):
            full = schema["name"] if "." in schema["name"] or not schema.get("namespace") \
                else f"{schema['namespace']}.{schema['name']}"
            by_name[full] = file.resolve()
    for file, schema in avro_schemas.items():
        for _, value in _strings(schema):
            named = by_name.get(value)
            if named is not None and named != file.resolve():
                used.add(named)
    return used
