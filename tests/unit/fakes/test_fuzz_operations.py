"""Every registered operation, fed parameters drawn from its botocore input shape.

The parameters go through a bound client, so botocore validates them first,
as it would before a request to AWS. Whatever the fake then does, the caller
must see a botocore ``ClientError`` (or one of botocore's own errors) or a
success: never another Python exception. Bounded: ``FUZZ_EXAMPLES`` examples
per operation (default 12).
"""

from __future__ import annotations

import contextlib
import json
import os
from typing import Any

import pytest
from botocore import xform_name
from botocore.exceptions import BotoCoreError, ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventproof_fakes import FakeAWS
from eventproof_fakes.coverage import backend_class
from eventproof_fakes.environment import SERVICES
from eventproof_fakes.operations import operation_table
from tests.unit.fakes.shape_strategies import for_shape

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))


# Operations known to raise, with the finding (a strict xfail, so a fix removes its entry):
# none today.
KNOWN: dict[tuple[str, str], str] = {}


def _operations() -> list[Any]:
    return [
        pytest.param(
            service,
            name,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN[(service, name)])]
            if (service, name) in KNOWN
            else [],
        )
        for service in sorted(SERVICES)
        for name in operation_table(backend_class(service)).names()
    ]


def _environment() -> FakeAWS:
    aws = FakeAWS()
    dynamodb = aws.client("dynamodb")
    dynamodb.create_table(
        TableName="Things",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    dynamodb.put_item(TableName="Things", Item={"pk": {"S": "a"}, "n": {"N": "1"}})
    sqs = aws.client("sqs")
    sqs.create_queue(QueueName="q")
    sqs.create_queue(QueueName="q.fifo", Attributes={"FifoQueue": "true"})
    aws.client("sns").create_topic(Name="topic")
    events = aws.client("events")
    events.create_event_bus(Name="bus")
    events.put_rule(Name="rule", EventPattern=json.dumps({"source": ["x"]}))
    aws.lambda_.register("f", lambda event, context: {"ok": True})
    return aws


@pytest.mark.parametrize(("service", "operation"), _operations())
def test_no_input_botocore_accepts_makes_a_fake_raise_a_python_exception(
    service: str, operation: str
) -> None:
    aws = _environment()
    client = aws.client(service)
    model = client.meta.service_model
    name = next(n for n in model.operation_names if xform_name(n) == operation)
    shape = model.operation_model(name).input_shape
    method = getattr(client, operation)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,  # the same examples on every run: a failure is reproducible
        suppress_health_check=list(HealthCheck),
    )
    @given(for_shape(shape) if shape is not None else st.just({}))
    def call(params: dict[str, Any]) -> None:
        # The only outcomes a caller may see: success, or botocore's own exceptions (its
        # client refuses some inputs before any request, as it would against AWS: an
        # unsupported checksum algorithm, CRC32C without botocore[crt]).
        with contextlib.suppress(ClientError, BotoCoreError):
            method(**params)

    call()
