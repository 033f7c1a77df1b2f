"""What every pattern's code shares: contract-backed validation, DynamoDB number handling, time."""

from __future__ import annotations

from reference_impl.shared.dynamo import from_dynamo, to_dynamo
from reference_impl.shared.entrypoints import LazyApp, names_from_environment
from reference_impl.shared.schemas import CONTRACTS_DIR, SchemaValidator, load_validator
from reference_impl.shared.time import Clock, epoch_millis, iso, system_clock

__all__ = [
    "CONTRACTS_DIR",
    "Clock",
    "LazyApp",
    "SchemaValidator",
    "epoch_millis",
    "from_dynamo",
    "iso",
    "load_validator",
    "names_from_environment",
    "system_clock",
    "to_dynamo",
]
