"""State and helpers shared by the DynamoDB operation groups.

Every write goes through ``commit``, the one place that stores the new
image, emits the stream record (none when nothing changed, as on AWS) and
schedules TTL expiry.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from eventproof_fakes.dynamodb.attributes import Item, copy_item, items_equal, type_of
from eventproof_fakes.dynamodb.expressions import Bindings, Parsed, matches, parse
from eventproof_fakes.dynamodb.streams import TTL_IDENTITY, Stream, StreamRecord
from eventproof_fakes.dynamodb.tables import Table
from eventproof_fakes.errors import AWSError, validation_error

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

StreamListener = Callable[[str, StreamRecord], None]


_TABLE_NAME = re.compile(r"^[a-zA-Z0-9_.-]+$")


def check_table_name(name: Any) -> None:
    """AWS validates a table name's characters before looking it up."""
    if isinstance(name, str) and not name.startswith("arn:") and not _TABLE_NAME.match(name):
        raise validation_error(
            f"1 validation error detected: Value '{name}' at 'tableName' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
        )


def table_not_found() -> AWSError:
    return AWSError("ResourceNotFoundException", "Requested resource not found")


def condition_failed(old: Item | None, params: dict[str, Any]) -> AWSError:
    extra: dict[str, Any] = {}
    if old is not None and params.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD":
        extra["Item"] = copy_item(old)
    return AWSError(
        "ConditionalCheckFailedException", "The conditional request failed", extra=extra
    )


class DynamoDBState:
    """The tables and streams of one account and region."""

    def __init__(self, env: FakeAWS) -> None:
        self.env = env
        self.tables: dict[str, Table] = {}
        self.streams: dict[str, Stream] = {}
        # Disabled streams whose 24-hour retention ran out: released, read as empty by pollers.
        self.expired_streams: set[str] = set()
        # Called with (stream_arn, record) after every new stream record.
        self.stream_listeners: list[StreamListener] = []
        # TransactWriteItems ClientRequestToken -> (expires at, request fingerprint, response)
        self.transaction_tokens: dict[str, tuple[float, str, dict[str, Any]]] = {}
        self.backups: dict[str, Any] = {}  # BackupArn -> eventproof_fakes.dynamodb.backups.Backup

    # --- lookup -------------------------------------------------------------
    def table(self, name: Any) -> Table:
        if isinstance(name, str) and name.startswith("arn:"):
            name = name.rsplit("/", 1)[-1] if "/stream/" not in name else ""
        table = self.tables.get(name)
        if table is None:
            check_table_name(name)
            raise table_not_found()
        return table

    @staticmethod
    def parse_optional(kind: str, params: dict[str, Any], key: str | None = None) -> Parsed | None:
        source = params.get(key or kind)
        return None if source is None else parse(kind, source)

    @staticmethod
    def bindings(params: dict[str, Any], condition: Parsed | None) -> Bindings | None:
        """The request's names and values for ``condition``; None when there is nothing to bind.

        Most writes carry no expression at all: skipping ``Bindings`` then
        saves its validation, which has nothing to reject in that case.
        """
        if (
            condition is None
            and "ExpressionAttributeNames" not in params
            and "ExpressionAttributeValues" not in params
        ):
            return None
        return Bindings(params, (condition,) if condition else ())

    @staticmethod
    def check_condition(
        condition: Parsed | None,
        bindings: Bindings | None,
        old: Item | None,
        params: dict[str, Any],
    ) -> None:
        if condition is None:
            return
        assert bindings is not None  # made for every request that has a condition
        if not matches(condition.tree, old or {}, bindings):  # type: ignore[arg-type]
            raise condition_failed(old, params)

    # --- the write path -----------------------------------------------------
    def commit(
        self,
        table: Table,
        key: Any,
        old: Item | None,
        new: Item | None,
        user_identity: dict[str, str] | None = None,
        new_size: int | None = None,
    ) -> None:
        """Store ``new`` (None: delete) and emit its stream record.

        ``new_size`` is ``item_size(new)`` when the caller already computed it.
        """
        if table.recovery is not None:
            self.record_write(table, key, new)
        if new is None:
            if old is None:
                return
            del table.items[key]
            self._emit(table, "REMOVE", old, None, user_identity, None)
            return
        table.items[key] = new
        if old is not None and items_equal(old, new):
            return  # a write that changes nothing leaves no stream record
        self._emit(
            table, "MODIFY" if old is not None else "INSERT", old, new, user_identity, new_size
        )
        if table.ttl_attribute is not None:
            self.schedule_expiry(table, new)

    def _emit(
        self,
        table: Table,
        event_name: str,
        old: Item | None,
        new: Item | None,
        user_identity: dict[str, str] | None,
        new_size: int | None,
    ) -> None:
        stream = table.stream
        if stream is None or not stream.enabled:
            return
        env = self.env
        now = env.clock.now()
        stream.trim(now)
        record = stream.append(
            env.ids.sequence_number(),
            env.ids.hex(32),
            now,
            event_name,
            table.key.names,
            old,
            new,
            user_identity,
            new_size,
        )
        for listener in list(self.stream_listeners):
            listener(stream.arn, record)

    def record_write(self, table: Table, key: Any, new: Item | None) -> None:
        raise NotImplementedError  # eventproof_fakes.dynamodb.backups.BackupOperations

    # --- TTL ----------------------------------------------------------------
    def schedule_expiry(self, table: Table, item: Item) -> None:
        """Expire ``item`` at its TTL instant (AWS deletes within a few days of it)."""
        attribute = table.ttl_attribute
        value = item.get(attribute) if attribute else None
        if value is None or type_of(value) != "N":
            return
        try:
            due = float(value["N"])
        except ValueError:
            return
        key = table.key_of(item)
        self.env.clock.call_at(
            max(due, self.env.clock.now()),
            lambda: self.expire(table.name, key),
            label=f"dynamodb ttl {table.name}",
            background=True,
        )

    def expire(self, table_name: str, key: Any) -> None:
        """Delete the item if, now, it still is expired: a later write may have moved its TTL."""
        table = self.tables.get(table_name)
        if table is None or table.ttl_attribute is None:
            return
        item = table.items.get(key)
        value = item.get(table.ttl_attribute) if item else None
        if item is None or value is None or type_of(value) != "N":
            return
        if float(value["N"]) <= self.env.clock.now():
            self.commit(table, key, item, None, user_identity=TTL_IDENTITY)
