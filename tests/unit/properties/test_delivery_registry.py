"""The deliveries are a registry; the trigger metadata they read is checked when a contract loads."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from eventproof.catalog import Catalog
from eventproof.errors import SchemaError
from eventproof.project.config import VIAS
from eventproof.properties import assert_accepts_valid
from eventproof.properties.deliveries import (
    DeliveryKind,
    delivery_kind,
    delivery_names,
    register_delivery,
)
from eventproof.properties.deliveries.registry import _KINDS
from eventproof.properties.triggers import Trigger
from tests.unit.catalog_helpers import metadata, write_json_schema

SCHEMA = {"type": "object", "required": ["orderId"],
          "properties": {"orderId": {"type": "string", "minLength": 1}}, "additionalProperties": False}


def test_the_built_in_deliveries_are_the_ones_the_configuration_accepts() -> None:
    assert delivery_names() == VIAS == (
        "sqs", "async", "eventbridge", "api", "sns", "stream", "s3", "kinesis")
    assert all(delivery_kind(name).summary for name in VIAS)


def test_a_new_delivery_is_one_registration(tmp_path: Path) -> None:
    write_json_schema(tmp_path, "Ping", {"x-eventproof": metadata("Ping"), **SCHEMA})
    contract = Catalog.load(tmp_path)["Ping"]
    sent: list[Any] = []

    def wire(bench: Any, delivery: Any, messages: Sequence[Any]) -> Trigger:
        return Trigger(f"lambda:{bench.system.name}")

    def send(bench: Any, delivery: Any, trigger: Trigger, message: Any) -> None:
        sent.append(message)
        bench.aws.lambda_.invoke_async(bench.system.name, {"wrapped": message})

    register_delivery(DeliveryKind(name="wrapped", summary="an invoke with the message wrapped",
                                   wire=wire, send=send, redelivery="Lambda's retries"))
    try:
        seen: list[Any] = []
        assert_accepts_valid(lambda event, context: seen.append(event["wrapped"]), contract,
                             via="wrapped", max_examples=3)
        assert seen and seen == sent
    finally:
        del _KINDS["wrapped"]


@pytest.mark.parametrize(("trigger", "pointer", "expected"), [
    ({"stream": {"event-name": "UPDATE"}}, "trigger/stream/event-name", "INSERT, MODIFY or REMOVE"),
    ({"api": {"method": "GET"}}, "trigger/api/method", "POST, PUT, PATCH or ANY"),
    ({"api": {"path": "payments"}}, "trigger/api/path", "a path starting with /"),
    ({"api": {"payload-format": "3.0"}}, "trigger/api/payload-format", '"1.0" or "2.0"'),
    ({"sns": {"message-attributes": {"kind": {"nested": 1}}}}, "trigger/sns/message-attributes",
     "a mapping of attribute name"),
    ({"kinesis": {"stream": "x"}}, "trigger", "a mapping with eventbridge, sqs, sns, stream, api"),
])
def test_trigger_metadata_is_checked_where_it_is_written(
        tmp_path: Path, trigger: dict[str, Any], pointer: str, expected: str) -> None:
    write_json_schema(tmp_path, "Ping", {"x-eventproof": {**metadata("Ping"), "trigger": trigger},
                                         **SCHEMA})
    with pytest.raises(SchemaError) as raised:
        Catalog.load(tmp_path)
    assert raised.value.pointer == f"/x-eventproof/{pointer}"
    assert expected in str(raised.value)
