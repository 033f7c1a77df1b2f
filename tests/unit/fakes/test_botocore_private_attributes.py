"""The botocore internals ``fakes/binding.py`` relies on are still there.

The binding answers calls through botocore's public event system, but to
skip work a bound client never needs (serialising the request, building a
user agent, resolving the endpoint on every call) it replaces three private
attributes of a botocore client, and ``patch_boto3`` reads a session's
``_credentials``. A botocore release that renames or reshapes them would make
the binding silently slower or break it: these tests fail first, naming
what moved. pyproject.toml pins the botocore range they pass on.
"""

from __future__ import annotations

import inspect
import re
import tomllib
from pathlib import Path

import botocore
import botocore.client
import botocore.session
import pytest
from botocore.validate import ParamValidationDecorator

from eventproof_fakes import FakeAWS
from eventproof_fakes.binding import _EndpointMemo, _FixedUserAgent, _ValidateOnly

PYPROJECT = Path(__file__).resolve().parents[3] / "pyproject.toml"
CLIENT_SOURCE = inspect.getsource(botocore.client.BaseClient)


def _pinned(package: str) -> str:
    dependencies = tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    for requirement in dependencies:
        if re.match(rf"{package}\b", requirement):
            return str(requirement)
    raise AssertionError(f"{package} is not a dependency in {PYPROJECT}")


def test_the_installed_botocore_is_in_the_range_the_binding_is_tested_with() -> None:
    from packaging.requirements import Requirement

    requirement = Requirement(_pinned("botocore"))
    assert requirement.specifier.contains(botocore.__version__), (
        f"botocore {botocore.__version__} is outside {requirement}: run these tests on it, "
        "then widen the pin in pyproject.toml"
    )
    assert any(spec.operator == "<" for spec in requirement.specifier), (
        "botocore needs an upper bound: the binding replaces private attributes"
    )


@pytest.fixture
def client() -> object:
    return FakeAWS.session().client("sqs", region_name="us-east-1")


@pytest.mark.parametrize(
    ("attribute", "use"),
    [
        ("_serializer", "self._serializer.serialize_to_request("),
        ("_ruleset_resolver", "self._ruleset_resolver.construct_endpoint("),
        ("_user_agent_creator", "self._user_agent_creator.to_string()"),
    ],
)
def test_a_client_still_has_and_uses_each_replaced_attribute(
    client: object, attribute: str, use: str
) -> None:
    assert getattr(client, attribute, None) is not None, (
        f"botocore clients no longer have {attribute}; fakes/binding.py replaces it"
    )
    assert use in CLIENT_SOURCE, f"botocore.client.BaseClient no longer calls {use}...)"


def test_the_replaced_methods_keep_the_signatures_the_binding_implements(client: object) -> None:
    serializer = client._serializer  # type: ignore[attr-defined]
    assert isinstance(serializer, ParamValidationDecorator)
    validator = serializer._param_validator
    assert list(inspect.signature(validator.validate).parameters) == ["params", "shape"]
    assert list(inspect.signature(serializer.serialize_to_request).parameters) == [
        "parameters",
        "operation_model",
    ]
    resolver = client._ruleset_resolver  # type: ignore[attr-defined]
    assert {"operation_model", "call_args", "request_context"} <= set(
        inspect.signature(resolver.construct_endpoint).parameters
    )
    assert isinstance(client._user_agent_creator.to_string(), str)  # type: ignore[attr-defined]


def test_a_session_still_keeps_its_credentials_in_the_attribute_patch_boto3_reads() -> None:
    session = botocore.session.Session()
    assert "_credentials" in vars(session)
    assert "self._credentials" in inspect.getsource(botocore.session.Session.get_credentials)


def test_binding_replaces_all_three_attributes(client: object) -> None:
    FakeAWS().bind(client)
    assert isinstance(client._serializer, _ValidateOnly)  # type: ignore[attr-defined]
    assert isinstance(client._ruleset_resolver, _EndpointMemo)  # type: ignore[attr-defined]
    assert isinstance(client._user_agent_creator, _FixedUserAgent)  # type: ignore[attr-defined]
