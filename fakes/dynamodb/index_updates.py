"""UpdateTable's ``GlobalSecondaryIndexUpdates``: create, delete and update an index online.

An index created on an existing table is backfilled from the table's items;
until the build finishes it is ``CREATING`` with ``Backfilling: true`` and a
read from it is refused, as on AWS. The build takes
``DYNAMODB_INDEX_BUILD_SECONDS`` of virtual time (a foreground timer, so
``run_until_idle`` finishes it); deleting an index makes it ``DELETING`` at
once (no reads) and removes it when its timer fires; an update of its
throughput is ``UPDATING`` until then. As on AWS only one index can be
created or deleted at a time per table.
Simplification: the fake reads an index by filtering the base table, so the
backfill is the status change; items whose key attribute has the wrong type
are left out of query results exactly as AWS leaves them out of the index.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventproof_fakes.dynamodb.tables import Index, Table
from eventproof_fakes.errors import AWSError, UnsupportedParameter, validation_error
from eventproof_fakes.limits import DYNAMODB_INDEX_BUILD_SECONDS

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

__all__ = ["apply_index_updates", "check_readable"]

_INVALID = "One or more parameter values were invalid: "


def check_readable(index: Index) -> None:
    """A query or scan of an index that is not ACTIVE is refused."""
    status = index.description.get("IndexStatus", "ACTIVE")
    if status == "CREATING":
        raise validation_error(
            f"Cannot read from backfilling global secondary index: {index.name}"
        )
    if status == "DELETING":
        raise validation_error(f"The table does not have the specified index: {index.name}")


def apply_index_updates(
    env: FakeAWS,
    table: Table,
    updates: list[dict[str, Any]],
    definitions: list[dict[str, str]] | None,
    build_index: Any,
) -> None:
    """Validate every update, then start each; ``build_index(table, spec, types)`` makes an Index."""
    changing = [u for u in updates if u.get("Create") is not None or u.get("Delete") is not None]
    busy = [
        i.name
        for i in table.indexes.values()
        if i.description.get("IndexStatus") in ("CREATING", "DELETING")
    ]
    if len(changing) > 1 or (changing and busy):
        raise AWSError(
            "LimitExceededException",
            "Subscriber limit exceeded: Only 1 online index can be created or deleted "
            "simultaneously per table",
        )
    types = {d["AttributeName"]: d["AttributeType"] for d in table.attribute_definitions}
    for definition in definitions or []:
        known = types.get(definition["AttributeName"])
        if known is not None and known != definition["AttributeType"]:
            raise validation_error(
                f"{_INVALID}Attribute {definition['AttributeName']} is already defined with "
                f"type {known}"
            )
        types[definition["AttributeName"]] = definition["AttributeType"]
    for update in updates:
        actions = [kind for kind in ("Create", "Delete", "Update") if update.get(kind) is not None]
        if len(actions) != 1:
            raise validation_error(
                f"{_INVALID}One of GlobalSecondaryIndexUpdate.Create, Update or Delete must be "
                "specified"
            )
        kind = actions[0]
        spec = update[kind]
        if kind == "Create":
            _create(env, table, spec, types, build_index)
        elif kind == "Delete":
            _delete(env, table, spec["IndexName"])
        else:
            _update(env, table, spec)
    table.attribute_definitions = [
        {"AttributeName": name, "AttributeType": kind}
        for name, kind in types.items()
        if name in _key_names(table)
    ]


def _unsupported(kind: str, parameter: str) -> AWSError:
    return UnsupportedParameter(
        "dynamodb", "UpdateTable", f"GlobalSecondaryIndexUpdates.{kind}.{parameter}"
    )


def _key_names(table: Table) -> set[str]:
    names = set(table.key.names)
    for index in table.indexes.values():
        names |= set(index.schema.names)
    return names


def _create(
    env: FakeAWS, table: Table, spec: dict[str, Any], types: dict[str, str], build_index: Any
) -> None:
    name = spec["IndexName"]
    unmodelled = sorted(set(spec) - {"IndexName", "KeySchema", "Projection", "ProvisionedThroughput"})
    if unmodelled:
        raise _unsupported("Create", unmodelled[0])
    if name in table.indexes:
        raise validation_error(f"{_INVALID}Index with name: {name} already exists")
    for element in spec["KeySchema"]:
        if element["AttributeName"] not in types:
            raise validation_error(
                f"{_INVALID}Some index key attributes are not defined in AttributeDefinitions. "
                f"Keys: [{element['AttributeName']}], AttributeDefinitions: "
                f"[{', '.join(types)}]"
            )
    if table.billing_mode == "PROVISIONED" and not spec.get("ProvisionedThroughput"):
        raise validation_error(
            f"{_INVALID}ProvisionedThroughput must be specified for index: {name}"
        )
    index: Index = build_index(table, spec, types)
    index.description["IndexStatus"] = "CREATING"
    index.description["Backfilling"] = True
    table.indexes[name] = index

    def built() -> None:
        if table.indexes.get(name) is index:
            index.description["IndexStatus"] = "ACTIVE"
            index.description.pop("Backfilling", None)

    env.clock.call_at(
        env.clock.now() + DYNAMODB_INDEX_BUILD_SECONDS, built, label=f"dynamodb index {name}"
    )


def _delete(env: FakeAWS, table: Table, name: str) -> None:
    index = table.indexes.get(name)
    if index is None or not index.is_global:
        raise AWSError(
            "ResourceNotFoundException",
            f"Requested resource not found: Index: {name} not found for table: {table.name}",
        )
    index.description["IndexStatus"] = "DELETING"

    def deleted() -> None:
        if table.indexes.get(name) is index:
            del table.indexes[name]

    env.clock.call_at(
        env.clock.now() + DYNAMODB_INDEX_BUILD_SECONDS, deleted, label=f"dynamodb index {name}"
    )


def _update(env: FakeAWS, table: Table, spec: dict[str, Any]) -> None:
    name = spec["IndexName"]
    index = table.indexes.get(name)
    if index is None or not index.is_global:
        raise AWSError(
            "ResourceNotFoundException",
            f"Requested resource not found: Index: {name} not found for table: {table.name}",
        )
    unmodelled = sorted(set(spec) - {"IndexName", "ProvisionedThroughput"})
    if unmodelled:
        raise _unsupported("Update", unmodelled[0])
    throughput = spec.get("ProvisionedThroughput")
    if throughput is None:
        return
    if table.billing_mode == "PAY_PER_REQUEST":
        raise validation_error(
            f"{_INVALID}ProvisionedThroughput cannot be specified for index: {name} when "
            "BillingMode is PAY_PER_REQUEST"
        )
    index.description["ProvisionedThroughput"] = {
        "NumberOfDecreasesToday": 0,
        "ReadCapacityUnits": throughput["ReadCapacityUnits"],
        "WriteCapacityUnits": throughput["WriteCapacityUnits"],
    }
    index.description["IndexStatus"] = "UPDATING"

    def updated() -> None:
        if index.description.get("IndexStatus") == "UPDATING":
            index.description["IndexStatus"] = "ACTIVE"

    env.clock.call_at(
        env.clock.now() + DYNAMODB_INDEX_BUILD_SECONDS, updated, label=f"dynamodb index {name}"
    )
