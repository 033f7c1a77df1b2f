"""Turn a schema read from another tool's document into the catalog's Contract objects."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import fastavro
from fastavro.schema import SchemaParseException, UnknownType
from referencing import Registry

from eventproof.catalog.avro_contract import AvroContract
from eventproof.catalog.contract import Contract, ContractMetadata
from eventproof.catalog.jsonschema_contract import (
    JsonSchemaContract,
    check_schema,
    schema_specification,
)
from eventproof.errors import RefError, SchemaError

__all__ = ["avro_contract", "check_discriminators", "json_schema_contract"]


def json_schema_contract(
    metadata: ContractMetadata, schema: dict[str, Any], path: Path, place: str
) -> JsonSchemaContract:
    """A contract from a self-contained schema (see ``documents.bundle_schema``)."""
    check_schema(schema, path)
    check_discriminators(schema, path, place)
    # Each contract is its own resource: the URI only has to be unique and absolute.
    uri = f"{path.resolve().as_uri()}/{quote(metadata.name)}"
    registry: Registry[Any] = Registry().with_resource(
        uri, schema_specification(schema, path).create_resource(schema))
    return JsonSchemaContract(metadata, schema, path, registry=registry, uri=uri)


def check_discriminators(schema: Any, path: Path, place: str) -> None:
    """AsyncAPI's ``discriminator`` names a property the schema defines and requires."""
    stack: list[tuple[Any, str]] = [(schema, place)]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, list):
            stack.extend((item, f"{pointer}/{i}") for i, item in enumerate(node))
        if not isinstance(node, dict):
            continue
        name = node.get("discriminator")
        if name is not None:
            if not isinstance(name, str):
                raise SchemaError(f"discriminator: expected a property name, found {name!r}",
                                  file=path, pointer=f"{pointer}/discriminator")
            if name not in node.get("properties", {}) or name not in node.get("required", []):
                raise SchemaError(
                    f"discriminator {name!r} must be a property the schema defines and requires",
                    file=path, pointer=f"{pointer}/discriminator",
                    hint="AsyncAPI: the discriminator MUST be defined at this schema and be in "
                    "its required list",
                )
        stack.extend((value, f"{pointer}/{key}") for key, value in node.items()
                     if key not in ("enum", "const", "default", "examples", "example"))


def avro_contract(
    metadata: ContractMetadata, schema: Any, path: Path, place: str, named: dict[str, Any]
) -> AvroContract:
    """A contract from an Avro record; ``named`` collects the named types of one source."""
    if not isinstance(schema, dict) or schema.get("type") != "record":
        raise SchemaError("an Avro contract must be a record schema", file=path,
                          pointer=f"{place}/type")
    attempt = dict(named)
    try:
        parsed = fastavro.parse_schema(schema, named_schemas=attempt, _write_hint=False)
    except UnknownType as exc:
        raise RefError(f"Avro type {exc.name!r} is not defined here", file=path, pointer=place,
                       hint="define named types before using them, or refer to an .avsc "
                       "file with $ref") from None
    except (SchemaParseException, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise SchemaError(f"not a valid Avro schema: {str(exc)[:200]}", file=path,
                          pointer=place) from None
    named.update(attempt)
    return AvroContract(metadata, schema, path, parsed=parsed, named_types=named)


def attach_examples(contract: Contract, examples: list[Any]) -> Contract:
    contract.examples = examples
    contract.examples_path = contract.path if examples else None
    return contract
