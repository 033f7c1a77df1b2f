"""The consumers of BookAdded and BookRemoved.

They read both delivery shapes: an EventBridge event (CDC variant: the
event is in ``detail``) and the array a pipe hands its Lambda target, each
element already shaped by the pipe's input template.

BookAdded deduplicates, as the article's consumer does: the Presentation
table remembers each event id for a short TTL, and the consumer checks the
expiry itself, because DynamoDB deletes expired items only eventually
(typically within days), so an expired item may still be read. Marking the
event seen and listing the book happen in one transaction: written apart, a
crash between the two would leave the event "seen" and the book never listed.
"""

from __future__ import annotations

import logging
from typing import Any

from botocore.exceptions import ClientError

from reference_impl.shared import Clock

logger = logging.getLogger(__name__)

DEDUP_TTL_SECONDS = 300


def delivered_events(event: Any) -> list[dict[str, Any]]:
    if isinstance(event, list):
        return event
    if isinstance(event, dict) and "detail" in event:
        return [event["detail"]]
    raise ValueError("expected an EventBridge event or a pipe's batch of events")


class BookAddedConsumer:
    def __init__(self, presentation_table: Any, catalogue_table: Any, clock: Clock) -> None:
        self.presentation = presentation_table
        self.catalogue = catalogue_table
        self.clock = clock

    def handle(self, event: Any, context: Any) -> dict[str, Any]:
        acted = [book_added["eventId"] for book_added in delivered_events(event) if self._first_time(book_added)]
        return {"actedOn": acted}

    def _first_time(self, book_added: dict[str, Any]) -> bool:
        now = int(self.clock())
        # The table resources' client takes plain Python values, as the resources do.
        client = self.presentation.meta.client
        try:
            client.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self.presentation.name,
                            "Item": {"eventId": book_added["eventId"], "expiresAt": now + DEDUP_TTL_SECONDS},
                            "ConditionExpression": "attribute_not_exists(eventId) OR expiresAt <= :now",
                            "ExpressionAttributeValues": {":now": now},
                        }
                    },
                    {
                        "Update": {
                            "TableName": self.catalogue.name,
                            "Key": {"name": book_added["name"]},
                            "UpdateExpression": "SET author = :author, isbn = :isbn ADD timesListed :one",
                            "ExpressionAttributeValues": {
                                ":author": book_added["author"],
                                ":isbn": book_added["isbn"],
                                ":one": 1,
                            },
                        }
                    },
                ]
            )
        except ClientError as error:
            if not _seen_already(error):
                raise
            logger.info("BookAdded %s seen already; skipped", book_added["eventId"])
            return False
        return True


def _seen_already(error: ClientError) -> bool:
    """The transaction failed only because the event's dedup record is still live."""
    if error.response["Error"]["Code"] != "TransactionCanceledException":
        return False
    reasons = [reason.get("Code") for reason in error.response.get("CancellationReasons", [])]
    return reasons[:1] == ["ConditionalCheckFailed"] and all(
        code in (None, "None") for code in reasons[1:]
    )


class BookRemovedConsumer:
    def __init__(self, catalogue_table: Any) -> None:
        self.catalogue = catalogue_table

    def handle(self, event: Any, context: Any) -> dict[str, Any]:
        removed = []
        for book_removed in delivered_events(event):
            # Deleting twice is harmless: this consumer is idempotent without a dedup table.
            self.catalogue.delete_item(Key={"name": book_removed["name"]})
            removed.append(book_removed["eventId"])
        return {"actedOn": removed}
