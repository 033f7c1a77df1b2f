"""The consumers of BookAdded and BookRemoved.

They read both delivery shapes: an EventBridge event (CDC variant: the
event is in ``detail``) and the array a pipe hands its Lambda target, each
element already shaped by the pipe's input template.

BookAdded deduplicates, as the article's consumer does: the Presentation
table remembers each event id for a short TTL, and the consumer checks the
expiry itself, because DynamoDB deletes expired items only eventually
(typically within days), so an expired item may still be read.
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
        now = self.clock()
        try:
            self.presentation.put_item(
                Item={"eventId": book_added["eventId"], "expiresAt": int(now) + DEDUP_TTL_SECONDS},
                ConditionExpression="attribute_not_exists(eventId) OR expiresAt <= :now",
                ExpressionAttributeValues={":now": int(now)},
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            logger.info("BookAdded %s seen already; skipped", book_added["eventId"])
            return False
        self.catalogue.update_item(
            Key={"name": book_added["name"]},
            UpdateExpression="SET author = :author, isbn = :isbn ADD timesListed :one",
            ExpressionAttributeValues={":author": book_added["author"], ":isbn": book_added["isbn"], ":one": 1},
        )
        return True


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
