"""Which file is which source: AsyncAPI document, registry export, or neither.

``read_source`` reads one such file into the catalog's Contract objects;
``sniff`` says what a JSON or YAML file is (``"asyncapi"``, ``"eventbridge-registry"``,
or None), by its content: an ``asyncapi`` key, or an EventBridge event schema
(``components.schemas.AWSEvent`` in OpenAPI 3, ``x-amazon-events-source`` in
JSONSchemaDraft4).
"""

from __future__ import annotations

from pathlib import Path

from eventproof.catalog.contract import Contract
from eventproof.catalog.sources.asyncapi import is_asyncapi, read_asyncapi
from eventproof.catalog.sources.documents import Documents
from eventproof.catalog.sources.registry import is_registry_export, read_registry_export
from eventproof.errors import ContractLoadError

__all__ = ["SOURCE_SUFFIXES", "Documents", "read_source", "sniff"]

SOURCE_SUFFIXES = (".json", ".yaml", ".yml")


def sniff(path: Path, documents: Documents) -> str | None:
    document = documents.load(path)
    if is_asyncapi(document):
        return "asyncapi"
    if is_registry_export(document):
        return "eventbridge-registry"
    return None


def read_source(path: Path, documents: Documents | None = None) -> list[Contract]:
    """The contracts of one AsyncAPI document or registry export; an error for anything else."""
    documents = documents or Documents()
    kind = sniff(path, documents)
    if kind == "asyncapi":
        return read_asyncapi(path, documents)
    if kind == "eventbridge-registry":
        return read_registry_export(path, documents)
    raise ContractLoadError(
        "not a contract source: expected an AsyncAPI document (an 'asyncapi' key) or an "
        "EventBridge Schema Registry export (components.schemas.AWSEvent, or "
        "x-amazon-events-source)", file=path,
        hint="give a folder of contracts, or one AsyncAPI / registry file")
