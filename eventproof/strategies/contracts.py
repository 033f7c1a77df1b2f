"""From a contract (or its name in a catalog) to the right schema compiler."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from eventproof.caching import BoundedCache
from eventproof.strategies.avro import avro_strategy
from eventproof.strategies.errors import StrategyError
from eventproof.strategies.jsonschema import JsonSchemaCompiler, draft7_schema

__all__ = ["DEFAULT_CATALOG", "default_catalog_path", "from_contract", "resolve_contract"]

DEFAULT_CATALOG = Path("contracts")
# Keyed by id(): contracts hold dicts, so they are not hashable. The entry keeps
# the contract alive, so its id cannot be reused while cached; the bound keeps a
# long session that loads many catalogs from holding every one of them.
_cache: BoundedCache[tuple[int, int], tuple[Any, st.SearchStrategy[Any]]] = BoundedCache(256)


def resolve_contract(contract_or_name: Any, catalog: Any = None) -> Any:
    """The contract object for a contract or a name, looked up in ``catalog``.

    ``catalog`` is a ``Catalog``, or the path of a contracts folder; by
    default, the project's (see ``default_catalog_path``).
    """
    if not isinstance(contract_or_name, str):
        return contract_or_name
    from eventproof.catalog import Catalog

    if catalog is None:
        catalog = default_catalog_path()
    if isinstance(catalog, str | Path):
        catalog = Catalog.load(catalog)
    if not isinstance(catalog, Catalog):
        from eventproof.errors import ConfigError

        raise ConfigError(f"catalog must be a Catalog or the path of a contracts folder, "
                          f"found {catalog!r}")
    return catalog[contract_or_name]


def default_catalog_path(start: Path | None = None) -> Path:
    """The project's contracts folder, wherever the tests run from.

    Walking up from ``start`` (the working directory): the first
    ``pyproject.toml`` with ``[tool.eventproof] contracts = "..."`` names it;
    else the first folder holding ``pyproject.toml`` or ``.git`` is the
    project root, and its ``contracts/`` is the catalog.
    """
    import tomllib

    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        project = folder / "pyproject.toml"
        if project.is_file():
            try:
                table = tomllib.loads(project.read_text(encoding="utf-8")).get("tool", {})
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                table = {}
            configured = table.get("eventproof", {}).get("contracts")
            if isinstance(configured, str):
                return folder / configured
            return folder / DEFAULT_CATALOG
        if (folder / ".git").exists():
            return folder / DEFAULT_CATALOG
    return here / DEFAULT_CATALOG


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
    strategy = _compile_schema(contract, max_recursion)
    constraints = getattr(getattr(contract, "metadata", None), "constraints", ())
    if constraints:
        # What the schema cannot say (x-eventproof.constraints) is honoured by
        # keeping only the messages that satisfy it.
        from eventproof.catalog.refinements import constraint_violations

        strategy = strategy.filter(lambda message: not constraint_violations(message, constraints))
    return strategy


def _compile_schema(contract: Any, max_recursion: int) -> st.SearchStrategy[Any]:
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
