"""Every delivery feeds a handler through its real trigger shape, and every property works through it.

For each ``via``: a right consumer holds every property, a non-idempotent one
and a last-writer-wins one are caught with their counterexample, and one that
fails on everything is reported vacuous (tests/properties/delivery_handlers.py).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from eventproof.catalog import Catalog
from eventproof.errors import ConfigError
from eventproof.properties import (
    PropertyFailed,
    System,
    VacuousProperty,
    assert_accepts_valid,
    assert_idempotent,
    assert_order_insensitive,
    assert_rejects_invalid,
    assert_survives_crashes,
)
from tests.properties import delivery_handlers as consumers

CONTRACTS = Path(__file__).resolve().parent / "delivery_contracts"
CATALOG = Catalog.load(CONTRACTS)
DEPOSIT = CATALOG["Deposit"]
VIAS = ["api", "sns", "stream", "s3", "kinesis"]


@pytest.mark.parametrize("via", VIAS)
def test_a_right_consumer_holds_every_property(via: str) -> None:
    right = consumers.handler(via, consumers.record_once)
    options: dict[str, Any] = {"via": via, "setup": consumers.tables}
    assert_accepts_valid(right, DEPOSIT, max_examples=8, **options)
    assert_idempotent(right, DEPOSIT, max_examples=8, **options)
    assert_survives_crashes(right, DEPOSIT, max_examples=4, **options)
    assert_order_insensitive(right, DEPOSIT, max_examples=10, **options)
    assert_rejects_invalid(right, DEPOSIT, max_examples=10, **options)


@pytest.mark.parametrize("via", VIAS)
def test_a_consumer_booking_every_delivery_is_caught_with_two_deliveries(via: str) -> None:
    with pytest.raises(PropertyFailed) as caught:
        assert_idempotent(consumers.handler(via, consumers.book_every_delivery), DEPOSIT,
                          via=via, setup=consumers.tables, max_examples=10)
    counterexample = caught.value.counterexample
    assert len(counterexample.messages) == 1
    assert f"delivered 2 times via {via}" in counterexample.schedule[0]
    assert len(counterexample.actual["tables"]["Ledger"]) == 2
    assert len(counterexample.expected["tables"]["Ledger"]) == 1


@pytest.mark.parametrize("via", VIAS)
def test_a_last_writer_wins_consumer_is_caught_on_two_deposits_to_one_account(via: str) -> None:
    with pytest.raises(PropertyFailed) as caught:
        assert_order_insensitive(consumers.handler(via, consumers.last_writer_wins), DEPOSIT,
                                 via=via, setup=consumers.tables, max_examples=50)
    first, second = caught.value.counterexample.messages
    assert first["accountId"] == second["accountId"] and first["amount"] != second["amount"]
    assert "order [1, 0]" in caught.value.counterexample.render()


@pytest.mark.parametrize("via", VIAS)
def test_a_consumer_failing_on_everything_is_vacuous(via: str) -> None:
    failing = consumers.handler(via, consumers.always_fails)
    with pytest.raises(VacuousProperty, match="RuntimeError"):
        assert_idempotent(failing, DEPOSIT, via=via, setup=consumers.tables, max_examples=5)
    with pytest.raises(PropertyFailed, match="acceptance of valid input"):
        assert_accepts_valid(failing, DEPOSIT, via=via, setup=consumers.tables, max_examples=5)


def test_a_crash_behind_an_api_is_retried_by_the_client_and_a_lost_write_is_caught() -> None:
    def records_then_books(event: dict[str, Any], context: Any) -> dict[str, Any]:
        # Bug: the deposit row says "done" before the ledger entry exists; a retry skips it.
        deposit = json.loads(event["body"])
        try:
            consumers.record_once(deposit)
        except ValueError as error:
            return {"statusCode": 400, "body": str(error)}
        return {"statusCode": 201, "body": "{}"}

    assert_survives_crashes(records_then_books, DEPOSIT, via="api", setup=consumers.tables,
                            max_examples=3)
    story_of: dict[str, str] = {}

    def dual_write(event: dict[str, Any], context: Any) -> dict[str, Any]:
        import boto3

        deposit = json.loads(event["body"])
        client = boto3.client("dynamodb")
        if "Item" in client.get_item(TableName="Deposits",
                                     Key={"depositId": {"S": deposit["depositId"]}}):
            return {"statusCode": 200, "body": "{}"}
        client.put_item(TableName="Deposits", Item={"depositId": {"S": deposit["depositId"]}})
        client.put_item(TableName="Ledger", Item={"entryId": {"S": deposit["depositId"]}})
        return {"statusCode": 201, "body": "{}"}

    with pytest.raises(PropertyFailed) as caught:
        assert_survives_crashes(dual_write, DEPOSIT, via="api", setup=consumers.tables,
                                max_examples=3)
    story_of["api"] = caught.value.counterexample.render()
    assert "the client retrying after a 5xx answer" in story_of["api"]
    assert "lost from tables Ledger" in story_of["api"]


def test_an_api_answering_5xx_to_an_invalid_body_does_not_reject_it() -> None:
    def server_error(event: dict[str, Any], context: Any) -> dict[str, Any]:
        try:
            consumers.record_once(json.loads(event["body"]))
        except ValueError:
            return {"statusCode": 500, "body": "oops"}
        return {"statusCode": 201, "body": "{}"}

    with pytest.raises(PropertyFailed) as caught:
        assert_rejects_invalid(server_error, DEPOSIT, via="api", setup=consumers.tables,
                               max_examples=10)
    assert "expected every request is answered with a 4xx (answered 500)" in (
        caught.value.counterexample.render())


def test_an_api_with_payload_format_1_gets_a_rest_shaped_event_on_the_contract_route() -> None:
    seen: list[dict[str, Any]] = []

    def v1_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        seen.append(event)
        body = event["body"]
        deposit = json.loads(base64.b64decode(body) if event.get("isBase64Encoded") else body)
        if event["pathParameters"]["accountId"] != deposit["accountId"]:
            return {"statusCode": 400, "body": "wrong account"}
        consumers.record_once(deposit)
        return {"statusCode": 201, "body": "{}"}

    assert_accepts_valid(v1_handler, CATALOG["DepositV1"], via="api", setup=consumers.tables,
                         max_examples=5)
    assert seen and all(e["version"] == "1.0" and e["httpMethod"] == "PUT" for e in seen)
    assert seen[0]["resource"] == "/accounts/{accountId}/deposits"


def _variant(tmp_path: Path, name: str, trigger: dict[str, Any], key: list[str] | None) -> Any:
    schema = json.loads((CONTRACTS / "Deposit.schema.json").read_text())
    schema["title"] = schema["x-eventproof"]["name"] = name
    schema["x-eventproof"]["trigger"] = trigger
    if key is None:
        del schema["x-eventproof"]["key"]
        schema["properties"]["account"] = schema["properties"].pop("accountId")
        schema["properties"]["reference"] = schema["properties"].pop("depositId")
        schema["required"] = ["reference", "account", "amount"]
    (tmp_path / f"{name}.schema.json").write_text(json.dumps(schema))
    return Catalog.load(tmp_path)[name]


@pytest.mark.parametrize("event_name", ["MODIFY", "REMOVE"])
def test_a_stream_record_carries_the_contract_event_name(tmp_path: Path, event_name: str) -> None:
    from boto3.dynamodb.types import TypeDeserializer

    contract = _variant(tmp_path, "Changed", {"stream": {"event-name": event_name}}, ["/accountId"])
    image = "NewImage" if event_name == "MODIFY" else "OldImage"
    names: list[str] = []

    def on_change(event: dict[str, Any], context: Any) -> None:
        for record in event["Records"]:
            names.append(record["eventName"])
            item = {k: TypeDeserializer().deserialize(v) for k, v in record["dynamodb"][image].items()}
            consumers.record_once({**item, "amount": int(item["amount"])})

    assert_accepts_valid(on_change, contract, via="stream", setup=consumers.tables, max_examples=5)
    assert names and set(names) == {event_name}


def test_a_stream_needs_a_key_to_write_the_message_as_an_item(tmp_path: Path) -> None:
    contract = _variant(tmp_path, "Keyless", {}, None)
    with pytest.raises(ConfigError, match=r"x-eventproof\.key"):
        assert_idempotent(consumers.handler("stream", consumers.record_once), contract,
                          via="stream", setup=consumers.tables, max_examples=3)


def test_sns_carries_the_contract_message_attributes() -> None:
    seen: list[Any] = []

    def attributes(event: dict[str, Any], context: Any) -> None:
        seen.extend(r["Sns"]["MessageAttributes"] for r in event["Records"])
        consumers.record_once(json.loads(event["Records"][0]["Sns"]["Message"]))

    assert_accepts_valid(attributes, DEPOSIT, via="sns", setup=consumers.tables, max_examples=3)
    assert seen[0] == {"kind": {"Type": "String", "Value": "deposit"}}


def test_a_later_copy_cannot_be_asked_of_a_stream() -> None:
    with pytest.raises(ConfigError, match="late_by does not apply to via='stream'"):
        assert_idempotent(consumers.handler("stream", consumers.record_once), DEPOSIT,
                          via="stream", setup=consumers.tables, max_examples=3, late_by=60)


def test_an_api_answer_the_handler_never_gave_is_named_with_the_gateway_reason() -> None:
    def handled(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return {"statusCode": 200, "body": "{}"}

    def throttled(aws: Any) -> None:
        import boto3

        aws.lambda_.register("throttled", handled)
        boto3.client("lambda").put_function_concurrency(FunctionName="throttled",
                                                        ReservedConcurrentExecutions=0)

    with pytest.raises(PropertyFailed) as caught:
        assert_accepts_valid(System(build=throttled, name="throttled", deployed=True), DEPOSIT,
                             via="api", max_examples=2)
    failed = caught.value.counterexample.actual["invocations failed"]
    assert len(failed) == 3  # the first request and the client's two retries of a 5xx
    assert all("from the gateway: Lambda invoke failed: TooManyRequestsException" in f
               for f in failed)
