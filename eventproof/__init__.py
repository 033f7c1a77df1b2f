"""eventproof: prove serverless, event-driven handlers against their contracts."""

from __future__ import annotations

import importlib.metadata

from eventproof.catalog import (
    AvroContract,
    Catalog,
    Contract,
    ExampleResult,
    JsonSchemaContract,
    load_catalog,
)
from eventproof.errors import (
    ContractViolation,
    EnvelopeError,
    EventproofError,
    Violation,
)

try:
    __version__ = importlib.metadata.version("eventproof")
except importlib.metadata.PackageNotFoundError:  # a checkout on sys.path, never installed
    __version__ = "0+unknown"

__all__ = [
    "AvroContract",
    "Catalog",
    "Contract",
    "ContractViolation",
    "EnvelopeError",
    "EventproofError",
    "ExampleResult",
    "JsonSchemaContract",
    "Violation",
    "__version__",
    "load_catalog",
]
