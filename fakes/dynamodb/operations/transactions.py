"""TransactWriteItems and TransactGetItems: all or nothing.

Every action is checked against the state before the transaction; only if
all pass is anything written. Simplification: ``ClientRequestToken``
idempotency is not modelled (a repeated token runs again).
"""

from __future__ import annotations

from typing import Any

from fakes.dynamodb.attributes import copy_item, normalise_item
from fakes.dynamodb.expressions import Bindings, matches, parse, project
from fakes.dynamodb.operations.base import DynamoDBState
from fakes.dynamodb.operations.items import ItemOperations, check_item_size
from fakes.errors import AWSError, validation_error
from fakes.limits import DYNAMODB_MAX_TRANSACT_ITEMS
from fakes.operations import operation


def _check_count(actions: list[Any]) -> None:
    if len(actions) > DYNAMODB_MAX_TRANSACT_ITEMS:
        raise validation_error(
            f"1 validation error detected: Value '[{len(actions)} items]' at 'transactItems' "
            f"failed to satisfy constraint: Member must have length less than or equal to "
            f"{DYNAMODB_MAX_TRANSACT_ITEMS}"
        )


class TransactionOperations(DynamoDBState):
    @operation
    def transact_write_items(self, params: dict[str, Any]) -> dict[str, Any]:
        actions = params["TransactItems"]
        _check_count(actions)
        planned = []
        reasons: list[dict[str, Any]] = []
        seen = set()
        for action in actions:
            ((kind, request),) = action.items()
            table = self.table(request["TableName"])
            if kind == "Put":
                key_item = normalise_item(request["Item"])
                key = table.key_of(key_item)
            else:
                key_item = normalise_item(request["Key"])
                key = table.key_from_request(key_item)
            if (table.name, key) in seen:
                raise validation_error(
                    "Transaction request cannot include multiple operations on one item"
                )
            seen.add((table.name, key))
            old = table.items.get(key)
            try:
                new = self._transact_action(kind, request, table, key_item, old)
            except AWSError as error:
                if error.code == "ConditionalCheckFailedException":
                    reason: dict[str, Any] = {
                        "Code": "ConditionalCheckFailed",
                        "Message": "The conditional request failed",
                    }
                    if "Item" in error.extra:
                        reason["Item"] = error.extra["Item"]
                    reasons.append(reason)
                    continue
                raise
            reasons.append({"Code": "None"})
            if kind != "ConditionCheck":
                planned.append((table, key, old, new))
        if any(reason["Code"] != "None" for reason in reasons):
            codes = ", ".join(reason["Code"] for reason in reasons)
            raise AWSError(
                "TransactionCanceledException",
                "Transaction cancelled, please refer cancellation reasons for specific reasons "
                f"[{codes}]",
                extra={"CancellationReasons": reasons},
            )
        for table, key, old, new in planned:
            self.commit(table, key, old, new)
        return {}

    def _transact_action(
        self, kind: str, request: dict[str, Any], table: Any, key_item: Any, old: Any
    ) -> Any:
        condition_source = request.get("ConditionExpression")
        condition = parse("ConditionExpression", condition_source) if condition_source else None
        update = (
            parse("UpdateExpression", request["UpdateExpression"]) if kind == "Update" else None
        )
        if kind == "ConditionCheck" and condition is None:
            raise validation_error(
                "ConditionExpression must be provided for ConditionCheck operations"
            )
        bindings = Bindings(request, [p for p in (condition, update) if p is not None])
        if condition is not None and not matches(condition.tree, old or {}, bindings):  # type: ignore[arg-type]
            extra = {}
            if old is not None and request.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD":
                extra["Item"] = copy_item(old)
            raise AWSError(
                "ConditionalCheckFailedException", "The conditional request failed", extra=extra
            )
        if kind == "Put":
            table.check_index_keys(key_item)
            check_item_size(key_item)
            return key_item
        if kind == "Delete":
            return None
        if kind == "Update":
            new, _ = ItemOperations.updated_item(table, key_item, old, update, bindings)
            return new
        return old

    @operation
    def transact_get_items(self, params: dict[str, Any]) -> dict[str, Any]:
        actions = params["TransactItems"]
        _check_count(actions)
        responses: list[dict[str, Any]] = []
        for action in actions:
            request = action["Get"]
            table = self.table(request["TableName"])
            key = table.key_from_request(normalise_item(request["Key"]))
            source = request.get("ProjectionExpression")
            parsed = parse("ProjectionExpression", source) if source else None
            bindings = Bindings(request, (parsed,) if parsed else ())
            item = table.items.get(key)
            if item is None:
                responses.append({})
            elif parsed is not None:
                paths = [bindings.resolve(p) for p in parsed.tree]  # type: ignore[union-attr]
                responses.append({"Item": project(item, paths)})
            else:
                responses.append({"Item": copy_item(item)})
        return {"Responses": responses}
