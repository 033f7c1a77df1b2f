"""BatchWriteItem and BatchGetItem.

The whole batch is validated before anything is written. The fake never
throttles, so ``UnprocessedItems`` / ``UnprocessedKeys`` are always empty
(the fault-injection seam is where partial batches belong).
"""

from __future__ import annotations

from typing import Any

from eventproof_fakes.dynamodb.attributes import copy_item, item_size, normalise_item
from eventproof_fakes.dynamodb.capacity import (
    Capacity,
    read_units,
    requested,
    transaction_extras,
    wants_metrics,
    write_capacity,
)
from eventproof_fakes.dynamodb.expressions import Bindings, parse, project
from eventproof_fakes.dynamodb.legacy import translated
from eventproof_fakes.dynamodb.operations.base import DynamoDBState
from eventproof_fakes.dynamodb.operations.items import check_item_size
from eventproof_fakes.errors import validation_error
from eventproof_fakes.limits import DYNAMODB_MAX_BATCH_GET_ITEMS, DYNAMODB_MAX_BATCH_WRITE_ITEMS
from eventproof_fakes.operations import operation


class BatchOperations(DynamoDBState):
    @operation
    def batch_write_item(self, params: dict[str, Any]) -> dict[str, Any]:
        requests = params["RequestItems"]
        mode, metrics = requested(params), wants_metrics(params)
        total = sum(len(entries) for entries in requests.values())
        if total > DYNAMODB_MAX_BATCH_WRITE_ITEMS:
            raise validation_error(
                "1 validation error detected: Value at 'requestItems' failed to satisfy "
                "constraint: Map value must satisfy constraint: [Member must have length less "
                f"than or equal to {DYNAMODB_MAX_BATCH_WRITE_ITEMS}, Member must have length "
                "greater than or equal to 1]"
            )
        planned = []
        for table_name, entries in requests.items():
            table = self.table(table_name)
            seen = set()
            for entry in entries:
                if "PutRequest" in entry:
                    item = normalise_item(entry["PutRequest"]["Item"])
                    key = table.key_of(item)
                    table.check_index_keys(item)
                    check_item_size(item)
                    new: Any = item
                elif "DeleteRequest" in entry:
                    key = table.key_from_request(normalise_item(entry["DeleteRequest"]["Key"]))
                    new = None
                else:
                    raise validation_error(
                        "Each WriteRequest must contain a PutRequest or DeleteRequest"
                    )
                if key in seen:
                    raise validation_error("Provided list of item keys contains duplicates")
                seen.add(key)
                planned.append((table, key, new))
        written: list[Any] = []
        for table, key, new in planned:
            old = table.items.get(key)
            self.commit(table, key, old, new)
            key_item = new if new is not None else old
            written.append(("Put" if new is not None else "Delete", table, key, old, new, key_item))
        response: dict[str, Any] = {"UnprocessedItems": {}}
        if mode is not None:
            response["ConsumedCapacity"] = _summed(written, mode)
        if metrics:
            extras = transaction_extras(
                [entry for entry in written if entry[5] is not None], None, True
            )
            if "ItemCollectionMetrics" in extras:
                response["ItemCollectionMetrics"] = extras["ItemCollectionMetrics"]
        return response

    @operation
    def batch_get_item(self, params: dict[str, Any]) -> dict[str, Any]:
        requests = params["RequestItems"]
        mode = requested(params)
        capacities: dict[str, Capacity] = {}
        total = sum(len(request["Keys"]) for request in requests.values())
        if total > DYNAMODB_MAX_BATCH_GET_ITEMS:
            raise validation_error("Too many items requested for the BatchGetItem call")
        responses: dict[str, list[dict[str, Any]]] = {}
        for table_name, request in requests.items():
            request = translated("BatchGetItem", request)
            table = self.table(table_name)
            projection = request.get("ProjectionExpression")
            parsed = parse("ProjectionExpression", projection) if projection else None
            bindings = Bindings(request, (parsed,) if parsed else ())
            paths = [bindings.resolve(p) for p in parsed.tree] if parsed else None  # type: ignore[union-attr]
            keys = [table.key_from_request(normalise_item(k)) for k in request["Keys"]]
            if len(set(keys)) != len(keys):
                raise validation_error("Provided list of item keys contains duplicates")
            found = []
            capacity = capacities.setdefault(table.name, Capacity(table))
            consistent = bool(request.get("ConsistentRead"))
            for key in keys:
                item = table.items.get(key)
                capacity.table_units += read_units(item_size(item) if item else 0, consistent)
                if item is not None:
                    found.append(project(item, paths) if paths is not None else copy_item(item))
            responses[table_name] = found
        response: dict[str, Any] = {"Responses": responses, "UnprocessedKeys": {}}
        if mode is not None:
            response["ConsumedCapacity"] = [c.describe(mode) for c in capacities.values()]
        return response


def _summed(written: list[Any], mode: str) -> list[dict[str, Any]]:
    by_table: dict[str, Capacity] = {}
    for _kind, table, _key, old, new, _item in written:
        total = by_table.setdefault(table.name, Capacity(table))
        step = write_capacity(table, old, new)
        total.table_units += step.table_units
        for name, units in step.index_units.items():
            total.charge_index(table.indexes[name], units)
    return [c.describe(mode) for c in by_table.values()]
