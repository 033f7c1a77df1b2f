"""A DynamoDB table: its key schema, its items, its indexes and its stream.

Items live in a dict keyed by the canonical key, so a read or write by key is
one lookup. Query and Scan sort the candidates on demand, by partition key
then sort key.

Simplifications: a table (and its indexes) is ACTIVE as soon as it is
created; Scan returns items in key order rather than DynamoDB's hash order
(both are "unspecified" to a caller); secondary indexes are read by
filtering the base table at query time, which is always consistent, where
a GSI on AWS is eventually consistent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from eventproof_fakes.dynamodb.attributes import (
    AttributeValue,
    Item,
    canonical,
    ordering_key,
    type_of,
    value_size,
)
from eventproof_fakes.errors import validation_error
from eventproof_fakes.limits import DYNAMODB_MAX_PARTITION_KEY_SIZE, DYNAMODB_MAX_SORT_KEY_SIZE

if TYPE_CHECKING:
    from eventproof_fakes.dynamodb.streams import Stream

_INVALID = "One or more parameter values were invalid: "


@dataclass(frozen=True)
class KeySchema:
    """The key of a table or an index, with the declared attribute types."""

    hash_key: str
    hash_type: str
    range_key: str | None = None
    range_type: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.hash_key,) if self.range_key is None else (self.hash_key, self.range_key)

    def describe(self) -> list[dict[str, str]]:
        schema = [{"AttributeName": self.hash_key, "KeyType": "HASH"}]
        if self.range_key is not None:
            schema.append({"AttributeName": self.range_key, "KeyType": "RANGE"})
        return schema

    def sort_key(self, item: Item) -> tuple[Any, ...]:
        first = ordering_key(item[self.hash_key])
        if self.range_key is None:
            return (first,)
        return (first, ordering_key(item[self.range_key]))


@dataclass
class Index:
    name: str
    schema: KeySchema
    projection: dict[str, Any]
    is_global: bool
    description: dict[str, Any]

    def projects(self, item: Item, table_key: KeySchema) -> Item:
        kind = self.projection.get("ProjectionType", "ALL")
        if kind == "ALL":
            return item
        keep = set(table_key.names) | set(self.schema.names)
        if kind == "INCLUDE":
            keep |= set(self.projection.get("NonKeyAttributes", []))
        return {name: value for name, value in item.items() if name in keep}


@dataclass
class Table:
    name: str
    arn: str
    table_id: str
    key: KeySchema
    attribute_definitions: list[dict[str, str]]
    created: datetime
    billing_mode: str
    throughput: dict[str, int]
    indexes: dict[str, Index] = field(default_factory=dict)
    items: dict[Any, Item] = field(default_factory=dict)
    stream: Stream | None = None
    ttl_attribute: str | None = None
    description_extra: dict[str, Any] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    recovery: Any = None  # eventproof_fakes.dynamodb.backups.RecoveryLog while point-in-time recovery is on

    # --- keys ---------------------------------------------------------------
    def key_of(self, item: Item) -> Any:
        """The canonical key of a full item, validated as PutItem does."""
        key = self.key
        hash_value = item.get(key.hash_key)
        if hash_value is None:
            raise validation_error(f"{_INVALID}Missing the key {key.hash_key} in the item")
        _check_key_value(key.hash_key, hash_value, key.hash_type, DYNAMODB_MAX_PARTITION_KEY_SIZE)
        if key.range_key is None:
            return canonical(hash_value)
        range_value = item.get(key.range_key)
        if range_value is None:
            raise validation_error(f"{_INVALID}Missing the key {key.range_key} in the item")
        _check_key_value(key.range_key, range_value, key.range_type, DYNAMODB_MAX_SORT_KEY_SIZE)
        return (canonical(hash_value), canonical(range_value))

    def key_from_request(self, key: Any) -> Any:
        """The canonical key of a ``Key`` parameter: exactly the key attributes."""
        schema = self.key
        if not isinstance(key, dict) or set(key) != set(schema.names):
            raise validation_error("The provided key element does not match the schema")
        for name, declared in (
            (schema.hash_key, schema.hash_type),
            (schema.range_key, schema.range_type),
        ):
            if name is not None and type_of(key[name]) != declared:
                raise validation_error("The provided key element does not match the schema")
        for name in schema.names:
            if type_of(key[name]) in ("S", "B") and not next(iter(key[name].values())):
                raise validation_error(
                    "One or more parameter values are not valid. The AttributeValue for a key "
                    f"attribute cannot contain an empty {_TYPE_WORDS[type_of(key[name])]} value. "
                    f"Key: {name}"
                )
        return self.key_of(key)

    def check_index_keys(self, item: Item) -> None:
        """An item's index key attributes must have the declared types when present."""
        for index in self.indexes.values():
            for name, declared in (
                (index.schema.hash_key, index.schema.hash_type),
                (index.schema.range_key, index.schema.range_type),
            ):
                value = item.get(name) if name else None
                if value is not None and type_of(value) != declared:
                    raise validation_error(
                        f"{_INVALID}Type mismatch for Index Key {name} Expected: {declared} "
                        f"Actual: {type_of(value)} IndexName: {index.name}"
                    )
                if value is not None and declared in _TYPE_WORDS and not value[declared]:
                    raise validation_error(
                        "One or more parameter values are not valid. A value specified for a "
                        "secondary index key is not supported. The AttributeValue for a key "
                        f"attribute cannot contain an empty {_TYPE_WORDS[declared]} value. "
                        f"IndexName: {index.name}, IndexKey: {name}"
                    )

    # --- description --------------------------------------------------------
    def describe(self) -> dict[str, Any]:
        size = sum(_item_bytes(item) for item in self.items.values())
        description: dict[str, Any] = {
            "AttributeDefinitions": [dict(d) for d in self.attribute_definitions],
            "TableName": self.name,
            "KeySchema": self.key.describe(),
            "TableStatus": "ACTIVE",
            "CreationDateTime": self.created,
            "ProvisionedThroughput": {"NumberOfDecreasesToday": 0, **self.throughput},
            "TableSizeBytes": size,
            "ItemCount": len(self.items),
            "TableArn": self.arn,
            "TableId": self.table_id,
            "DeletionProtectionEnabled": False,
        }
        if self.billing_mode == "PAY_PER_REQUEST":
            description["BillingModeSummary"] = {
                "BillingMode": "PAY_PER_REQUEST",
                "LastUpdateToPayPerRequestDateTime": self.created,
            }
        global_indexes = [i.description for i in self.indexes.values() if i.is_global]
        local_indexes = [i.description for i in self.indexes.values() if not i.is_global]
        if global_indexes:
            description["GlobalSecondaryIndexes"] = global_indexes
        if local_indexes:
            description["LocalSecondaryIndexes"] = local_indexes
        if self.stream is not None:
            description["StreamSpecification"] = {
                "StreamEnabled": self.stream.enabled,
                **({"StreamViewType": self.stream.view_type} if self.stream.enabled else {}),
            }
            description["LatestStreamLabel"] = self.stream.label
            description["LatestStreamArn"] = self.stream.arn
        description.update(self.description_extra)
        return description


_TYPE_WORDS = {"S": "string", "B": "binary"}


def _check_key_value(name: str, value: AttributeValue, declared: str | None, limit: int) -> None:
    actual = type_of(value)
    if actual != declared:
        raise validation_error(
            f"{_INVALID}Type mismatch for key {name} expected: {declared} actual: {actual}"
        )
    if actual in _TYPE_WORDS and not value[actual]:
        raise validation_error(
            "One or more parameter values are not valid. The AttributeValue for a key attribute "
            f"cannot contain an empty {_TYPE_WORDS[actual]} value. Key: {name}"
        )
    if value_size(value) > limit:
        if limit == DYNAMODB_MAX_PARTITION_KEY_SIZE:
            raise validation_error(
                f"{_INVALID}Size of hashkey has exceeded the maximum size limit of{limit} bytes"
            )
        raise validation_error(
            f"{_INVALID}Aggregated size of all range keys has exceeded the size limit of "
            f"{limit} bytes"
        )


def _item_bytes(item: Item) -> int:
    from eventproof_fakes.dynamodb.attributes import item_size

    return item_size(item)
