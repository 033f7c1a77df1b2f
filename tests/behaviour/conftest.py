"""One behaviour suite per AWS service, run on the fakes and on moto.

A test takes the ``aws`` fixture and talks to it only through boto3 clients
(``aws.client("sqs")``, ``aws.resource("dynamodb")``). Behaviour moto gets
wrong or does not model is marked ``fakes_only`` with a comment citing AWS's
documentation; those tests are skipped on moto.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

from eventproof_fakes import FakeAWS

REGION = "us-east-1"
_MOTO_SESSION: boto3.session.Session | None = None


class MotoBackend:
    name = "moto"

    def __init__(self) -> None:
        global _MOTO_SESSION
        if _MOTO_SESSION is None:
            _MOTO_SESSION = boto3.session.Session(
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
                region_name=REGION,
            )
        self._session = _MOTO_SESSION

    def client(self, service: str, **kwargs: Any) -> Any:
        if service in ("dynamodb", "dynamodbstreams"):
            # moto 5.2 with current botocore needs this for DynamoDB (Streams).
            kwargs.setdefault("config", Config(account_id_endpoint_mode="disabled"))
        return self._session.client(service, region_name=REGION, **kwargs)

    def resource(self, service: str, **kwargs: Any) -> Any:
        if service == "dynamodb":
            kwargs.setdefault("config", Config(account_id_endpoint_mode="disabled"))
        return self._session.resource(service, region_name=REGION, **kwargs)

    def advance(self, seconds: float) -> None:
        pytest.skip("moto has no virtual clock")


class FakesBackend:
    name = "fakes"

    def __init__(self) -> None:
        self.env = FakeAWS(region=REGION)

    def client(self, service: str, **kwargs: Any) -> Any:
        return self.env.client(service, **kwargs)

    def resource(self, service: str, **kwargs: Any) -> Any:
        return self.env.resource(service, **kwargs)

    def advance(self, seconds: float) -> None:
        self.env.clock.advance(seconds)


@pytest.fixture(params=["fakes", "moto"])
def aws(request: pytest.FixtureRequest) -> Iterator[Any]:
    if request.param == "fakes":
        yield FakesBackend()
        return
    if request.node.get_closest_marker("fakes_only"):
        pytest.skip("fakes only: moto does not model this (see the test's citation)")
    from moto import mock_aws

    with mock_aws():
        yield MotoBackend()


@pytest.fixture(params=["fakes", "moto"])
def aws_backend(request: pytest.FixtureRequest) -> str:
    """The backend's name only, for suites that deploy a template on it (the CloudFormation cases)."""
    if request.param == "moto" and request.node.get_closest_marker("fakes_only"):
        pytest.skip("fakes only: moto does not model this (see the test's citation)")
    return str(request.param)
