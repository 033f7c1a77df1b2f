"""Event source kinds are looked up in a registry: a new trigger needs no change to the mapping API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from eventproof_fakes import FakeAWS, observe
from eventproof_fakes.lambda_.event_source_mappings import (
    EventSourceKind,
    EventSourceMapping,
    event_source_kind,
    register_event_source,
    registered_event_sources,
    registry,
)


class ListPoller:
    """A toy source: hands each item of a Python list to the function, one per batch."""

    items: list[str] = []

    def __init__(self, lambda_: Any, mapping: EventSourceMapping) -> None:
        self.lambda_ = lambda_
        self.mapping = mapping

    def pump(self) -> bool:
        if not self.items:
            return False
        item = self.items.pop(0)
        function = self.lambda_.functions[self.mapping.function_name]
        self.lambda_._run(function, {"Records": [{"item": item}]}, trigger="toy")
        return True

    def next_wakeup(self) -> float | None:
        return None


def check_toy(lambda_: Any, source: str, params: dict[str, Any]) -> None:
    if not source.endswith(":list/known"):
        raise ValueError(source)


TOY = EventSourceKind(
    service="toy",
    conflict_label="toy",
    trigger="toy",
    record_contract="ToyRecord",
    default_batch_size=7,
    check_source=check_toy,
    configure=lambda mapping, params: None,
    make_poller=ListPoller,
    describe=lambda mapping: {"Toy": True},
)


@pytest.fixture
def toy_registered() -> Iterator[None]:
    saved, saved_kinds = dict(registry._KINDS), list(observe._registered)
    register_event_source(TOY)
    yield
    registry._KINDS.clear()
    registry._KINDS.update(saved)
    observe._registered[:] = saved_kinds


def test_the_built_in_kinds_are_registered_with_their_delivery_kinds_and_contracts() -> None:
    kinds = {kind.service: kind for kind in registered_event_sources()}
    assert kinds["sqs"].delivery_kind == observe.LAMBDA_SQS_EVENT
    assert kinds["dynamodb"].delivery_kind == observe.LAMBDA_STREAM_EVENT
    assert kinds["dynamodb"].failure_contract == "LambdaStreamOnFailure"


def test_looking_up_a_service_loads_its_fake_which_registers_its_kind() -> None:
    kind = event_source_kind(FakeAWS(), "kinesis")
    assert kind is not None and kind.record_contract == "KinesisRecord"
    assert event_source_kind(FakeAWS(), "s3-not-a-source") is None


def test_a_registered_kind_is_served_by_the_mapping_api_unchanged(toy_registered: None) -> None:
    aws = FakeAWS()
    seen: list[Any] = []
    aws.lambda_.register("consumer", lambda event, context: seen.append(event))
    ListPoller.items = ["a", "b"]
    client = aws.client("lambda")
    created = client.create_event_source_mapping(
        EventSourceArn="arn:aws:toy:us-east-1:123456789012:list/known", FunctionName="consumer"
    )
    assert (created["BatchSize"], created["Toy"]) == (7, True)
    aws.run_until_idle()
    assert seen == [{"Records": [{"item": "a"}]}, {"Records": [{"item": "b"}]}]
    assert "lambda:toy" in observe.kinds()  # (the fixture forgets it again)
    assert [d.kind for d in aws.deliveries] == ["lambda:toy", "lambda:toy"]


def test_an_arn_of_no_registered_kind_is_an_unsupported_event_source() -> None:
    aws = FakeAWS()
    aws.lambda_.register("consumer", lambda event, context: None)
    with pytest.raises(ClientError, match="Unsupported event source"):
        aws.client("lambda").create_event_source_mapping(
            EventSourceArn="arn:aws:s3:::bucket/with/enough:colons:here", FunctionName="consumer"
        )
