"""Query and Scan, on a table or a secondary index.

As on AWS, ``Limit`` caps the items *evaluated*, before the filter, and a
page stops at 1 MB; ``LastEvaluatedKey`` is returned whenever a page stopped
early, even if nothing is left (the next page is then empty).
"""

from __future__ import annotations

import zlib
from typing import Any

from eventproof_fakes.dynamodb.attributes import Item, copy_item, item_size, normalise_item
from eventproof_fakes.dynamodb.capacity import Capacity, read_units, requested
from eventproof_fakes.dynamodb.expressions import Bindings, Parsed, matches, parse, project
from eventproof_fakes.dynamodb.expressions.tree import (
    And,
    Between,
    Compare,
    Function,
    Path,
    ValueRef,
)
from eventproof_fakes.dynamodb.index_updates import check_readable
from eventproof_fakes.dynamodb.legacy import translated
from eventproof_fakes.dynamodb.operations.base import DynamoDBState
from eventproof_fakes.dynamodb.tables import KeySchema, Table
from eventproof_fakes.errors import validation_error
from eventproof_fakes.limits import DYNAMODB_MAX_QUERY_PAGE_SIZE
from eventproof_fakes.operations import operation


class ReadOperations(DynamoDBState):
    @operation
    def query(self, params: dict[str, Any]) -> dict[str, Any]:
        params = translated("Query", params)
        table = self.table(params["TableName"])
        if "KeyConditionExpression" not in params:
            raise validation_error(
                "Either the KeyConditions or KeyConditionExpression parameter must be specified "
                "in the request."
            )
        key_condition = parse("KeyConditionExpression", params["KeyConditionExpression"])
        schema, index = self._schema(table, params)
        parsed = [key_condition, *self._read_expressions(params)]
        bindings = Bindings(params, parsed)
        hash_value = _check_key_condition(key_condition, schema, bindings)
        candidates = [
            item
            for item in table.items.values()
            if schema.hash_key in item
            and (schema.range_key is None or schema.range_key in item)
            and item[schema.hash_key] == hash_value
            and matches(key_condition.tree, item, bindings)  # type: ignore[arg-type]
        ]
        forward = params.get("ScanIndexForward", True)
        return self._page(table, schema, index, candidates, params, bindings, forward)

    @operation
    def scan(self, params: dict[str, Any]) -> dict[str, Any]:
        params = translated("Scan", params)
        table = self.table(params["TableName"])
        schema, index = self._schema(table, params)
        bindings = Bindings(params, self._read_expressions(params))
        candidates = [
            item for item in table.items.values() if all(name in item for name in schema.names)
        ]
        total = params.get("TotalSegments")
        if total is not None:
            segment = params.get("Segment", 0)
            candidates = [
                item
                for item in candidates
                if zlib.crc32(repr(item[table.key.hash_key]).encode()) % total == segment
            ]
        return self._page(table, schema, index, candidates, params, bindings, True)

    # --- helpers ------------------------------------------------------------
    @staticmethod
    def _schema(table: Table, params: dict[str, Any]) -> tuple[KeySchema, Any]:
        name = params.get("IndexName")
        if name is None:
            return table.key, None
        index = table.indexes.get(name)
        if index is None:
            raise validation_error(f"The table does not have the specified index: {name}")
        check_readable(index)
        if index.is_global and params.get("ConsistentRead"):
            raise validation_error("Consistent reads are not supported on global secondary indexes")
        return index.schema, index

    def _read_expressions(self, params: dict[str, Any]) -> list[Parsed]:
        parsed = []
        for kind in ("FilterExpression", "ProjectionExpression"):
            if params.get(kind) is not None:
                parsed.append(parse(kind, params[kind]))
        select = params.get("Select")
        if select == "SPECIFIC_ATTRIBUTES" and "ProjectionExpression" not in params:
            raise validation_error(
                "1 validation error detected: Select SPECIFIC_ATTRIBUTES requires a ProjectionExpression"
            )
        if select not in (None, "SPECIFIC_ATTRIBUTES") and "ProjectionExpression" in params:
            raise validation_error(
                "Cannot specify the AttributesToGet when choosing to get only the Count"
                if select == "COUNT"
                else "1 validation error detected: Select must be SPECIFIC_ATTRIBUTES when "
                "ProjectionExpression is given"
            )
        return parsed

    def _page(
        self,
        table: Table,
        schema: KeySchema,
        index: Any,
        candidates: list[Item],
        params: dict[str, Any],
        bindings: Bindings,
        forward: bool,
    ) -> dict[str, Any]:
        def order(item: Item) -> tuple[Any, ...]:
            if index is None:
                return table.key.sort_key(item)
            return (*schema.sort_key(item), *table.key.sort_key(item))

        candidates.sort(key=order, reverse=not forward)
        start = params.get("ExclusiveStartKey")
        if start is not None:
            start_item = normalise_item(start)
            names = set(table.key.names) | set(schema.names)
            if set(start_item) != names:
                raise validation_error("The provided starting key is invalid")
            position = order(start_item)
            if forward:
                candidates = [i for i in candidates if order(i) > position]
            else:
                candidates = [i for i in candidates if order(i) < position]
        limit = params.get("Limit")
        if limit is not None and limit < 1:
            raise validation_error(
                f"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy "
                "constraint: Member must have value greater than or equal to 1"
            )
        filter_expression = params.get("FilterExpression")
        filter_tree = (
            parse("FilterExpression", filter_expression).tree if filter_expression else None
        )
        projection = params.get("ProjectionExpression")
        paths = (
            [bindings.resolve(p) for p in parse("ProjectionExpression", projection).tree]  # type: ignore[union-attr]
            if projection
            else None
        )
        counting = params.get("Select") == "COUNT"
        mode = requested(params)
        results: list[Item] = []
        scanned = 0
        size = 0
        last: Item | None = None
        for item in candidates:
            if (limit is not None and scanned >= limit) or size >= DYNAMODB_MAX_QUERY_PAGE_SIZE:
                break
            scanned += 1
            size += item_size(item)
            last = item
            if filter_tree is not None and not matches(filter_tree, item, bindings):  # type: ignore[arg-type]
                continue
            if counting:
                results.append(item)
            elif paths is not None:
                results.append(project(item, paths))
            elif index is not None:
                results.append(copy_item(index.projects(item, table.key)))
            else:
                results.append(copy_item(item))
        response: dict[str, Any] = {"Count": len(results), "ScannedCount": scanned}
        if not counting:
            response["Items"] = results
        stopped_early = scanned < len(candidates) or (limit is not None and scanned >= limit)
        if stopped_early and last is not None:
            key_names = list(table.key.names) + [
                n for n in schema.names if n not in table.key.names
            ]
            response["LastEvaluatedKey"] = copy_item({n: last[n] for n in key_names})
        if mode is not None:
            capacity = Capacity(table)
            units = read_units(size, bool(params.get("ConsistentRead")))
            if index is None:
                capacity.table_units = units
            else:
                capacity.charge_index(index, units)
            response["ConsumedCapacity"] = capacity.describe(mode)
        return response


def _flatten(condition: Any) -> list[Any]:
    if isinstance(condition, And):
        return _flatten(condition.left) + _flatten(condition.right)
    return [condition]


def _key_path(operand: Any, bindings: Bindings) -> str | None:
    if isinstance(operand, Path) and len(operand.elements) == 1:
        return str(bindings.resolve(operand)[0])
    return None


def _check_key_condition(parsed: Parsed, schema: KeySchema, bindings: Bindings) -> Any:
    """Validate the KeyConditionExpression's shape; return the partition key value."""
    hash_value = None
    range_seen = False
    for part in _flatten(parsed.tree):
        if isinstance(part, Compare):
            name = _key_path(part.left, bindings)
            value = part.right
            if name is None:
                name, value = _key_path(part.right, bindings), part.left
        elif isinstance(part, Between | Function):
            first = part.operand if isinstance(part, Between) else part.args[0]
            name, value = _key_path(first, bindings), None
            if isinstance(part, Function) and part.name != "begins_with":
                raise validation_error(
                    f"Invalid KeyConditionExpression: Invalid function name; function: {part.name}"
                )
        else:
            raise validation_error(
                "Invalid operator used in KeyConditionExpression: " + type(part).__name__.upper()
            )
        if name == schema.hash_key and isinstance(part, Compare) and part.operator == "=":
            if not isinstance(value, ValueRef) or hash_value is not None:
                raise validation_error("Query key condition not supported")
            hash_value = bindings.values[value.name]
        elif name == schema.range_key and name is not None and not range_seen:
            if isinstance(part, Compare) and part.operator == "<>":
                raise validation_error("Query key condition not supported")
            range_seen = True
        elif name not in schema.names:
            raise validation_error(
                f"Query condition missed key schema element: {schema.hash_key}"
                if hash_value is None
                else f"Query condition missed key schema element: {schema.range_key}"
                if schema.range_key
                else "Query key condition not supported"
            )
        else:
            raise validation_error("Query key condition not supported")
    if hash_value is None:
        raise validation_error(f"Query condition missed key schema element: {schema.hash_key}")
    return hash_value
