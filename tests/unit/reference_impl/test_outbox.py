from __future__ import annotations

import json

import boto3
import pytest

from reference_impl.outbox import DEDUP_TTL_SECONDS, Variant, provision, wire
from reference_impl.outbox.change_processor import event_for
from reference_impl.outbox.consumers import delivered_events

BOOK = {"name": "Team Topologies", "author": "Matthew Skelton", "isbn": "9781942788812"}
IMAGE = {"name": {"S": "Team Topologies"}, "author": {"S": "Matthew Skelton"}, "isbn": {"S": "9781942788812"},
         "addedAt": {"S": "2026-01-15T10:00:00.000Z"}}


def record(name: str, **change: object) -> dict[str, object]:
    return {"eventID": "c81e728d9d4c2f636f067f89cc14862c", "eventName": name,
            "dynamodb": {"Keys": {"name": {"S": "Team Topologies"}}, "ApproximateCreationDateTime": 1768471200.0, **change}}


def test_an_insert_becomes_book_added_with_an_id_stable_across_redeliveries() -> None:
    detail_type, detail = event_for(record("INSERT", NewImage=IMAGE)) or ("", {})
    assert detail_type == "BookAdded"
    assert detail == {**{k: v["S"] for k, v in IMAGE.items()}, "eventId": detail["eventId"]}
    assert event_for(record("INSERT", NewImage=IMAGE)) == (detail_type, detail)


def test_a_remove_becomes_book_removed_and_a_modify_nothing() -> None:
    detail_type, detail = event_for(record("REMOVE", OldImage=IMAGE)) or ("", {})
    assert detail_type == "BookRemoved"
    assert detail == {"eventId": detail["eventId"], "name": "Team Topologies", "removedAt": "2026-01-15T10:00:00.000Z"}
    assert event_for(record("MODIFY", NewImage=IMAGE, OldImage=IMAGE)) is None


def test_consumers_read_eventbridge_events_and_pipe_batches() -> None:
    assert delivered_events({"detail-type": "BookAdded", "detail": {"a": 1}}) == [{"a": 1}]
    assert delivered_events([{"a": 1}, {"a": 2}]) == [{"a": 1}, {"a": 2}]
    with pytest.raises(ValueError):
        delivered_events({"Records": []})


@pytest.mark.parametrize("variant", ["cdc", "pipes"])
def test_the_api_answers_201_then_409_for_the_same_book_and_400_for_bad_json(
    moto_session: boto3.session.Session, variant: Variant
) -> None:
    provision(moto_session, variant=variant, with_functions=False)
    handlers = wire(moto_session, variant=variant)
    assert handlers.add_book({"body": json.dumps(BOOK)}, None)["statusCode"] == 201
    assert handlers.add_book({"body": json.dumps(BOOK)}, None)["statusCode"] == 409
    assert handlers.add_book({"body": "{"}, None)["statusCode"] == 400
    events = moto_session.client("dynamodb").scan(TableName="Events")["Count"]
    assert events == (1 if variant == "pipes" else 0)


def test_the_dedup_consumer_acts_once_within_the_ttl_and_again_after_it(moto_session: boto3.session.Session) -> None:
    provision(moto_session, variant="pipes", with_functions=False)
    now = [1768471200.0]
    handlers = wire(moto_session, variant="pipes", clock=lambda: now[0])
    book_added = [{"eventId": "6d5c4b3a-2f1e-4d0c-9b8a-7f6e5d4c3b2a", **BOOK, "addedAt": "2026-01-15T10:00:00Z"}]
    assert handlers.book_added(book_added, None)["actedOn"] == [book_added[0]["eventId"]]
    now[0] += DEDUP_TTL_SECONDS - 1
    assert handlers.book_added(book_added, None)["actedOn"] == []
    now[0] += 2
    assert handlers.book_added(book_added, None)["actedOn"] == [book_added[0]["eventId"]]
    listed = moto_session.resource("dynamodb").Table("Catalogue").get_item(Key={"name": BOOK["name"]})["Item"]
    assert listed["timesListed"] == 2
