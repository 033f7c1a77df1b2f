"""Arrays and objects for the JSON Schema compiler."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st
from referencing._core import Resolver  # the public type of Registry.resolver()

from eventproof.catalog.patterns import ascii_pattern, searcher
from eventproof.strategies import _json

if TYPE_CHECKING:
    from eventproof.strategies.jsonschema import JsonSchemaCompiler

_EXTRA_ARRAY_ITEMS = 4  # beyond minItems when maxItems is absent: keeps examples small
_EXTRA_PROPERTIES = 2


def arrays(
    compiler: JsonSchemaCompiler, schema: dict[str, Any], resolver: Resolver[Any],
    where: str, stack: tuple[int, ...],
) -> st.SearchStrategy[list[Any]]:
    if compiler.draft7 and isinstance(schema.get("items"), list):
        prefix, rest = schema["items"], schema.get("additionalItems", True)
    else:
        prefix, rest = schema.get("prefixItems", []), schema.get("items", True)
    min_items = schema.get("minItems", 0)
    max_items = schema.get("maxItems", max(min_items, len(prefix)) + _EXTRA_ARRAY_ITEMS)
    unique = bool(schema.get("uniqueItems"))
    rest_strategy = (
        None if rest is False
        else compiler.compile_optional(rest, resolver, f"{where}/items", stack)
    )  # fmt: skip
    if rest_strategy is None:
        max_items = min(max_items, len(prefix))
    if min_items > max_items:
        raise compiler.error(
            f"minItems {min_items} cannot be met (at most {max_items} items are allowed)",
            keyword="minItems", where=where,
        )
    if not prefix:
        if rest_strategy is None:
            return st.just([])
        return st.lists(rest_strategy, min_size=min_items, max_size=max_items,
                        unique_by=_json.canonical if unique else None)
    prefix_strategies = [
        compiler.compile_required(item, resolver, f"{where}/prefixItems/{index}", stack)
        for index, item in enumerate(prefix)
    ]

    def of_length(length: int) -> st.SearchStrategy[list[Any]]:
        head = st.tuples(*prefix_strategies[:length]).map(list)
        if length <= len(prefix) or rest_strategy is None:
            return head
        tail = st.lists(rest_strategy, min_size=length - len(prefix),
                        max_size=length - len(prefix))
        return st.tuples(head, tail).map(lambda parts: parts[0] + parts[1])

    strategy = st.integers(min_items, max_items).flatmap(of_length)
    if unique:
        strategy = strategy.filter(lambda items: len({_json.canonical(i) for i in items})
                                   == len(items))
    return strategy


def objects(
    compiler: JsonSchemaCompiler, schema: dict[str, Any], resolver: Resolver[Any],
    where: str, stack: tuple[int, ...],
) -> st.SearchStrategy[dict[str, Any]]:
    properties: dict[str, Any] = schema.get("properties", {})
    required: list[str] = schema.get("required", [])
    additional = schema.get("additionalProperties", True)
    patterns: dict[str, Any] = schema.get("patternProperties", {})

    def schema_for(name: str) -> Any:
        matching = [s for p, s in patterns.items() if searcher(p)(name)]
        if name in properties:
            own = properties[name]
        elif matching:
            own = matching.pop(0)
        elif additional is False:
            raise compiler.error(
                f"the required property {name!r} is forbidden by additionalProperties: false",
                keyword="required", where=where,
            )
        else:
            own = additional
        return {"allOf": [own, *matching]} if matching else own

    fixed = {
        name: compiler.compile_required(schema_for(name), resolver, f"{where}/properties/{name}",
                                        stack)
        for name in required
    }
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for name in properties:
        if name in fixed:
            continue
        strategy = compiler.compile_optional(schema_for(name), resolver,
                                             f"{where}/properties/{name}", stack)
        if strategy is not None:
            optional[name] = strategy
    parts: list[st.SearchStrategy[dict[str, Any]]] = [
        st.fixed_dictionaries(fixed, optional=optional)
    ]
    declared = set(properties) | set(required)
    if isinstance(additional, dict) and additional:
        values = compiler.compile_optional(additional, resolver,
                                           f"{where}/additionalProperties", stack)
        if values is not None:
            names = _json.keys().filter(
                lambda key: key not in declared and not any(searcher(p)(key) for p in patterns)
            )
            parts.append(st.dictionaries(names, values, max_size=_EXTRA_PROPERTIES))
    for pattern, value_schema in patterns.items():
        values = compiler.compile_optional(value_schema, resolver,
                                           f"{where}/patternProperties", stack)
        if values is None:
            continue
        names = st.from_regex(ascii_pattern(pattern), fullmatch=True).filter(
            lambda key: key not in declared
            and sum(bool(searcher(p)(key)) for p in patterns) == 1
        )
        parts.append(st.dictionaries(names, values, max_size=_EXTRA_PROPERTIES))
    strategy = parts[0] if len(parts) == 1 else st.tuples(*parts).map(_union)
    low, high = schema.get("minProperties", 0), schema.get("maxProperties")
    if low or high is not None:
        strategy = strategy.filter(
            lambda obj: low <= len(obj) and (high is None or len(obj) <= high)
        )
    return strategy


def _union(parts: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for part in parts:
        for key, value in part.items():
            merged.setdefault(key, value)
    return merged
