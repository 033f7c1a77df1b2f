"""eventproof: prove serverless, event-driven handlers against their contracts."""

from __future__ import annotations

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

__version__ = "0.1.0"

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
