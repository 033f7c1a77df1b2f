"""The scenario's ``World`` fixture and the hook that tells it which step runs."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import pytest

from eventproof.steps.world import StepLocation, World, open_world


@pytest.fixture
def eventproof_world() -> Iterator[World]:
    """One fresh backend per scenario (fakes by default; ``EVENTPROOF_BACKEND=moto`` for moto)."""
    with open_world() as world:
        yield world


def pytest_bdd_before_step(request: Any, feature: Any, scenario: Any, step: Any, step_func: Any) -> None:
    # The scenario's first step may be the one that creates the world: it names it as a parameter.
    wanted = "eventproof_world" in inspect.signature(step_func).parameters
    if "eventproof_world" not in request.fixturenames and not wanted:
        return
    world: World = request.getfixturevalue("eventproof_world")
    world.step = StepLocation(
        feature_file=feature.rel_filename,
        line=step.line_number,
        text=f"{step.keyword} {step.name}",
        scenario=scenario.name,
    )
