"""Avro contracts: parsed with fastavro, named types shared across the catalog's files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import fastavro
from fastavro.schema import SchemaParseException, UnknownType

from eventproof.catalog.avro_codegen import fast_avro_check
from eventproof.catalog.avro_logical import check_logical_types
from eventproof.catalog.avro_validation import avro_violations
from eventproof.catalog.contract import Contract, ContractMetadata
from eventproof.catalog.refinements import refine
from eventproof.errors import RefError, SchemaError, Violation

__all__ = ["AvroContract", "parse_avro_files"]


class AvroContract(Contract):
    """A contract whose schema is an Avro record; messages are checked in their JSON form.

    ``named_types`` maps every named type's full name to its parsed schema,
    for generators that need to expand references such as
    ``"eventproof.common.Money"``.
    """

    format = "avro"

    def __init__(
        self,
        metadata: ContractMetadata,
        schema: dict[str, Any],
        path: Path,
        *,
        parsed: Any,
        named_types: dict[str, Any],
    ) -> None:
        super().__init__(metadata, schema, path)
        self.parsed = parsed
        self.named_types = named_types
        self._fast = refine(fast_avro_check(parsed, named_types), metadata.constraints)

    def _detailed_violations(self, message: Any) -> list[Violation]:
        return avro_violations(self.parsed, message, self.named_types)


def parse_avro_files(schemas: dict[Path, Any]) -> tuple[dict[Path, Any], dict[str, Any]]:
    """Parse every ``.avsc`` file; a file may use named types another file defines.

    Files are parsed in rounds: one that names a type not defined yet waits
    for the next round. What is still unknown when a round makes no progress
    is a reference to nowhere.
    """
    named: dict[str, Any] = {}
    parsed: dict[Path, Any] = {}
    for path, schema in schemas.items():
        check_logical_types(schema, path)
    pending = dict(sorted(schemas.items()))
    while pending:
        unknown: dict[Path, str] = {}
        round_size = len(pending)
        for path, schema in list(pending.items()):
            attempt = dict(named)
            try:
                parsed[path] = fastavro.parse_schema(schema, named_schemas=attempt, _write_hint=False)
            except UnknownType as exc:
                unknown[path] = str(exc.name)
                continue
            except (SchemaParseException, ValueError, TypeError, KeyError, AttributeError) as exc:
                raise SchemaError(f"not a valid Avro schema: {_reason(exc)}", file=path) from None
            except RecursionError:
                raise SchemaError("Avro schema nests too deeply to parse", file=path) from None
            _check_redefinitions(named, attempt, path)
            named = attempt
            del pending[path]
        if unknown and len(unknown) == round_size:
            path, name = next(iter(unknown.items()))
            raise RefError(
                f"Avro type {name!r} is not defined by any schema in the catalog",
                file=path,
                hint="refer to a named type by its full name (namespace.Name); "
                "check the spelling and that the file defining it is in the catalog",
            )
    return parsed, named


def _check_redefinitions(before: dict[str, Any], after: dict[str, Any], path: Path) -> None:
    for name, schema in after.items():
        if name in before and before[name] is not schema and before[name] != schema:
            raise SchemaError(
                f"Avro named type {name!r} is defined twice, differently", file=path
            )


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."
