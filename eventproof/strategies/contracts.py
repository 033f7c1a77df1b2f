"""From a contract (or its name in a catalog) to the right schema compiler."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from eventproof.caching import BoundedCache
from eventproof.strategies.avro import avro_strategy
from eventproof.strategies.errors import StrategyError
from eventproof.strategies.jsonschema import JsonSchemaCompiler, draft7_schema

__all__ = ["DEFAULT_CATALOG", "from_contract", "resolve_contract"]

DEFAULT_CATALOG = Path("contracts")
# Keyed by id(): contracts hold dicts, so they are not hashable. The entry keeps
# the contract alive, so its id cannot be reused while cached; the bound keeps a
# long session that loads many catalogs from holding every one of them.
_cache: BoundedCache[tuple[int, int], tuple[Any, st.SearchStrategy[Any]]] = BoundedCache(256)


def resolve_contract(contract_or_name: Any, catalog: Any = None) -> Any:
    """The contract object for a contract or a name (looked up in ``catalog``)."""
    if not isinstance(contract_or_name, str):
        return contract_or_name
    if catalog is None:
        from eventproof.catalog import Catalog

        catalog = Catalog.load(DEFAULT_CATALOG)
    return catalog[contract_or_name]


def from_contract(
    contract_or_name: Any, *, catalog: Any = None, max_recursion: int = 2
) -> st.SearchStrategy[Any]:
    """A strategy of messages that ``contract`` accepts (JSON Schema or Avro).

    ``contract_or_name`` is a catalog ``Contract`` or a contract's name, looked
    up in ``catalog`` (default: ``Catalog.load("contracts")``). Recursive
    schemas are unrolled at most ``max_recursion`` times along one path.

    How examples shrink: optional properties disappear, arrays and maps
    shrink to their minimum size, strings to short runs of letters and digits
    (full Unicode is tried only when a failure needs it), numbers toward zero
    or the nearest bound, dates toward 2000-01-01 and Avro timestamps toward the epoch, enums and
    unions toward their first member.

    Raises ``StrategyError`` naming the keyword, its schema pointer and the
    contract when the schema uses something eventproof cannot generate for.
    """
    contract = resolve_contract(contract_or_name, catalog)
    key = (id(contract), max_recursion)
    cached = _cache.get(key)
    if cached is not None and cached[0] is contract:
        return cached[1]
    strategy = _compile(contract, max_recursion)
    _cache.put(key, (contract, strategy))
    return strategy


def _compile(contract: Any, max_recursion: int) -> st.SearchStrategy[Any]:
    name = getattr(contract, "name", "<contract>")
    if contract.format == "avro":
        return avro_strategy(
            getattr(contract, "parsed", contract.schema),
            contract=name,
            named_types=getattr(contract, "named_types", None),
            max_recursion=max_recursion,
        )
    if contract.format == "jsonschema":
        compiler = JsonSchemaCompiler(
            contract=name,
            registry=contract.registry,
            draft7=draft7_schema(contract.schema),
            max_recursion=max_recursion,
        )
        return compiler.compile(contract.schema, contract.resolver())
    raise StrategyError(
        f"contracts in the {contract.format!r} format have no strategy",
        keyword="format",
        contract=name,
    )
