"""Wiring of the outbox example, in either variant (``"cdc"`` or ``"pipes"``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import boto3

from reference_impl.outbox.api import BooksApi
from reference_impl.outbox.change_processor import ChangeProcessor
from reference_impl.outbox.consumers import BookAddedConsumer, BookRemovedConsumer
from reference_impl.outbox.writers import BooksAndEvents, BooksOnly, BookWriter
from reference_impl.shared import Clock, system_clock
from reference_impl.shared.aws import session_or_default

Variant = Literal["cdc", "pipes"]
Handler = Callable[[Any, Any], dict[str, Any]]


@dataclass(frozen=True)
class Names:
    books_table: str = "Books"
    events_table: str = "Events"
    presentation_table: str = "Presentation"
    catalogue_table: str = "Catalogue"
    bus: str = "outbox-demo"
    # Every event on the bus is copied here, so operators (and GET /_events) can see what went out.
    event_log_queue: str = "outbox-event-log"


@dataclass(frozen=True)
class Handlers:
    add_book: Handler
    remove_book: Handler
    change_processor: Handler
    book_added: Handler
    book_removed: Handler


def wire(
    session: boto3.session.Session | None = None,
    *,
    variant: Variant = "cdc",
    names: Names = Names(),
    clock: Clock = system_clock,
) -> Handlers:
    session = session_or_default(session)
    dynamodb_client, dynamodb = session.client("dynamodb"), session.resource("dynamodb")
    writer: BookWriter = (
        BooksOnly(dynamodb_client, names.books_table)
        if variant == "cdc"
        else BooksAndEvents(dynamodb_client, names.books_table, names.events_table)
    )
    api = BooksApi(writer, clock)
    catalogue = dynamodb.Table(names.catalogue_table)
    return Handlers(
        add_book=api.add_book,
        remove_book=api.remove_book,
        change_processor=ChangeProcessor(session.client("events"), names.bus).handle,
        book_added=BookAddedConsumer(dynamodb.Table(names.presentation_table), catalogue, clock).handle,
        book_removed=BookRemovedConsumer(catalogue).handle,
    )
