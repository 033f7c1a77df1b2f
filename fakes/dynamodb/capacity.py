"""``ReturnConsumedCapacity`` and ``ReturnItemCollectionMetrics``.

Capacity follows AWS's documented unit rules
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html):
a read unit covers 4 KB of a strongly consistent read (an eventually
consistent read costs half), a write unit 1 KB; a read that finds nothing
still costs the minimum unit; transactional reads and writes cost double.
PutItem, UpdateItem and DeleteItem are charged for the larger of the item's
before and after images. Query and Scan are charged for the total size of
the items they evaluated (before any filter), rounded up once. A write
costs each secondary index it touches the projected item's size; a change
of an index key costs two index writes (delete and put).
Simplification: a query on a local secondary index is charged to the index
alone (AWS also charges the table for attributes fetched from it).
"""

from __future__ import annotations

import math
from typing import Any

from eventproof_fakes.dynamodb.attributes import Item, canonical, item_size
from eventproof_fakes.dynamodb.tables import Index, Table
from eventproof_fakes.errors import validation_error

__all__ = [
    "Capacity",
    "collection_metrics",
    "read_units",
    "requested",
    "wants_metrics",
    "with_write_extras",
    "write_capacity",
    "write_units",
]

_READ_UNIT = 4096
_WRITE_UNIT = 1024


def read_units(size: int, consistent: bool) -> float:
    units = float(max(1, math.ceil(size / _READ_UNIT)))
    return units if consistent else units / 2


def write_units(size: int) -> float:
    return float(max(1, math.ceil(size / _WRITE_UNIT)))


def requested(params: dict[str, Any]) -> str | None:
    """``TOTAL`` or ``INDEXES`` when the caller asked for consumed capacity, else None."""
    mode = params.get("ReturnConsumedCapacity")
    if mode is None or mode == "NONE":
        return None
    if mode not in ("TOTAL", "INDEXES"):
        raise validation_error(
            f"1 validation error detected: Value '{mode}' at 'returnConsumedCapacity' failed to "
            "satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]"
        )
    return str(mode)


def wants_metrics(params: dict[str, Any]) -> bool:
    mode = params.get("ReturnItemCollectionMetrics")
    if mode is None or mode == "NONE":
        return False
    if mode != "SIZE":
        raise validation_error(
            f"1 validation error detected: Value '{mode}' at 'returnItemCollectionMetrics' failed "
            "to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]"
        )
    return True


class Capacity:
    """Units consumed on one table and its indexes during one request."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.table_units = 0.0
        self.index_units: dict[str, float] = {}

    def charge_index(self, index: Index, units: float) -> None:
        self.index_units[index.name] = self.index_units.get(index.name, 0.0) + units

    def describe(self, mode: str) -> dict[str, Any]:
        total = self.table_units + sum(self.index_units.values())
        described: dict[str, Any] = {"TableName": self.table.name, "CapacityUnits": total}
        if mode == "INDEXES":
            if self.table_units or not self.index_units:
                described["Table"] = {"CapacityUnits": self.table_units}
            for kind, is_global in (("GlobalSecondaryIndexes", True), ("LocalSecondaryIndexes", False)):
                units = {
                    name: {"CapacityUnits": value}
                    for name, value in self.index_units.items()
                    if self.table.indexes[name].is_global == is_global
                }
                if units:
                    described[kind] = units
        return described


def write_capacity(
    table: Table, old: Item | None, new: Item | None, multiplier: float = 1.0
) -> Capacity:
    """What writing ``new`` over ``old`` (None: absent) costs the table and its indexes."""
    capacity = Capacity(table)
    sizes = [item_size(item) for item in (old, new) if item is not None]
    capacity.table_units = write_units(max(sizes, default=0)) * multiplier
    for index in table.indexes.values():
        before = _in_index(table, index, old)
        after = _in_index(table, index, new)
        if before is None and after is None:
            continue
        if before is not None and after is not None:
            same_key = all(
                canonical(before[name]) == canonical(after[name]) for name in index.schema.names
            )
            if same_key:
                units = write_units(max(item_size(before), item_size(after)))
            else:
                units = write_units(item_size(before)) + write_units(item_size(after))
        else:
            units = write_units(item_size(before or after or {}))
        capacity.charge_index(index, units * multiplier)
    return capacity


def _in_index(table: Table, index: Index, item: Item | None) -> Item | None:
    """The item as the index stores it, or None when the index does not hold it."""
    if item is None or any(name not in item for name in index.schema.names):
        return None
    return index.projects(item, table.key)


def collection_metrics(table: Table, item: Item) -> dict[str, Any] | None:
    """The ``ItemCollectionMetrics`` of ``item``'s collection (tables with an LSI only)."""
    if not any(not index.is_global for index in table.indexes.values()):
        return None
    hash_key = table.key.hash_key
    value = item.get(hash_key)
    if value is None:
        return None
    wanted = canonical(value)
    size = sum(
        item_size(other)
        for other in table.items.values()
        if canonical(other[hash_key]) == wanted
    )
    gigabytes = size / 2**30
    low = float(math.floor(gigabytes))
    return {"ItemCollectionKey": {hash_key: dict(value)}, "SizeEstimateRangeGB": [low, low + 1.0]}


def with_write_extras(
    response: dict[str, Any],
    table: Table,
    key_item: Item,
    old: Item | None,
    new: Item | None,
    mode: str | None,
    metrics: bool,
) -> dict[str, Any]:
    """A single-item write's response with the capacity and metrics the caller asked for."""
    if mode is not None:
        response["ConsumedCapacity"] = write_capacity(table, old, new).describe(mode)
    if metrics:
        described = collection_metrics(table, key_item)
        if described is not None:
            response["ItemCollectionMetrics"] = described
    return response


def transaction_extras(
    planned: list[tuple[str, Table, Any, Item | None, Item | None, Item]],
    mode: str | None,
    metrics: bool,
) -> dict[str, Any]:
    """TransactWriteItems' ``ConsumedCapacity`` (doubled units) and ``ItemCollectionMetrics``."""
    response: dict[str, Any] = {}
    if mode is not None:
        by_table: dict[str, Capacity] = {}
        for _kind, table, _key, old, new, _key_item in planned:
            total = by_table.setdefault(table.name, Capacity(table))
            step = write_capacity(table, old, new, multiplier=2.0)
            total.table_units += step.table_units
            for name, units in step.index_units.items():
                total.charge_index(table.indexes[name], units)
        response["ConsumedCapacity"] = [c.describe(mode) for c in by_table.values()]
    if metrics:
        collected: dict[str, list[dict[str, Any]]] = {}
        for kind, table, _key, _old, _new, key_item in planned:
            described = collection_metrics(table, key_item) if kind != "ConditionCheck" else None
            if described is not None:
                collected.setdefault(table.name, []).append(described)
        if collected:
            response["ItemCollectionMetrics"] = collected
    return response
