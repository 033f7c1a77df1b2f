"""Fixtures for the reference features: eventproof's step library, and backend selection.

Run on the fakes (default) or on moto with ``EVENTPROOF_BACKEND=moto``;
scenarios tagged ``@fakes_only`` need what moto cannot do (run Python
handlers on deliveries, inject faults, move a virtual clock) and are skipped
there.

Every scenario runs twice: on the system the pattern's ``wire()`` and
``provision()`` build (``[wired]``), and on the one its ``template.yaml``
describes, deployed with the step library's ``World.deploy_template``
(``[template]``: by the fakes' CloudFormation, or on moto through its clients
with the functions' own code run in process). The same scenario passing on
both is what shows the two systems behave the same.
"""

from __future__ import annotations

import pytest

pytest_plugins = ["eventproof.steps"]

PATTERN_TAGS = ("command_dispatch", "command_bus", "async_controller", "destinations", "outbox", "cdc", "pipes")


DEPLOYMENTS = ("wired", "template")


@pytest.fixture(params=DEPLOYMENTS, autouse=True)
def deployment(request: pytest.FixtureRequest) -> str:
    """How the pattern's "is deployed" step builds the system: by its wiring, or from its template."""
    return str(request.param)


def pytest_configure(config: pytest.Config) -> None:
    for tag in PATTERN_TAGS:
        config.addinivalue_line("markers", f"{tag}: scenarios of the {tag} reference feature")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from eventproof.steps.world import selected_backend

    if selected_backend() != "moto":
        return
    skip = pytest.mark.skip(reason="@fakes_only: moto cannot run this (see the feature's tags)")
    for item in items:
        if item.get_closest_marker("fakes_only") and str(item.path).startswith(str(config.rootpath / "features")):
            item.add_marker(skip)
