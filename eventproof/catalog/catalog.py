"""The catalog: every contract found under one folder, by name."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import referencing.exceptions
from referencing import Registry, Resource

from eventproof.catalog.avro_contract import AvroContract, parse_avro_files
from eventproof.catalog.contract import METADATA_KEY, Contract, parse_metadata
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
from eventproof.errors import (
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

    def __init__(self, root: Path, contracts: dict[str, Contract], registry: Registry[Any]):
        self.root = root
        self._contracts = dict(sorted(contracts.items()))
        self.registry = registry

    @classmethod
    def load(cls, path: str | Path) -> Catalog:
        """Load and check every contract under ``path``; raise a ContractLoadError naming the file."""
        root = Path(path)
        if not root.exists():
            raise ContractLoadError(f"no such contracts folder: {root}", file=root)
        if not root.is_dir():
            raise ContractLoadError(f"expected a folder of contracts, found a file: {root}", file=root)
        files = sorted(
            p for p in root.rglob("*")
            if p.is_file() and _stem(p) is not None
            and not any(part.startswith(".") for part in p.relative_to(root).parts)
        )
        _refuse_escapes(root, files)
        json_schemas = {p: _read_schema(p) for p in files if p.name.endswith(JSON_SCHEMA_SUFFIX)}
        avro_schemas = {p: read_json(p) for p in files if p.name.endswith(AVRO_SUFFIX)}

        contracts: dict[str, Contract] = {}
        by_file: dict[Path, Contract] = {}

        def add(contract: Contract) -> None:
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

        _attach_examples(files, by_file)
        return cls(root, contracts, registry)

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
