"""Check the logical types of an Avro schema against the Avro specification, at load time.

https://avro.apache.org/docs/1.12.0/specification/#logical-types fixes each
logical type's base type and attributes: ``decimal`` annotates ``bytes`` or
``fixed`` with a positive integer ``precision`` (a ``fixed`` of n bytes holds
at most floor(log10(2^(8n-1) - 1)) digits) and an integer ``scale`` with
0 <= scale <= precision; ``uuid`` annotates ``string`` (or a 16-byte
``fixed``); ``date`` and ``time-millis`` an ``int``; ``time-micros`` and the
timestamps a ``long``; ``duration`` a 12-byte ``fixed``.

The specification lets a reader ignore an invalid logical type and use the
base type; a contract check must not quietly check less than the author
wrote, so here each mistake is a ``SchemaError`` naming the file and the
pointer. Logical types the specification does not define keep their base
type, as it says.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from eventproof.errors import SchemaError, short_repr

__all__ = ["check_logical_types"]

_BASES: dict[str, tuple[str, ...]] = {
    "decimal": ("bytes", "fixed"),
    "big-decimal": ("bytes",),
    "uuid": ("string", "fixed"),
    "date": ("int",),
    "time-millis": ("int",),
    "time-micros": ("long",),
    "timestamp-millis": ("long",),
    "timestamp-micros": ("long",),
    "timestamp-nanos": ("long",),
    "local-timestamp-millis": ("long",),
    "local-timestamp-micros": ("long",),
    "local-timestamp-nanos": ("long",),
    "duration": ("fixed",),
}
_FIXED_SIZES = {"uuid": 16, "duration": 12}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_logical_types(schema: Any, path: Path) -> None:
    """Raise SchemaError at the first logical type or ``fixed`` size the specification refuses."""
    stack: list[tuple[Any, str]] = [(schema, "")]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, list):
            stack.extend((branch, f"{pointer}/{index}") for index, branch in enumerate(node))
            continue
        if not isinstance(node, dict):
            continue
        kind = node.get("type")
        if isinstance(kind, dict | list):
            stack.append((kind, f"{pointer}/type"))
        if kind == "fixed" and not (_is_int(node.get("size")) and node["size"] >= 0):
            raise _fail("a fixed type's size is a non-negative integer", node.get("size"),
                        path, f"{pointer}/size")
        if "logicalType" in node:
            _check_logical(node, path, pointer)
        if kind in ("record", "error") and isinstance(node.get("fields"), list):
            stack.extend((field.get("type"), f"{pointer}/fields/{index}/type")
                         for index, field in enumerate(node["fields"]) if isinstance(field, dict))
        elif kind == "array":
            stack.append((node.get("items"), f"{pointer}/items"))
        elif kind == "map":
            stack.append((node.get("values"), f"{pointer}/values"))


def _check_logical(node: dict[str, Any], path: Path, pointer: str) -> None:
    logical, base = node["logicalType"], node.get("type")
    if not isinstance(logical, str):
        raise _fail("logicalType is a string", logical, path, f"{pointer}/logicalType")
    bases = _BASES.get(logical)
    if bases is None:
        return  # not a logical type of the specification: the base type applies
    if base not in bases:
        raise _fail(f"the logical type {logical!r} annotates {' or '.join(bases)}", base,
                    path, f"{pointer}/type")
    if base == "fixed" and logical in _FIXED_SIZES and node.get("size") != _FIXED_SIZES[logical]:
        raise _fail(f"a {logical} fixed has size {_FIXED_SIZES[logical]}", node.get("size"),
                    path, f"{pointer}/size")
    if logical != "decimal":
        return
    precision: Any = node.get("precision")
    if not (_is_int(precision) and precision > 0):
        raise _fail("a decimal's precision is a positive integer", precision, path,
                    f"{pointer}/precision")
    scale: Any = node.get("scale", 0)
    if not (_is_int(scale) and 0 <= scale <= precision):
        raise _fail(f"a decimal's scale is an integer from 0 to its precision ({precision})",
                    scale, path, f"{pointer}/scale")
    size = node.get("size")
    if base == "fixed" and isinstance(size, int) and precision > _fixed_digits(size):
        raise _fail(f"at most {_fixed_digits(size)} digits of precision in a fixed of {size} "
                    "bytes", precision, path, f"{pointer}/precision")


def _fixed_digits(size: int) -> int:
    """floor(log10(2^(8*size-1) - 1)): the digits a two's-complement ``size``-byte value holds."""
    if size == 0:
        return 0
    # 8*size-1 bits: the log is never within rounding of an integer (2^k is not 10^m).
    return math.floor((8 * size - 1) * math.log10(2))


def _fail(expected: str, found: Any, path: Path, pointer: str) -> SchemaError:
    return SchemaError(
        f"not a valid Avro schema: {expected}, found {short_repr(found, 40)}",
        file=path,
        pointer=pointer,
        hint="see the Avro specification, section Logical Types",
    )
