"""Every request parameter of every operation the fakes answer is handled or refused.

The table is generated from botocore's service models and the operation
registry (``eventproof_fakes.coverage``) and checked in per service. A botocore release
that adds a parameter, or a backend that registers a new operation, changes
the table and fails here until ``python -m eventproof_fakes.coverage --write`` is run and
the new parameters are reviewed: handled (modelled) or refused.
"""

import json
from pathlib import Path
from typing import Any

import pytest

from eventproof_fakes import FakeAWS
from eventproof_fakes.coverage import (
    HANDLED,
    REFUSED,
    SIMPLIFIED,
    UNACCOUNTED,
    all_tables,
    coverage_table,
    render_markdown,
    snapshot_dir,
)
from eventproof_fakes.environment import SERVICES
from eventproof_fakes.errors import UnsupportedParameter

ROOT = Path(__file__).resolve().parents[3]
REGENERATE = "run `python -m eventproof_fakes.coverage --write` and review the diff"


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_no_parameter_is_silently_ignored(service):
    table = coverage_table(service)
    gaps = [
        f"{name}.{param}"
        for name, params in table.items()
        for param, status in params.items()
        if status == UNACCOUNTED
    ]
    assert not gaps, f"{service}: neither handled nor refused: {gaps}"


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_the_checked_in_table_is_current(service):
    path = snapshot_dir(ROOT) / f"{service}.json"
    assert path.exists(), f"no coverage snapshot for {service}: {REGENERATE}"
    recorded = json.loads(path.read_text(encoding="utf-8"))
    assert coverage_table(service) == recorded, f"{service} coverage changed: {REGENERATE}"


def test_the_published_table_is_current():
    published = (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8")
    assert published == render_markdown(all_tables()), f"docs/coverage.md is stale: {REGENERATE}"


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_refused_parameter_is_refused_by_dispatch(service):
    aws = FakeAWS()
    refused = [
        (name, param)
        for name, params in coverage_table(service).items()
        for param, status in params.items()
        if status == REFUSED
    ]
    for name, param in refused:
        with pytest.raises(UnsupportedParameter) as raised:
            aws.dispatch(service, name, holding(param))
        assert raised.value.parameter == param
        assert param in raised.value.message and "does not model" in raised.value.message


def holding(path: str) -> dict[str, Any]:
    """Request parameters that hold a value at ``path`` (``A[].B``: B in an item of the list A)."""
    from eventproof_fakes.operations import _tokens

    value: Any = "x"
    for token in reversed(_tokens(path)):
        value = [value] if token == "[]" else {"k": value} if token == "{}" else {token: value}
    return dict(value)


def test_a_nested_parameter_is_refused_only_where_it_is_given() -> None:
    from botocore.exceptions import ClientError

    aws = FakeAWS()
    events = aws.client("events")
    events.put_rule(Name="r", EventPattern='{"source": ["a"]}')
    target = {"Id": "t", "Arn": "arn:aws:sqs:us-east-1:123456789012:q"}
    events.put_targets(Rule="r", Targets=[target])  # no EcsParameters: served
    with pytest.raises(ClientError) as raised:
        events.put_targets(Rule="r", Targets=[target, {**target, "Id": "u", "EcsParameters": {"TaskDefinitionArn": "x"}}])
    assert raised.value.response["Error"]["Code"] == "UnsupportedParameter"
    assert "Targets[].EcsParameters" in raised.value.response["Error"]["Message"]


def test_nested_members_are_listed_by_path() -> None:
    table = coverage_table("events")["PutTargets"]
    assert table["Targets"] == HANDLED
    assert table["Targets[].SqsParameters.MessageGroupId"] == HANDLED
    assert table["Targets[].EcsParameters"] == REFUSED
    assert not any(path.startswith("Targets[].EcsParameters.") for path in table)  # covered by its refusal


def test_a_refused_parameter_reaches_a_boto3_caller_as_a_client_error():
    from botocore.exceptions import ClientError

    aws = FakeAWS()
    client = aws.client("dynamodb")
    with pytest.raises(ClientError) as raised:
        client.create_table(
            TableName="t",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
            TableClass="STANDARD_INFREQUENT_ACCESS",
        )
    assert raised.value.response["Error"]["Code"] == "UnsupportedParameter"
    assert "TableClass" in raised.value.response["Error"]["Message"]
    assert aws.dynamodb.tables == {}


def test_every_status_is_one_of_the_three():
    statuses = {
        status
        for table in all_tables().values()
        for params in table.values()
        for status in params.values()
    }
    assert statuses <= {HANDLED, REFUSED, SIMPLIFIED, UNACCOUNTED}


def test_no_parameter_refused_from_outside_is_read_by_its_fake() -> None:
    """``eventproof_fakes.refusals`` goes stale when a fake starts modelling a parameter: say so."""
    from eventproof_fakes.coverage import _names_in_source, backend_class
    from eventproof_fakes.refusals import REFUSALS

    stale = [
        f"{service} {operation} {param}"
        for service, operations in REFUSALS.items()
        if service in SERVICES
        for operation, params in operations.items()
        for param in params
        if param in _names_in_source(backend_class(service).__module__.rsplit(".", 1)[0])
    ]
    assert not stale, f"now read by their fakes: drop them from fakes/refusals.py: {stale}"
