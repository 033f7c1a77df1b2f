"""Validate requests against the JSON Schema contracts in ``contracts/``.

A team would validate at its boundary with the same files its consumers
read; so do we, with ``jsonschema`` directly (reference_impl does not depend
on eventproof). Cross-file ``$ref``s resolve against the contracts folder
only: nothing is fetched from the network.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import referencing
from referencing.jsonschema import DRAFT202012

CONTRACTS_DIR = Path(__file__).resolve().parents[2] / "contracts"


@functools.cache
def _registry() -> referencing.Registry:
    resources = [
        (path.resolve().as_uri(), DRAFT202012.create_resource(json.loads(path.read_text())))
        for path in CONTRACTS_DIR.rglob("*.schema.json")
    ]
    return referencing.Registry().with_resources(resources)


@dataclass(frozen=True)
class SchemaValidator:
    """One contract's compiled validator; ``violations`` lists ``"/pointer: problem"`` lines."""

    contract: str
    validator: jsonschema.protocols.Validator

    def violations(self, message: Any) -> list[str]:
        errors = sorted(self.validator.iter_errors(message), key=lambda e: list(e.absolute_path))
        return [f"{_pointer(error.absolute_path)}: {error.message}" for error in errors]


def _pointer(path: Any) -> str:
    return "/" + "/".join(str(part) for part in path) if path else "/"


@functools.cache
def load_validator(relative_path: str) -> SchemaValidator:
    """The validator of ``contracts/<relative_path>`` (e.g. ``"outbox/AddBook.schema.json"``)."""
    path = (CONTRACTS_DIR / relative_path).resolve()
    schema = json.loads(path.read_text())
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(
        {"$ref": path.as_uri()},
        registry=_registry(),
        format_checker=validator_class.FORMAT_CHECKER,
    )
    return SchemaValidator(contract=path.name.split(".")[0], validator=validator)
