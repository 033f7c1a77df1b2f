"""PutItem, GetItem, UpdateItem and DeleteItem."""

from __future__ import annotations

from typing import Any

from eventproof_fakes.dynamodb.attributes import (
    Item,
    check_nesting,
    copy_item,
    item_size,
    normalise_item,
)
from eventproof_fakes.dynamodb.capacity import (
    Capacity,
    read_units,
    requested,
    wants_metrics,
    with_write_extras,
)
from eventproof_fakes.dynamodb.expressions import Bindings, apply_update, project
from eventproof_fakes.dynamodb.legacy import translated
from eventproof_fakes.dynamodb.operations.base import DynamoDBState
from eventproof_fakes.errors import validation_error
from eventproof_fakes.limits import DYNAMODB_MAX_ITEM_SIZE
from eventproof_fakes.operations import operation

_RETURN_VALUES = {
    "PutItem": ("NONE", "ALL_OLD"),
    "DeleteItem": ("NONE", "ALL_OLD"),
    "UpdateItem": ("NONE", "ALL_OLD", "ALL_NEW", "UPDATED_OLD", "UPDATED_NEW"),
}


def check_return_values(operation: str, params: dict[str, Any]) -> str:
    value = params.get("ReturnValues", "NONE")
    if value not in _RETURN_VALUES["UpdateItem"]:
        raise validation_error(
            f"1 validation error detected: Value '{value}' at 'returnValues' failed to satisfy "
            "constraint: Member must satisfy enum value set: "
            "[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"
        )
    if value not in _RETURN_VALUES[operation]:
        raise validation_error("Return values set to invalid value")
    return str(value)


def check_item_size(
    item: Item, message: str = "Item size has exceeded the maximum allowed size"
) -> int:
    """The item's size, for the stream record to reuse; too large: AWS's ValidationException."""
    size = item_size(item)
    if size > DYNAMODB_MAX_ITEM_SIZE:
        raise validation_error(message)
    return size


def _update_response(returns: str, old: Item | None, new: Item, touched: list[Any]) -> dict[str, Any]:
    if returns == "ALL_OLD":
        return {"Attributes": copy_item(old)} if old is not None else {}
    if returns == "ALL_NEW":
        return {"Attributes": copy_item(new)}
    if returns == "UPDATED_OLD":
        attributes = project(old, touched) if old is not None else {}
        return {"Attributes": attributes} if attributes else {}
    if returns == "UPDATED_NEW":
        attributes = project(new, touched)
        return {"Attributes": attributes} if attributes else {}
    return {}


class ItemOperations(DynamoDBState):
    @operation
    def put_item(self, params: dict[str, Any]) -> dict[str, Any]:
        params = translated("PutItem", params)
        table = self.table(params["TableName"])
        returns = check_return_values("PutItem", params)
        mode, metrics = requested(params), wants_metrics(params)
        item = normalise_item(params["Item"])
        key = table.key_of(item)
        table.check_index_keys(item)
        size = check_item_size(item)
        condition = self.parse_optional("ConditionExpression", params)
        bindings = self.bindings(params, condition)
        old = table.items.get(key)
        self.check_condition(condition, bindings, old, params)
        self.commit(table, key, old, item, new_size=size)
        response = {"Attributes": copy_item(old)} if returns == "ALL_OLD" and old is not None else {}
        if mode is None and not metrics:
            return response
        return with_write_extras(response, table, item, old, item, mode, metrics)

    @operation
    def get_item(self, params: dict[str, Any]) -> dict[str, Any]:
        params = translated("GetItem", params)
        table = self.table(params["TableName"])
        projection = self.parse_optional("ProjectionExpression", params)
        bindings = Bindings(params, (projection,) if projection else ())
        mode = requested(params)
        key = table.key_from_request(normalise_item(params["Key"]))
        item = table.items.get(key)
        response: dict[str, Any] = {}
        if item is not None and projection is not None:
            response["Item"] = project(item, [bindings.resolve(p) for p in projection.tree])  # type: ignore[union-attr]
        elif item is not None:
            response["Item"] = copy_item(item)
        if mode is not None:
            capacity = Capacity(table)
            size = item_size(item) if item is not None else 0
            capacity.table_units = read_units(size, bool(params.get("ConsistentRead")))
            response["ConsumedCapacity"] = capacity.describe(mode)
        return response

    @operation
    def delete_item(self, params: dict[str, Any]) -> dict[str, Any]:
        params = translated("DeleteItem", params)
        table = self.table(params["TableName"])
        returns = check_return_values("DeleteItem", params)
        mode, metrics = requested(params), wants_metrics(params)
        key_item = normalise_item(params["Key"])
        key = table.key_from_request(key_item)
        condition = self.parse_optional("ConditionExpression", params)
        bindings = self.bindings(params, condition)
        old = table.items.get(key)
        self.check_condition(condition, bindings, old, params)
        self.commit(table, key, old, None)
        response = {"Attributes": copy_item(old)} if returns == "ALL_OLD" and old is not None else {}
        return with_write_extras(response, table, key_item, old, None, mode, metrics)

    @operation
    def update_item(self, params: dict[str, Any]) -> dict[str, Any]:
        params = translated("UpdateItem", params)
        table = self.table(params["TableName"])
        returns = check_return_values("UpdateItem", params)
        mode, metrics = requested(params), wants_metrics(params)
        key_item = normalise_item(params["Key"])
        key = table.key_from_request(key_item)
        update = self.parse_optional("UpdateExpression", params)
        condition = self.parse_optional("ConditionExpression", params)
        bindings = Bindings(params, [p for p in (update, condition) if p is not None])
        old = table.items.get(key)
        self.check_condition(condition, bindings, old, params)
        new, touched = self.updated_item(table, key_item, old, update, bindings)
        self.commit(table, key, old, new)
        response = _update_response(returns, old, new, touched)
        return with_write_extras(response, table, key_item, old, new, mode, metrics)

    @staticmethod
    def updated_item(
        table: Any, key_item: Item, old: Item | None, update: Any, bindings: Bindings
    ) -> tuple[Item, list[Any]]:
        """The item after ``update`` (an UpdateItem on a missing item creates it)."""
        base = old if old is not None else dict(key_item)
        if update is None:
            return copy_item(base), []
        new, touched = apply_update(update.tree, base, bindings, table.key.names)
        table.check_index_keys(new)
        check_nesting(new)
        check_item_size(new, "Item size to update has exceeded the maximum allowed size")
        return new, touched
