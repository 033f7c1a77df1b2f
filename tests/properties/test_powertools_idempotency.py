"""A consumer made idempotent by Powertools' ``@idempotent_function`` passes, on the fakes.

Powertools keeps its idempotency records in DynamoDB with a conditional
PutItem (``attribute_not_exists(#id) OR #expiry < :now``, plus the
in-progress expiry), then UpdateItem on success: the fakes answer both the
way DynamoDB does. Powertools reads the wall clock for its expiries, so
those two attributes are outside the comparison.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)

from eventproof.catalog import Catalog
from eventproof.properties import Projection, PropertyFailed, System, assert_idempotent
from eventproof.properties.system import Bench
from eventproof_fakes import FakeAWS
from tests.properties.broken_handlers import create_table

CATALOG = Catalog.load(Path(__file__).resolve().parents[2] / "contracts")
FUNCTION = "powertools-payments"
WALL_CLOCK_EXPIRIES = Projection(ignore_fields=frozenset({"expiration", "in_progress_expiration"}))


@pytest.fixture(autouse=True)
def _lambda_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", FUNCTION)
    monkeypatch.delenv("POWERTOOLS_IDEMPOTENCY_DISABLED", raising=False)


def powertools_consumer(*, idempotent: bool = True) -> System:
    """Books a ledger entry with a fresh id per charge: only Powertools stops the duplicate."""
    layers: dict[int, DynamoDBPersistenceLayer] = {}

    def build(aws: FakeAWS) -> Any:
        create_table(aws, "IdempotencyTable", "id")
        create_table(aws, "Ledger", "entryId")
        session = FakeAWS.session()
        ledger = session.resource("dynamodb").Table("Ledger")
        # One layer per environment: constructing it registers a handler on its client.
        layer = layers.get(id(aws))
        if layer is None:
            layer = layers[id(aws)] = DynamoDBPersistenceLayer(
                table_name="IdempotencyTable", boto3_client=session.client("dynamodb"))
        config = IdempotencyConfig(event_key_jmespath="paymentId")

        def charge(command: dict[str, Any]) -> dict[str, Any]:
            ledger.put_item(Item={"entryId": str(uuid.uuid4()), "paymentId": command["paymentId"],
                                  "currency": command["amount"]["currency"]})
            return {"charged": command["paymentId"]}

        once = idempotent_function(data_keyword_argument="command", persistence_store=layer,
                                   config=config)(charge)

        def handler(event: dict[str, Any], context: Any) -> None:
            config.register_lambda_context(context)
            for record in event["Records"]:
                command = json.loads(record["body"])
                (once if idempotent else charge)(command=command)

        return handler

    return System(build=build, name=FUNCTION)


def test_a_powertools_idempotent_consumer_passes() -> None:
    assert_idempotent(powertools_consumer(), CATALOG["ProcessPayment"], via="sqs",
                      projection=WALL_CLOCK_EXPIRIES, max_examples=25)


def test_powertools_keeps_a_completed_record_and_one_ledger_entry() -> None:
    message = {"paymentId": "7d8b1c2e-0f4a-4b6c-9d1e-2a3b4c5d6e7f",
               "orderId": "0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b",
               "customerId": "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d",
               "amount": {"amount": 10, "currency": "USD"}, "requestedAt": 0}
    with Bench(powertools_consumer()) as bench:
        run = bench.run([message], via="sqs", copies=3)
    [record] = run.outcome["tables"]["IdempotencyTable"]
    assert record["status"] == "COMPLETED" and record["id"].startswith(f"{FUNCTION}.")
    assert len(run.outcome["tables"]["Ledger"]) == 1
    assert run.calls.count("dynamodb.PutItem") == 4  # 3 idempotency records tried, 1 ledger entry


def test_without_powertools_the_same_consumer_is_caught() -> None:
    with pytest.raises(PropertyFailed, match="idempotency"):
        assert_idempotent(powertools_consumer(idempotent=False), CATALOG["ProcessPayment"],
                          via="sqs", projection=WALL_CLOCK_EXPIRIES, max_examples=10)
