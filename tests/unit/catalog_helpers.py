"""Build small throwaway catalogs on disk for the catalog, validation and CLI tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml


def metadata(name: str, kind: str = "command") -> dict[str, Any]:
    return {"name": name, "kind": kind, "version": "1.0.0", "summary": f"The {name} message."}


def write_json_schema(root: Path, name: str, schema: dict[str, Any], *, folder: str = "") -> Path:
    path = root / folder / f"{name}.schema.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(schema, indent=2))
    return path


def write_contract(
    root: Path, name: str, schema: dict[str, Any], *, folder: str = "", kind: str = "command"
) -> Path:
    return write_json_schema(root, name, {"x-eventproof": metadata(name, kind), **schema}, folder=folder)


def write_avro(root: Path, name: str, schema: dict[str, Any], *, folder: str = "",
               contract: bool = True) -> Path:
    path = root / folder / f"{name}.avsc"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"x-eventproof": metadata(name), **schema} if contract else schema
    path.write_text(json.dumps(body, indent=2))
    return path


def write_examples(root: Path, name: str, valid: list[Any], invalid: list[Any], *,
                   folder: str = "") -> Path:
    path = root / folder / f"{name}.examples.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "valid": [{"name": f"valid {i}", "message": m} for i, m in enumerate(valid)],
        "invalid": [
            m if isinstance(m, dict) and "message" in m else {"name": f"invalid {i}", "message": m}
            for i, m in enumerate(invalid)
        ],
    }
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


ORDER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["orderId", "items"],
    "additionalProperties": False,
    "properties": {
        "orderId": {"type": "string", "format": "uuid"},
        "placedAt": {"type": "string", "format": "date-time"},
        "email": {"type": "string", "format": "email"},
        "items": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["sku", "quantity"],
                "properties": {
                    "sku": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"},
                    "quantity": {"type": "integer", "minimum": 1},
                },
            },
        },
    },
}

ORDER_ID = "0f6f1a9e-3b5c-4d7e-9f10-111213141516"
