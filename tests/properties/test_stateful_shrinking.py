"""A failure of the reference-system state machine shrinks to a short program, fast.

The system is deliberately broken: its BookAdded consumer does not
deduplicate, so a book whose stream record is delivered twice is listed
twice. Hypothesis must find it among programs of up to eight steps and
shrink it to the two that matter: the next stream delivery is duplicated,
a book is added.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis.stateful import run_state_machine_as_test

from reference_impl.outbox.consumers import BookAddedConsumer
from tests.properties.test_reference_system_stateful import SETTINGS, ReferenceSystem

pytestmark = pytest.mark.slow


class ListsEveryDelivery(BookAddedConsumer):
    """Bug: lists the book on every delivery of its BookAdded (no deduplication)."""

    def _first_time(self, book_added: dict[str, Any]) -> bool:
        self.catalogue.update_item(
            Key={"name": book_added["name"]},
            UpdateExpression="SET author = :author, isbn = :isbn ADD timesListed :one",
            ExpressionAttributeValues={":author": book_added["author"], ":isbn": book_added["isbn"],
                                       ":one": 1})
        return True


programs: list[list[str]] = []


class BrokenReferenceSystem(ReferenceSystem):
    def __init__(self) -> None:
        super().__init__()
        programs.append(self.program)

    def outbox_handlers(self, built: dict[str, Any]) -> Any:
        dynamodb = built["session"].resource("dynamodb")
        broken = ListsEveryDelivery(dynamodb.Table("Presentation"), dynamodb.Table("Catalogue"),
                                    built["clock"])
        return dataclasses.replace(built["outbox"], book_added=broken.handle)


@pytest.mark.timeout(60)
def test_a_double_listing_shrinks_to_the_duplicate_and_one_book() -> None:
    programs.clear()
    with pytest.raises(AssertionError, match="listed"):
        run_state_machine_as_test(BrokenReferenceSystem, settings=SETTINGS)
    shrunk = programs[-1]  # hypothesis replays the shrunk program last
    assert len(shrunk) <= 3, shrunk
    assert "next_delivery_is_duplicated(stream:Books)" in shrunk, shrunk
    assert any(step.startswith("add_book(") for step in shrunk), shrunk
    assert len(programs) > len(shrunk)  # it did search and shrink, not stop at a first try
