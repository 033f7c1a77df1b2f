"""Check what the fakes delivered (``FakeAWS.deliveries``) against ``contracts/aws/``.

Each delivery kind maps to the AWS contract its records must satisfy (the
kinds of event source mappings come from the contracts their
``EventSourceKind`` registered); a kind this table does not know fails the check, so a new delivery point in
the fakes cannot slip by unchecked. Payloads a caller chose (a synchronous
or asynchronous invoke's own payload) have no AWS contract and are skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from eventproof.catalog import Catalog
from eventproof_fakes import observe
from eventproof_fakes.lambda_.event_source_mappings import registered_event_sources
from eventproof_fakes.observe import Delivery

AWS_CONTRACTS = Path(__file__).resolve().parents[2] / "contracts" / "aws"

Message = tuple[str, Any, str]  # (contract name, message, JSON pointer inside the payload)


@cache
def aws_catalog() -> Catalog:
    return Catalog.load(AWS_CONTRACTS)


def _records(contract: str) -> Callable[[Any], list[Message]]:
    def split(payload: Any) -> list[Message]:
        records = payload.get("Records") if isinstance(payload, dict) else None
        if records == [] and payload.get("isFinalInvokeForWindow") is True:
            return []  # a tumbling window's final invocation carries only its state
        if not isinstance(records, list) or not records:
            return [(contract, payload, "")]  # not even an event: the contract says why
        return [(contract, record, f"/Records/{i}") for i, record in enumerate(records)]

    return split


def _destination_record(payload: Any) -> list[Message]:
    condition = (
        (payload.get("requestContext") or {}).get("condition")
        if isinstance(payload, dict)
        else None
    )
    contract = (
        "LambdaDestinationOnSuccess" if condition == "Success" else "LambdaDestinationOnFailure"
    )
    return [(contract, payload, "")]


SOURCE_RECORD_CONTRACTS = {"aws:dynamodb": "DynamoDBStreamRecord", "aws:sqs": "SqsRecord"}


def _pipe_records(payload: Any) -> list[Message]:
    if not isinstance(payload, list):
        return [("DynamoDBStreamRecord", payload, "")]
    messages = []
    for index, record in enumerate(payload):
        source = record.get("eventSource") if isinstance(record, dict) else None
        messages.append(
            (SOURCE_RECORD_CONTRACTS.get(str(source), "DynamoDBStreamRecord"), record, f"/{index}")
        )
    return messages


def _whole(contract: str) -> Callable[[Any], list[Message]]:
    return lambda payload: [(contract, payload, "")]


def _apigateway_event(payload: Any) -> list[Message]:
    version = payload.get("version") if isinstance(payload, dict) else None
    contract = "APIGatewayProxyEventV2" if version == "2.0" else "APIGatewayProxyEvent"
    return [(contract, payload, "")]


def _caller_defined(payload: Any) -> list[Message]:
    return []


MESSAGES_OF: dict[str, Callable[[Any], list[Message]]] = {
    observe.LAMBDA_ASYNC_EVENT: _caller_defined,
    observe.LAMBDA_SYNC_EVENT: _caller_defined,
    observe.APIGATEWAY_PROXY_EVENT: _apigateway_event,
    observe.SNS_LAMBDA_EVENT: _records("SnsRecord"),
    observe.SNS_SQS_ENVELOPE: _whole("SnsEnvelope"),
    observe.EVENTBRIDGE_EVENT: _whole("EventBridgeEvent"),
    observe.DESTINATION_RECORD: _destination_record,
    observe.PIPE_SOURCE_RECORDS: _pipe_records,
    observe.S3_NOTIFICATION: _whole("S3EventNotification"),
    observe.S3_TEST_EVENT: _whole("S3TestEvent"),
}




def splitters() -> dict[str, Callable[[Any], list[Message]]]:
    """``MESSAGES_OF`` plus the handler events and OnFailure records of every event source."""
    table = dict(MESSAGES_OF)
    for kind in registered_event_sources():
        table[kind.delivery_kind] = _records(kind.record_contract)
        if kind.failure_kind is not None and kind.failure_contract is not None:
            table[kind.failure_kind] = _whole(kind.failure_contract)
    return table


@dataclass(frozen=True)
class Nonconformity:
    """One delivered record its AWS contract rejects."""

    delivery: Delivery
    contract: str
    pointer: str
    problems: tuple[str, ...]

    def render(self) -> str:
        lines = [
            f"{self.delivery.kind} to {self.delivery.target} at t={self.delivery.at:g}: "
            f"record {self.pointer or '(the payload)'} breaks contracts/aws/{self.contract}"
        ]
        lines += [f"    {problem}" for problem in self.problems]
        return "\n".join(lines)


def messages_of(delivery: Delivery) -> list[Message]:
    table = splitters()
    split = table.get(delivery.kind)
    if split is None:
        raise KeyError(
            f"delivery kind {delivery.kind!r} has no AWS contract mapping in {__file__}; "
            f"known kinds: {', '.join(table)}"
        )
    return split(delivery.payload)


def nonconformities(deliveries: Iterable[Delivery]) -> list[Nonconformity]:
    catalog = aws_catalog()
    found = []
    for delivery in deliveries:
        for contract_name, message, pointer in messages_of(delivery):
            contract = catalog[contract_name]
            if contract.is_valid(message):
                continue
            problems = tuple(v.render() for v in contract.violations(message))
            found.append(Nonconformity(delivery, contract_name, pointer, problems))
    return found


def report(found: list[Nonconformity]) -> str:
    return f"{len(found)} delivered record(s) break AWS's contracts:\n" + "\n".join(
        n.render() for n in found
    )
