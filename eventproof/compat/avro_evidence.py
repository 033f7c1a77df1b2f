"""Avro evidence with fastavro's own resolution: write with one schema, read with the other."""

from __future__ import annotations

import datetime
import decimal
import io
from collections.abc import Mapping
from typing import Any

import fastavro

from eventproof.compat.avro_rules import NAMED, inline_named_types

__all__ = ["AvroPair"]


class AvroPair:
    """A writer and a reader schema, each self-contained, ready for fastavro."""

    def __init__(self, writer: Any, writer_names: Mapping[str, Any], reader: Any,
                 reader_names: Mapping[str, Any], reader_accepts: Any = None) -> None:
        self._reader_accepts = reader_accepts
        self.writer_schema = inline_named_types(writer, writer_names)
        self.reader_schema = inline_named_types(reader, reader_names)
        self._writer = fastavro.parse_schema(self.writer_schema, named_schemas={})
        self._reader = fastavro.parse_schema(self.reader_schema, named_schemas={})
        self._writer_names: dict[str, Any] = {}
        _collect_names(self.writer_schema, self._writer_names)

    def problem(self, message: Any) -> str | None:
        """Why the reader cannot read ``message`` (JSON form, valid for the writer); None if it can."""
        try:
            datum = self._to_datum(message, self.writer_schema)
            buffer = io.BytesIO()
            fastavro.schemaless_writer(buffer, self._writer, datum)
        except Exception:
            return None
        buffer.seek(0)
        try:
            read = fastavro.schemaless_reader(buffer, self._writer, self._reader)
        except Exception as error:
            return f"fastavro cannot read it with the reader's schema: {type(error).__name__}: {error}"
        if self._reader_accepts is not None and not self._reader_accepts(_to_json(read)):
            return (f"fastavro reads it as {_to_json(read)!r}, which the reader's schema "
                    "does not admit")
        return None

    def _to_datum(self, value: Any, schema: Any) -> Any:
        if isinstance(schema, str):
            if schema in self._writer_names:
                return self._to_datum(value, self._writer_names[schema])
            return _primitive(value, schema)
        if isinstance(schema, list):
            for branch in schema:
                if _matches(value, branch, self._writer_names):
                    return self._to_datum(value, branch)
            raise ValueError("no union branch")
        kind = schema["type"]
        logical = schema.get("logicalType")
        if logical == "decimal":
            return decimal.Decimal(str(value))
        if logical == "date" and isinstance(value, str):
            return datetime.date.fromisoformat(value)
        if kind in ("record", "error"):
            return {f["name"]: self._to_datum(value[f["name"]], f["type"])
                    for f in schema["fields"] if f["name"] in value}
        if kind == "array":
            return [self._to_datum(v, schema["items"]) for v in value]
        if kind == "map":
            return {k: self._to_datum(v, schema["values"]) for k, v in value.items()}
        if kind in ("fixed", "bytes"):
            return value.encode("latin-1") if isinstance(value, str) else value
        if kind == "enum":
            return value
        return self._to_datum(value, kind)


def _primitive(value: Any, kind: str) -> Any:
    if kind == "bytes" and isinstance(value, str):
        return value.encode("latin-1")
    return value


def _matches(value: Any, schema: Any, names: Mapping[str, Any]) -> bool:
    if isinstance(schema, str) and schema in names:
        schema = names[schema]
    kind = schema if isinstance(schema, str) else schema.get("type")
    if isinstance(schema, dict) and schema.get("logicalType") == "decimal":
        return isinstance(value, int | float | str) and not isinstance(value, bool)
    return {
        "null": value is None,
        "boolean": isinstance(value, bool),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "long": isinstance(value, int) and not isinstance(value, bool),
        "float": isinstance(value, int | float) and not isinstance(value, bool),
        "double": isinstance(value, int | float) and not isinstance(value, bool),
        "string": isinstance(value, str),
        "bytes": isinstance(value, str | bytes),
        "fixed": isinstance(value, str | bytes),
        "enum": isinstance(value, str),
        "array": isinstance(value, list),
        "map": isinstance(value, dict),
        "record": isinstance(value, dict),
        "error": isinstance(value, dict),
    }.get(kind if isinstance(kind, str) else "", False)


def _collect_names(schema: Any, names: dict[str, Any]) -> None:
    if isinstance(schema, list):
        for branch in schema:
            _collect_names(branch, names)
    elif isinstance(schema, Mapping):
        if schema.get("type") in NAMED and "name" in schema:
            name = schema["name"]
            names[name] = schema
            namespace = schema.get("namespace")
            if namespace and "." not in name:
                names[f"{namespace}.{name}"] = schema
        for field in schema.get("fields", []):
            _collect_names(field["type"], names)
        for key in ("items", "values", "type"):
            if isinstance(schema.get(key), list | Mapping):
                _collect_names(schema[key], names)


def _to_json(value: Any) -> Any:
    """A datum fastavro read, back in the JSON form contracts validate."""
    if isinstance(value, dict):
        return {k: _to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_json(v) for v in value]
    if isinstance(value, decimal.Decimal):
        exponent = value.as_tuple().exponent
        return int(value) if isinstance(exponent, int) and exponent >= 0 else float(value)
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, datetime.datetime):
        return int(value.timestamp() * 1000)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "hex") and type(value).__name__ == "UUID":
        return str(value)
    return value
