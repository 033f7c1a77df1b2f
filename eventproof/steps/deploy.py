"""Steps that stand a system up: the project's template, any template, observers on its buses."""

from __future__ import annotations

from typing import Any

from pytest_bdd import given, parsers

from eventproof.steps.world import World


@given("the system is deployed from its template")
def the_system_is_deployed_from_its_template(eventproof_world: World, eventproof_project: Any) -> None:
    """Deploy the project's configured template (``[tool.eventproof]``: ``template``, ``parameters``;
    or its ``setup`` function) and load its contracts; the template's logical ids then name its
    queues, functions and tables in later steps."""
    world, config = eventproof_world, eventproof_project.config
    world.catalog = eventproof_project.catalog
    if config.template is not None:
        world.deploy_template(config.template, config.parameters)
    else:
        _run_setup(world, eventproof_project)


def _run_setup(world: World, project: Any) -> None:
    project.deploy(world.require_fakes("a setup function deploys on the fakes"))


@given(parsers.parse('the template "{path}" is deployed'))
def the_template_is_deployed(eventproof_world: World, path: str) -> None:
    """Deploy a SAM or CloudFormation template (``path`` relative to where pytest runs) with its
    default parameters; its logical ids then name its resources in later steps."""
    eventproof_world.deploy_template(path)


@given(parsers.parse('the template "{path}" is deployed with:'))
def the_template_is_deployed_with(eventproof_world: World, path: str, datatable: list[list[str]]) -> None:
    """Deploy a template with parameters from a table ``| parameter | value |`` (a header row first)."""
    world = eventproof_world
    if not datatable or any(len(row) != 2 for row in datatable):
        raise world.fail("expected a table of two columns: | parameter | value |, with a header row")
    world.deploy_template(path, {name: value for name, value in datatable[1:]})


@given(parsers.parse('events on the "{bus}" bus are observed'))
def events_on_the_bus_are_observed(eventproof_world: World, bus: str) -> None:
    """Copy every event on the bus (its name, or a deployed template's logical id) to an
    observer queue, for the steps about published events."""
    eventproof_world.observe_bus(eventproof_world.physical(bus))
