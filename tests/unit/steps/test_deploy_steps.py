"""A template deployed by a step: its logical ids name its resources, on the fakes and on moto."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventproof.steps import StepFailed
from eventproof.steps.world import open_world

TEMPLATE = Path(__file__).resolve().parents[3] / "examples" / "payments" / "template.yaml"


@pytest.mark.parametrize("backend", ["fakes", "moto"])
def test_logical_ids_name_the_deployed_resources(backend: str) -> None:
    with open_world(backend) as world:
        world.deploy_template(TEMPLATE, {"Broken": "false"})
        url = world.queue_url("PaymentRequests")
        assert url.rsplit("/", 1)[-1] == world.physical("PaymentRequests") != "PaymentRequests"
        table = world.physical("LedgerTable")
        assert world.session.client("dynamodb").describe_table(TableName=table)["Table"]["TableName"] == table
        assert world.physical("not-in-the-template") == "not-in-the-template"


def test_a_template_that_is_not_there_fails_the_step_with_its_path(tmp_path: Path) -> None:
    with open_world("fakes") as world, pytest.raises(StepFailed, match="no template file"):
        world.deploy_template(tmp_path / "missing.yaml")
