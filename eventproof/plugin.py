"""The eventproof pytest plugin, registered through the ``pytest11`` entry point.

Fixtures:

- ``fake_aws``: a fresh ``FakeAWS`` per test with boto3 bound to it (every
  ``boto3.client``/``resource`` made during the test talks to the fakes);
- ``eventproof_catalog``: the project's contract catalog (once per session);
- ``eventproof_stack``: ``fake_aws`` with the configured system deployed
  (the ``template``, or the ``setup`` function of ``[tool.eventproof]``);
  the template's stack is ``eventproof_stack.cloudformation.stack()``.

- ``eventproof_backend``: the backend chosen with ``--eventproof-backend``
  (``fakes``, ``moto``, ``endpoint``), opened for the session: pass it to
  ``eventproof.project.verify(project, backend=eventproof_backend)``.

Options (heading "eventproof"): ``--eventproof-config PATH`` (default: the
configuration found from pytest's rootdir up), ``--eventproof-examples N``
(hypothesis examples for properties that do not set ``max_examples``),
``--eventproof-backend NAME`` with ``--eventproof-endpoint-url URL`` and
``--eventproof-stack NAME`` for an endpoint (see docs/verify.md).

Code that creates clients at import time (a handler module's
``boto3.client(...)`` at the top) must be imported while boto3 is bound:
import it inside the test (or let a template deploy it, which loads it as
Lambda does, on first invocation), not at the top of the test module.

This module only hands off: the engine is imported when a fixture is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from eventproof.catalog import Catalog
    from eventproof.project import Project
    from eventproof.project.backends import Backend
    from eventproof_fakes import FakeAWS

__all__: list[str] = []  # pytest hooks and fixtures only

_PROFILE = "eventproof-plugin"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("eventproof", "eventproof (contracts and properties on AWS fakes)")
    group.addoption("--eventproof-config", metavar="PATH", default=None,
                    help="eventproof.toml, pyproject.toml or a project folder "
                         "(default: found from the rootdir up)")
    group.addoption("--eventproof-examples", metavar="N", type=int, default=None,
                    help="hypothesis examples per property that sets no max_examples")
    group.addoption("--eventproof-backend", metavar="NAME", default="fakes",
                    choices=("fakes", "moto", "endpoint"),
                    help="where eventproof_backend runs handlers: fakes (default), moto, endpoint")
    group.addoption("--eventproof-endpoint-url", metavar="URL", default=None,
                    help="the endpoint of --eventproof-backend endpoint")
    group.addoption("--eventproof-stack", metavar="NAME", default=None,
                    help="the deployed stack of --eventproof-backend endpoint")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "eventproof: a test that uses eventproof's harness")
    examples = config.getoption("--eventproof-examples", default=None)
    if examples is not None:
        if examples < 1:
            raise pytest.UsageError(f"--eventproof-examples must be >= 1, got {examples}")
        from hypothesis import settings

        settings.register_profile(_PROFILE, max_examples=examples)
        settings.load_profile(_PROFILE)


@pytest.fixture()
def fake_aws() -> Iterator[FakeAWS]:
    """A fresh in-memory AWS account; boto3 is bound to it for the test."""
    import boto3

    from eventproof_fakes import FakeAWS

    aws = FakeAWS()
    saved = boto3.DEFAULT_SESSION
    with aws.patch_boto3():
        # boto3.client() would build a default Session (~100 ms) per test; the shared
        # one holds no state of any environment.
        boto3.DEFAULT_SESSION = FakeAWS.session()
        try:
            yield aws
        finally:
            boto3.DEFAULT_SESSION = saved


@pytest.fixture(scope="session")
def eventproof_project(pytestconfig: pytest.Config) -> Project:
    """The configured project (``[tool.eventproof]``), read and checked once."""
    from eventproof.errors import EventproofError
    from eventproof.project import open_project

    option = pytestconfig.getoption("--eventproof-config")
    where = Path(option) if option else Path(pytestconfig.rootpath)
    try:
        return open_project(where)
    except EventproofError as error:
        pytest.fail(error.render(), pytrace=False)


@pytest.fixture(scope="session")
def eventproof_backend(pytestconfig: pytest.Config) -> Iterator[Backend]:
    """The backend ``--eventproof-backend`` names, open for the session."""
    from eventproof.errors import EventproofError
    from eventproof.project.backends import make_backend

    try:
        backend = make_backend(pytestconfig.getoption("--eventproof-backend"),
                               endpoint_url=pytestconfig.getoption("--eventproof-endpoint-url"),
                               stack=pytestconfig.getoption("--eventproof-stack"))
        backend.__enter__()
    except EventproofError as error:
        pytest.fail(error.render(), pytrace=False)
    try:
        yield backend
    finally:
        backend.__exit__(None, None, None)


@pytest.fixture(scope="session")
def eventproof_catalog(eventproof_project: Project) -> Catalog:
    """The project's contracts."""
    return eventproof_project.catalog


@pytest.fixture()
def eventproof_stack(fake_aws: FakeAWS, eventproof_project: Project) -> Any:
    """``fake_aws`` with the configured template (or setup function) deployed on it."""
    eventproof_project.deploy(fake_aws)
    return fake_aws
