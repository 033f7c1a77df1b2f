"""Fixtures: a FakeAWS whose every delivery must conform to AWS's contracts."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from eventproof_fakes import FakeAWS
from tests.integration.delivery_contracts import nonconformities, report


@pytest.fixture
def deliveries_conform() -> Iterator[Callable[[FakeAWS], FakeAWS]]:
    """``deliveries_conform(env)`` checks every delivery ``env`` makes, when the test ends.

    Opt a whole suite in with an autouse fixture of its own, e.g.::

        @pytest.fixture(autouse=True)
        def _aws_shapes(deliveries_conform, aws):
            if hasattr(aws, "env"):
                deliveries_conform(aws.env)
    """
    watched: list[FakeAWS] = []

    def watch(env: FakeAWS) -> FakeAWS:
        watched.append(env)
        return env

    yield watch
    found = [n for env in watched for n in nonconformities(env.deliveries)]
    if found:
        pytest.fail(report(found), pytrace=False)


@pytest.fixture
def aws(deliveries_conform: Callable[[FakeAWS], FakeAWS]) -> FakeAWS:
    """A fresh FakeAWS, checked against AWS's contracts at teardown."""
    return deliveries_conform(FakeAWS(region="us-east-1"))
