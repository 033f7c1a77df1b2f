"""Compile an Avro schema into a strategy of its plain JSON form.

The JSON form is the one contracts/README.md fixes: records are objects with
every field present (and no other), unions are untagged, ``uuid`` is a
string, ``decimal`` a JSON number that fits precision and scale,
``timestamp-millis`` an integer of epoch milliseconds, ``date`` a
``YYYY-MM-DD`` string, ``bytes`` and ``fixed`` strings (``fixed`` of exactly
its size). Named types may come from other files (``named_types``) or be
defined inline; recursive records are followed at most ``max_recursion``
times along one path, after which a union keeps only its non-recursive
branches.

How examples shrink: unions toward their first branch (usually ``null``),
arrays and maps toward empty, strings toward short ASCII, numbers toward 0,
enums toward their first symbol, timestamps toward the epoch.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from eventproof.strategies import _json, formats
from eventproof.strategies.errors import StrategyError

__all__ = ["AvroCompiler", "avro_strategy"]

_INT = 2**31
_LONG = 2**63
_MAX_MILLIS = 4_102_444_800_000  # 2100-01-01: readable dates, clear of calendar limits
_LATIN1 = st.characters(min_codepoint=0, max_codepoint=255)
_BYTES_TEXT = st.one_of(st.text(alphabet=_json.READABLE), st.text(alphabet=_LATIN1))
_PRIMITIVES: dict[str, st.SearchStrategy[Any]] = {
    "null": st.none(),
    "boolean": st.booleans(),
    "int": st.integers(-_INT, _INT - 1),
    "long": st.integers(-_LONG, _LONG - 1),
    "float": st.one_of(st.integers(-(2**24), 2**24).map(float),
                       st.floats(width=32, allow_nan=False, allow_infinity=False)),
    "double": st.one_of(st.integers(-(2**53), 2**53).map(float),
                        st.floats(allow_nan=False, allow_infinity=False)),
    "string": _json.text(),
    "bytes": _BYTES_TEXT,
}  # fmt: skip
_EXTRA_ITEMS = 4


class _TooDeep(Exception):
    pass


def full_name(name: str, namespace: str | None) -> str:
    if "." in name or not namespace:
        return name
    return f"{namespace}.{name}"


class AvroCompiler:
    """Compiles one Avro contract; ``named_types`` maps full names to their schemas."""

    def __init__(
        self, *, contract: str, named_types: Mapping[str, Any] | None = None,
        max_recursion: int = 2,
    ) -> None:
        self.contract = contract
        self.named: dict[str, Any] = dict(named_types or {})
        self.max_recursion = max_recursion

    def error(self, headline: str, *, keyword: str, where: str) -> StrategyError:
        return StrategyError(headline, keyword=keyword, pointer=where, contract=self.contract)

    def compile(self, schema: Any) -> st.SearchStrategy[Any]:
        self._collect(schema, None)
        try:
            return self._compile(schema, None, "", ())
        except _TooDeep:
            raise self.error("a recursive named type never reaches a case that stops",
                             keyword="type", where="") from None

    def _collect(self, schema: Any, namespace: str | None) -> None:
        """Register the named types a schema defines inline, anywhere inside it."""
        if isinstance(schema, list):
            for branch in schema:
                self._collect(branch, namespace)
        elif isinstance(schema, dict):
            kind = schema.get("type")
            if kind in ("record", "error", "enum", "fixed") and "name" in schema:
                namespace = schema.get("namespace", namespace)
                name = full_name(schema["name"], namespace)
                namespace = name.rpartition(".")[0] or None
                self.named.setdefault(name, {**schema, "_namespace": namespace})
            for field in schema.get("fields", []) if kind in ("record", "error") else []:
                self._collect(field.get("type"), namespace)
            for key in ("items", "values"):
                if key in schema:
                    self._collect(schema[key], namespace)
            if isinstance(kind, (dict, list)):
                self._collect(kind, namespace)

    def _compile(
        self, schema: Any, namespace: str | None, where: str, stack: tuple[str, ...]
    ) -> st.SearchStrategy[Any]:
        if isinstance(schema, list):
            return self._union(schema, namespace, where, stack)
        if isinstance(schema, str):
            if schema in _PRIMITIVES:
                return _PRIMITIVES[schema]
            name = schema if schema in self.named else full_name(schema, namespace)
            if name not in self.named:
                raise self.error(f"unknown Avro type {schema!r}", keyword="type", where=where)
            if stack.count(name) >= self.max_recursion:
                raise _TooDeep
            target = self.named[name]
            return self._compile_named(target, target.get("_namespace"), where, (*stack, name))
        if not isinstance(schema, dict) or "type" not in schema:
            raise self.error(f"expected an Avro schema, found {schema!r}", keyword="type",
                             where=where)
        if "logicalType" in schema:
            return self._logical(schema, where)
        kind = schema["type"]
        if kind in ("record", "error", "enum", "fixed"):
            name = full_name(schema.get("name", ""), schema.get("namespace", namespace))
            inner = name.rpartition(".")[0] or None
            return self._compile_named(schema, inner, where, (*stack, name))
        if kind == "array":
            items = self._optional(schema["items"], namespace, f"{where}/items", stack)
            if items is None:
                return st.just([])
            return st.lists(items, max_size=_EXTRA_ITEMS)
        if kind == "map":
            values = self._optional(schema["values"], namespace, f"{where}/values", stack)
            if values is None:
                return st.just({})
            return st.dictionaries(_json.keys(), values, max_size=_EXTRA_ITEMS)
        return self._compile(kind, namespace, where, stack)

    def _optional(
        self, schema: Any, namespace: str | None, where: str, stack: tuple[str, ...]
    ) -> st.SearchStrategy[Any] | None:
        try:
            return self._compile(schema, namespace, where, stack)
        except _TooDeep:
            return None

    def _union(
        self, branches: list[Any], namespace: str | None, where: str, stack: tuple[str, ...]
    ) -> st.SearchStrategy[Any]:
        compiled = [
            strategy
            for index, branch in enumerate(branches)
            if (strategy := self._optional(branch, namespace, f"{where}/{index}", stack))
            is not None
        ]
        if not compiled:
            raise _TooDeep
        return st.one_of(compiled)

    def _compile_named(
        self, schema: dict[str, Any], namespace: str | None, where: str, stack: tuple[str, ...]
    ) -> st.SearchStrategy[Any]:
        kind = schema["type"]
        if kind == "enum":
            if not schema.get("symbols"):
                raise self.error("an enum without symbols", keyword="symbols", where=where)
            return st.sampled_from(list(schema["symbols"]))
        if kind == "fixed":
            if "logicalType" in schema:
                return self._logical(schema, where)
            size = schema["size"]
            return st.text(alphabet=_LATIN1, min_size=size, max_size=size)
        fields = {
            field["name"]: self._compile(field["type"], namespace,
                                         f"{where}/{field['name']}", stack)
            for field in schema.get("fields", [])
        }
        return st.fixed_dictionaries(fields)

    def _logical(self, schema: dict[str, Any], where: str) -> st.SearchStrategy[Any]:
        logical, base = schema["logicalType"], schema["type"]
        if logical == "uuid" and base == "string":
            return formats.uuids()
        if logical == "date" and base == "int":
            return formats.dates()
        if logical in ("timestamp-millis", "local-timestamp-millis") and base == "long":
            return st.integers(0, _MAX_MILLIS)
        if logical in ("timestamp-micros", "local-timestamp-micros") and base == "long":
            return st.integers(0, _MAX_MILLIS * 1000)
        if logical == "time-millis" and base == "int":
            return st.integers(0, 86_400_000 - 1)
        if logical == "time-micros" and base == "long":
            return st.integers(0, 86_400_000_000 - 1)
        if logical == "decimal" and base in ("bytes", "fixed"):
            return decimals(schema.get("precision", 0), schema.get("scale", 0))
        raise self.error(f"the logical type {logical!r} on {base!r} is not supported",
                         keyword="logicalType", where=where)


def decimals(precision: int, scale: int) -> st.SearchStrategy[Any]:
    """JSON numbers with at most ``precision`` digits, ``scale`` of them after the point.

    Integers (exact in JSON) first; fractions are kept to 15 significant
    digits so the float's shortest repr is exactly the decimal generated.
    """
    digits = min(precision, 15)
    limit = 10**digits - 1
    whole_limit = 10 ** max(min(precision, 15) - scale, 0) - 1
    wholes = st.integers(-whole_limit, whole_limit)
    if scale == 0:
        return st.integers(-(10**precision - 1), 10**precision - 1)
    fractions = st.integers(-limit, limit).map(lambda units: float(units) / 10**scale)
    return st.one_of(wholes, fractions.filter(lambda number: _fits(number, precision, scale)))


def _fits(number: float, precision: int, scale: int) -> bool:
    """At most ``scale`` digits after the point and ``precision - scale`` before it."""
    exact = Decimal(repr(number)).normalize().as_tuple()
    exponent = int(exact.exponent)
    whole = max(0, len(exact.digits) + exponent) if exact.digits != (0,) else 0
    return max(0, -exponent) <= scale and whole <= precision - scale


def avro_strategy(
    schema: Any, *, contract: str = "<schema>", named_types: Mapping[str, Any] | None = None,
    max_recursion: int = 2,
) -> st.SearchStrategy[Any]:
    """A strategy of the JSON form of values of ``schema``."""
    compiler = AvroCompiler(contract=contract, named_types=named_types,
                            max_recursion=max_recursion)
    return compiler.compile(schema)
