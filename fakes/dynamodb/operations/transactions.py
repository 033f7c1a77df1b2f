"""TransactWriteItems and TransactGetItems: all or nothing.

Every action is checked against the state before the transaction; only if
all pass is anything written. Every action is validated (one action per
item, non-empty ExpressionAttributeValues) before any condition is parsed or
evaluated, as AWS does. A ``ClientRequestToken`` makes the call idempotent for
10 minutes: the same token with the same request succeeds without writing
again; with a different request it is an ``IdempotentParameterMismatchException``.
"""

from __future__ import annotations

import json
from typing import Any

from eventproof_fakes.dynamodb.attributes import copy_item, item_size, normalise_item
from eventproof_fakes.dynamodb.capacity import (
    Capacity,
    read_units,
    requested,
    transaction_extras,
    wants_metrics,
)
from eventproof_fakes.dynamodb.expressions import Bindings, matches, parse, project
from eventproof_fakes.dynamodb.operations.base import DynamoDBState
from eventproof_fakes.dynamodb.operations.items import ItemOperations, check_item_size
from eventproof_fakes.errors import AWSError, validation_error
from eventproof_fakes.limits import DYNAMODB_MAX_TRANSACT_ITEMS
from eventproof_fakes.operations import operation


def _check_count(actions: list[Any]) -> None:
    if len(actions) > DYNAMODB_MAX_TRANSACT_ITEMS:
        raise validation_error(
            f"1 validation error detected: Value '[{len(actions)} items]' at 'transactItems' "
            f"failed to satisfy constraint: Member must have length less than or equal to "
            f"{DYNAMODB_MAX_TRANSACT_ITEMS}"
        )


_ACTIONS = ("ConditionCheck", "Put", "Delete", "Update")
_TOKEN_LIFETIME = 10 * 60


def _single_actions(actions: list[Any]) -> list[tuple[str, dict[str, Any]]]:
    """Each item's one action, validated before anything is parsed."""
    single = []
    for action in actions:
        present = [kind for kind in _ACTIONS if action.get(kind) is not None]
        if len(present) != 1:
            raise validation_error(
                "TransactItems can only contain one of Check, Put, Update or Delete"
            )
        request = action[present[0]]
        values = request.get("ExpressionAttributeValues")
        if values is not None and not values:
            raise validation_error("ExpressionAttributeValues must not be empty")
        names = request.get("ExpressionAttributeNames")
        if names is not None and not names:
            raise validation_error("ExpressionAttributeNames must not be empty")
        single.append((present[0], request))
    return single


class TransactionOperations(DynamoDBState):
    @operation
    def transact_write_items(self, params: dict[str, Any]) -> dict[str, Any]:
        actions = params["TransactItems"]
        _check_count(actions)
        mode, metrics = requested(params), wants_metrics(params)
        token = params.get("ClientRequestToken")
        if token is not None:
            replay = self._replayed(token, actions)
            if replay is not None:
                return replay
        planned = []
        reasons: list[dict[str, Any]] = []
        seen = set()
        for kind, request in _single_actions(actions):
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
            planned.append((kind, table, key, old, new, key_item))
        if any(reason["Code"] != "None" for reason in reasons):
            codes = ", ".join(reason["Code"] for reason in reasons)
            raise AWSError(
                "TransactionCanceledException",
                "Transaction cancelled, please refer cancellation reasons for specific reasons "
                f"[{codes}]",
                extra={"CancellationReasons": reasons},
            )
        for kind, table, key, old, new, _ in planned:
            if kind != "ConditionCheck":
                self.commit(table, key, old, new)
        response = transaction_extras(planned, mode, metrics)
        if token is not None:
            self._remember(token, actions, response)
        return response

    # --- idempotency ----------------------------------------------------------
    def _replayed(self, token: str, actions: list[Any]) -> dict[str, Any] | None:
        now = self.env.clock.now()
        entry = self.transaction_tokens.get(token)
        if entry is None or entry[0] <= now:
            return None
        if entry[1] != _fingerprint(actions):
            raise AWSError(
                "IdempotentParameterMismatchException",
                "The ClientRequestToken provided is associated with a different request.",
            )
        return dict(entry[2])

    def _remember(self, token: str, actions: list[Any], response: dict[str, Any]) -> None:
        tokens = self.transaction_tokens
        now = self.env.clock.now()
        for stale in [t for t, entry in tokens.items() if entry[0] <= now]:
            del tokens[stale]
        tokens[token] = (now + _TOKEN_LIFETIME, _fingerprint(actions), dict(response))

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
        mode = requested(params)
        capacities: dict[str, Capacity] = {}
        responses: list[dict[str, Any]] = []
        for action in actions:
            request = action["Get"]
            table = self.table(request["TableName"])
            key = table.key_from_request(normalise_item(request["Key"]))
            source = request.get("ProjectionExpression")
            parsed = parse("ProjectionExpression", source) if source else None
            bindings = Bindings(request, (parsed,) if parsed else ())
            item = table.items.get(key)
            capacity = capacities.setdefault(table.name, Capacity(table))
            capacity.table_units += 2 * read_units(item_size(item) if item else 0, True)
            if item is None:
                responses.append({})
            elif parsed is not None:
                paths = [bindings.resolve(p) for p in parsed.tree]  # type: ignore[union-attr]
                responses.append({"Item": project(item, paths)})
            else:
                responses.append({"Item": copy_item(item)})
        response: dict[str, Any] = {"Responses": responses}
        if mode is not None:
            response["ConsumedCapacity"] = [c.describe(mode) for c in capacities.values()]
        return response


def _fingerprint(actions: list[Any]) -> str:
    return json.dumps(actions, sort_keys=True, default=repr)
