"""The contract catalog: load contracts from a folder, validate messages, check examples."""

from __future__ import annotations

from eventproof.catalog.avro_contract import AvroContract
from eventproof.catalog.catalog import Catalog, load_catalog
from eventproof.catalog.contract import KINDS, Contract, ContractMetadata, Example
from eventproof.catalog.examples import ExampleResult
from eventproof.catalog.jsonschema_contract import JsonSchemaContract
from eventproof.errors import Violation

__all__ = [
    "KINDS",
    "AvroContract",
    "Catalog",
    "Contract",
    "ContractMetadata",
    "Example",
    "ExampleResult",
    "JsonSchemaContract",
    "Violation",
    "load_catalog",
]
