"""The catalog: every contract found under one folder, by name."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import referencing.exceptions
from referencing import Registry, Resource

from eventproof.catalog.avro_contract import AvroContract, parse_avro_files
from eventproof.catalog.contract import METADATA_KEY, Contract, ContractMetadata, parse_metadata
from eventproof.catalog.examples import ExampleResult, check_example, read_examples
from eventproof.catalog.files import read_json
from eventproof.catalog.ids import check_unique_ids
from eventproof.catalog.jsonschema_contract import (
    JsonSchemaContract,
    check_schema,
    dialect_of,
    schema_problem,
    schema_specification,
)
from eventproof.catalog.refs import check_refs
from eventproof.catalog.sources import SOURCE_SUFFIXES, Documents, read_source, sniff
from eventproof.catalog.sources.plain import PlainDeclaration, plain_metadata, referenced_files
from eventproof.errors import (
    ConfigError,
    ContractLoadError,
    DuplicateContractError,
    ExampleError,
    SchemaError,
    UnknownContractError,
)

__all__ = ["Catalog", "load_catalog"]

JSON_SCHEMA_SUFFIX = ".schema.json"
AVRO_SUFFIX = ".avsc"
EXAMPLES_SUFFIXES = (".examples.yaml", ".examples.yml")


def _stem(path: Path) -> str | None:
    for suffix in (JSON_SCHEMA_SUFFIX, AVRO_SUFFIX, *EXAMPLES_SUFFIXES):
        if path.name.endswith(suffix):
            return path.name[: -len(suffix)]
    return None


def _refuse_retrieval(uri: str) -> Resource[Any]:
    # Every schema the catalog holds is registered up front; anything else is
    # outside it, and we never fetch: a test harness must not touch the network.
    raise referencing.exceptions.NoSuchResource(ref=uri)  # type: ignore[call-arg]


class Catalog:
    """Every contract under one folder; ``catalog["ProcessOrder"]`` gives one by name."""

    def __init__(self, root: Path, contracts: dict[str, Contract], registry: Registry[Any],
                 warnings: list[str] | None = None):
        self.root = root
        self._contracts = dict(sorted(contracts.items()))
        self.registry = registry
        # What the catalog found but did not make a contract of, for ``contracts check``.
        self.warnings: list[str] = list(warnings or [])

    @classmethod
    def load(cls, path: str | Path, *, plain_kind: str | None = None,
             declared: list[PlainDeclaration] | None = None) -> Catalog:
        """Load and check every contract under ``path``; raise a ContractLoadError naming the file.

        ``path`` is a folder (see contracts/README.md), or one AsyncAPI document
        or EventBridge Schema Registry export. ``declared`` makes plain schema
        files contracts by name; ``plain_kind`` makes every plain schema file no
        other one refers to a contract of that kind.
        """
        root = Path(path)
        if not root.exists():
            raise ContractLoadError(f"no such contracts folder: {root}", file=root)
        if not root.is_dir():
            found: dict[str, Contract] = {}
            for contract in read_source(root):
                _add(found, {}, contract)
            empty: Registry[Any] = Registry(retrieve=_refuse_retrieval)  # type: ignore[call-arg]
            return cls(root, found, empty)
        everything = sorted(
            p for p in root.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
        )
        files = [p for p in everything if _stem(p) is not None]
        others = [p for p in everything if _stem(p) is None and p.suffix in SOURCE_SUFFIXES]
        _refuse_escapes(root, files + others)
        json_schemas = {p: _read_schema(p) for p in files if p.name.endswith(JSON_SCHEMA_SUFFIX)}
        avro_schemas = {p: read_json(p) for p in files if p.name.endswith(AVRO_SUFFIX)}

        contracts: dict[str, Contract] = {}
        by_file: dict[Path, Contract] = {}

        def add(contract: Contract) -> None:
            _add(contracts, by_file, contract)

        registry = _json_schema_registry(json_schemas)
        for file, schema in json_schemas.items():
            if METADATA_KEY in schema:
                metadata = parse_metadata(schema[METADATA_KEY], file)
                add(JsonSchemaContract(metadata, schema, file, registry=registry,
                                       uri=file.resolve().as_uri()))

        parsed, named = parse_avro_files(avro_schemas)
        for file, raw in avro_schemas.items():
            if isinstance(raw, dict) and METADATA_KEY in raw:
                if raw.get("type") != "record":
                    raise SchemaError("an Avro contract must be a record schema", file=file,
                                      pointer="/type")
                metadata = parse_metadata(raw[METADATA_KEY], file, default_name=raw.get("name"))
                add(AvroContract(metadata, raw, file, parsed=parsed[file], named_types=named))

        def plain(file: Path, metadata: ContractMetadata) -> None:
            if file in json_schemas:
                add(JsonSchemaContract(metadata, json_schemas[file], file, registry=registry,
                                       uri=file.resolve().as_uri()))
            elif isinstance(avro_schemas[file], dict) and avro_schemas[file].get("type") == "record":
                add(AvroContract(metadata, avro_schemas[file], file, parsed=parsed[file],
                                 named_types=named))
            else:
                raise SchemaError("a plain Avro contract must be a record schema", file=file)

        def by_file_schema(file: Path) -> Any:
            return json_schemas[file] if file in json_schemas else avro_schemas[file]

        by_resolved = {p.resolve(): p for p in (*json_schemas, *avro_schemas)}
        for declaration in declared or []:
            declared_file = by_resolved.get(declaration.file)
            if declared_file is None:
                raise ConfigError(f"contract {declaration.name!r} is declared in {declaration.file}, "
                                  f"which is not a .schema.json or .avsc file under {root}",
                                  file=declaration.file)
            plain(declared_file, plain_metadata(by_file_schema(declared_file), declared_file,
                                                declaration.kind, declaration.name,
                                                declaration.version))

        documents = Documents()
        unread: list[Path] = []
        for file in others:
            if sniff(file, documents) is None:
                unread.append(file)
            else:
                for contract in read_source(file, documents):
                    add(contract)

        used = referenced_files(json_schemas, avro_schemas) | documents.referenced
        loose = [p for p in (*json_schemas, *avro_schemas)
                 if p not in by_file and p.resolve() not in used]
        if plain_kind is not None:
            for file in loose:
                plain(file, plain_metadata(by_file_schema(file), file, plain_kind))
            loose = []
        warnings = [f"{p}: a schema file that is neither a contract (no {METADATA_KEY}) nor "
                    "referenced by one" for p in sorted(loose)]
        warnings += [f"{p}: not read (neither an AsyncAPI document nor an EventBridge Schema "
                     "Registry export)" for p in unread if p.resolve() not in used]
        _attach_examples(files, by_file)
        return cls(root, contracts, registry, warnings)

    def __getitem__(self, name: str) -> Contract:
        contract = self._contracts.get(name)
        if contract is None:
            close = difflib.get_close_matches(name, list(self._contracts), n=3, cutoff=0.6)
            lowered = [n for n in self._contracts if n.lower() == name.lower() and n not in close]
            raise UnknownContractError(name, lowered + close, file=self.root)
        return contract

    def get(self, name: str, default: Contract | None = None) -> Contract | None:
        return self._contracts.get(name, default)

    def __contains__(self, name: object) -> bool:
        return name in self._contracts

    def __iter__(self) -> Iterator[Contract]:
        return iter(self._contracts.values())

    def __len__(self) -> int:
        return len(self._contracts)

    def names(self) -> list[str]:
        return list(self._contracts)

    def check_examples(self) -> list[ExampleResult]:
        """Validate every example: a rejected valid one or an accepted invalid one is not ok."""
        return [check_example(c, example) for c in self for example in c.examples]

    def __repr__(self) -> str:
        return f"<Catalog {self.root} ({len(self)} contracts)>"


def load_catalog(path: str | Path) -> Catalog:
    return Catalog.load(path)


def _add(contracts: dict[str, Contract], by_file: dict[Path, Contract], contract: Contract) -> None:
    if contract.name in contracts:
        first = contracts[contract.name].path
        raise DuplicateContractError(
            f"two contracts are named {contract.name!r}: {first} and {contract.path}",
            file=contract.path,
            pointer=f"/{METADATA_KEY}/name",
            hint="contract names are unique across the catalog; rename one",
        )
    contracts[contract.name] = contract
    by_file[contract.path] = contract


def _refuse_escapes(root: Path, files: list[Path]) -> None:
    """A symbolic link that leads out of the catalog folder is refused, like a ``../`` path."""
    inside = root.resolve()
    for path in files:
        target = path.resolve()
        if not target.is_relative_to(inside):
            raise ContractLoadError(
                f"{path} is a symbolic link to {target}, outside the contracts folder {inside}",
                file=path,
                hint="copy the file into the catalog instead of linking to it",
            )


def _read_schema(path: Path) -> dict[str, Any]:
    schema = read_json(path)
    if not isinstance(schema, dict):
        raise SchemaError(f"a schema file holds a JSON object, found {type(schema).__name__}",
                          file=path, line=1)
    check_schema(schema, path)
    return schema


def _json_schema_registry(schemas: dict[Path, dict[str, Any]]) -> Registry[Any]:
    resources: list[tuple[str, Resource[Any]]] = []
    uris: dict[Path, str] = {}
    for path, schema in schemas.items():
        resource = schema_specification(schema, path).create_resource(schema)
        uris[path] = path.resolve().as_uri()
        resources.append((uris[path], resource))
        if isinstance(schema.get("$id"), str) and "://" in schema["$id"]:
            resources.append((schema["$id"].rstrip("#"), resource))
    check_unique_ids(schemas, uris)
    registry: Registry[Any] = Registry(retrieve=_refuse_retrieval)  # type: ignore[call-arg]
    registry = registry.with_resources(resources).crawl()
    check_refs(schemas, uris, registry,
               lambda target, path: schema_problem(target, dialect_of(schemas[path], path), path))
    return registry


def _attach_examples(files: list[Path], by_file: dict[Path, Contract]) -> None:
    schema_files = {(p.parent, _stem(p)): p for p in files if p.name.endswith((JSON_SCHEMA_SUFFIX, AVRO_SUFFIX))}
    for path in files:
        if not path.name.endswith(EXAMPLES_SUFFIXES):
            continue
        schema_file = schema_files.get((path.parent, _stem(path)))
        contract = by_file.get(schema_file) if schema_file is not None else None
        if contract is None:
            raise ExampleError(
                f"examples file with no contract beside it (expected {_stem(path)}.schema.json "
                f"or {_stem(path)}.avsc with an x-eventproof object in {path.parent})",
                file=path,
            )
        contract.examples = read_examples(path)
        contract.examples_path = path
