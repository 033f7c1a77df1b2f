"""Systems deployed from a template are fed through their own triggers, whatever the kind.

tests/properties/own_triggers/template.yaml puts one Deposit consumer behind
an SNS subscription (with a filter policy on the contract's message
attribute), a table stream, a bucket notification with a key prefix, a
Kinesis stream, an HTTP API route (beside a GET route) and a REST API route
with a path parameter. Broken=true makes each book every delivery again.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eventproof.catalog import Catalog
from eventproof.errors import ConfigError
from eventproof.properties import (
    PropertyFailed,
    System,
    assert_accepts_valid,
    assert_idempotent,
    assert_order_insensitive,
    assert_survives_crashes,
)
from eventproof_fakes import FakeAWS

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "own_triggers" / "template.yaml"
DEPOSIT = Catalog.load(HERE / "delivery_contracts")["Deposit"]
TRIGGERS = [("SnsFunction", "sns"), ("StreamFunction", "stream"), ("BucketFunction", "s3"),
            ("KinesisFunction", "kinesis"), ("HttpFunction", "api"), ("RestFunction", "api")]


@pytest.fixture(scope="module")
def functions() -> dict[str, str]:
    aws = FakeAWS(seed=0)
    with aws.patch_boto3():
        stack = aws.cloudformation.deploy(TEMPLATE, parameters={"Broken": "false"})
    return {logical: built.physical_id for logical, built in stack.resources.items()
            if built.physical_id in aws.lambda_.functions}


def deployed(functions: dict[str, str], logical: str, broken: bool = False) -> System:
    parameters = {"Broken": "true" if broken else "false"}

    def deploy(aws: FakeAWS) -> None:
        aws.cloudformation.deploy(TEMPLATE, parameters=parameters)

    return System(build=deploy, name=functions[logical], deployed=True, own_trigger=True)


@pytest.mark.parametrize(("logical", "via"), TRIGGERS)
def test_a_deployed_consumer_is_verified_through_its_own_trigger(
        functions: dict[str, str], logical: str, via: str) -> None:
    system = deployed(functions, logical)
    assert_accepts_valid(system, DEPOSIT, via=via, max_examples=5)
    assert_idempotent(system, DEPOSIT, via=via, max_examples=5)
    assert_survives_crashes(system, DEPOSIT, via=via, max_examples=2)
    assert_order_insensitive(system, DEPOSIT, via=via, max_examples=5)


@pytest.mark.parametrize(("logical", "via"), TRIGGERS)
def test_the_broken_deployment_is_caught_through_its_own_trigger(
        functions: dict[str, str], logical: str, via: str) -> None:
    with pytest.raises(PropertyFailed) as caught:
        assert_idempotent(deployed(functions, logical, broken=True), DEPOSIT, via=via,
                          max_examples=5)
    assert f"delivered 2 times via {via}" in caught.value.counterexample.schedule[0]


def test_a_function_without_the_trigger_asked_for_is_a_configuration_error(
        functions: dict[str, str]) -> None:
    with pytest.raises(ConfigError, match="needs exactly one Kinesis event source, found 0"):
        assert_idempotent(deployed(functions, "SnsFunction"), DEPOSIT, via="kinesis",
                          max_examples=2)
    with pytest.raises(ConfigError, match=r"its routes: POST /deposits, GET /deposits/\{depositId\}"
                                          r"|its routes: GET /deposits/\{depositId\}, POST /deposits"):
        assert_idempotent(deployed(functions, "HttpFunction"), Catalog.load(
            HERE / "delivery_contracts")["DepositV1"], via="api", max_examples=2)
