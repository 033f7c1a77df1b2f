"""The two ways a book's change reaches the outbox.

- ``BooksOnly`` (CDC): the Books table's own stream is the outbox; the
  ChangeProcessor turns its INSERT/REMOVE records into events.
- ``BooksAndEvents`` (Pipes): one transaction writes the book and an event
  item; the Events table's stream feeds the pipes.
Either way the writer never publishes: if it crashes right after its write,
the event still goes out, because the database emits it.
"""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from botocore.exceptions import ClientError

from reference_impl.shared import iso

EVENT_NAMESPACE = uuid.UUID("a3c1e6f2-7b5d-4e9a-8c0f-2d4b6a8e1c37")
_NAME = {"#name": "name"}  # ``name`` is a DynamoDB reserved word


class BookExists(Exception):
    pass


class BookWriter(Protocol):
    def add(self, book: dict[str, Any], now: float) -> None: ...

    def remove(self, name: str, now: float) -> None: ...


def _is_conditional_failure(error: ClientError) -> bool:
    code = error.response["Error"]["Code"]
    if code == "TransactionCanceledException":
        reasons = error.response.get("CancellationReasons") or []
        return any(reason.get("Code") == "ConditionalCheckFailed" for reason in reasons) or not reasons
    return code == "ConditionalCheckFailedException"


class BooksOnly:
    def __init__(self, dynamodb: Any, books_table: str) -> None:
        self.dynamodb = dynamodb
        self.books_table = books_table

    def add(self, book: dict[str, Any], now: float) -> None:
        try:
            self.dynamodb.put_item(
                TableName=self.books_table,
                Item=_book_item(book, now),
                ConditionExpression="attribute_not_exists(#name)",
                ExpressionAttributeNames=_NAME,
            )
        except ClientError as error:
            if _is_conditional_failure(error):
                raise BookExists(book["name"]) from None
            raise

    def remove(self, name: str, now: float) -> None:
        # Deleting a missing book writes no stream record, so no BookRemoved goes out for it.
        self.dynamodb.delete_item(TableName=self.books_table, Key={"name": {"S": name}})


class BooksAndEvents:
    def __init__(self, dynamodb: Any, books_table: str, events_table: str) -> None:
        self.dynamodb = dynamodb
        self.books_table = books_table
        self.events_table = events_table

    def add(self, book: dict[str, Any], now: float) -> None:
        event = {"eventType": "BookAdded", "name": book["name"], "author": book["author"], "isbn": book["isbn"]}
        self._transact(
            {
                "Put": {
                    "TableName": self.books_table,
                    "Item": _book_item(book, now),
                    "ConditionExpression": "attribute_not_exists(#name)",
                    "ExpressionAttributeNames": _NAME,
                }
            },
            event,
            now,
        )

    def remove(self, name: str, now: float) -> None:
        self._transact(
            {
                "Delete": {
                    "TableName": self.books_table,
                    "Key": {"name": {"S": name}},
                    "ConditionExpression": "attribute_exists(#name)",
                    "ExpressionAttributeNames": _NAME,
                }
            },
            {"eventType": "BookRemoved", "name": name},
            now,
        )

    def _transact(self, book_action: dict[str, Any], event: dict[str, str], now: float) -> None:
        occurred_at = iso(now)
        event_id = str(uuid.uuid5(EVENT_NAMESPACE, f"{event['eventType']}#{event['name']}#{occurred_at}"))
        item = {key: {"S": value} for key, value in {**event, "eventId": event_id, "occurredAt": occurred_at}.items()}
        try:
            self.dynamodb.transact_write_items(
                TransactItems=[book_action, {"Put": {"TableName": self.events_table, "Item": item}}]
            )
        except ClientError as error:
            if not _is_conditional_failure(error):
                raise
            if event["eventType"] == "BookAdded":
                raise BookExists(event["name"]) from None
            # Removing a book that is not there: nothing happened, so there is no event to record.


def _book_item(book: dict[str, Any], now: float) -> dict[str, Any]:
    item: dict[str, Any] = {key: {"S": str(value)} for key, value in book.items() if key != "pages"}
    if "pages" in book:
        item["pages"] = {"N": str(book["pages"])}
    item["addedAt"] = {"S": iso(now)}
    return item
