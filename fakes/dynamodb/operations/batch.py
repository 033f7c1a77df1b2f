"""BatchWriteItem and BatchGetItem.

The whole batch is validated before anything is written. The fake never
throttles, so ``UnprocessedItems`` / ``UnprocessedKeys`` are always empty
(the fault-injection seam is where partial batches belong).
"""

from __future__ import annotations

from typing import Any

from fakes.dynamodb.attributes import copy_item, normalise_item
from fakes.dynamodb.expressions import Bindings, parse, project
from fakes.dynamodb.legacy import translated
from fakes.dynamodb.operations.base import DynamoDBState
from fakes.dynamodb.operations.items import check_item_size
from fakes.errors import validation_error
from fakes.limits import DYNAMODB_MAX_BATCH_GET_ITEMS, DYNAMODB_MAX_BATCH_WRITE_ITEMS
from fakes.operations import operation


class BatchOperations(DynamoDBState):
    @operation
    def batch_write_item(self, params: dict[str, Any]) -> dict[str, Any]:
        requests = params["RequestItems"]
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
        for table, key, new in planned:
            self.commit(table, key, table.items.get(key), new)
        return {"UnprocessedItems": {}}

    @operation
    def batch_get_item(self, params: dict[str, Any]) -> dict[str, Any]:
        requests = params["RequestItems"]
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
            for key in keys:
                item = table.items.get(key)
                if item is not None:
                    found.append(project(item, paths) if paths is not None else copy_item(item))
            responses[table_name] = found
        return {"Responses": responses, "UnprocessedKeys": {}}
