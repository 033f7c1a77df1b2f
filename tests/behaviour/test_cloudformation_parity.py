"""The same template on the fakes and on moto (the provisioner with moto's clients) builds the same things.

Compared: every logical id with its type and physical name, the outputs, and the wiring
each resource reports; only ids that are random on AWS too (mapping UUIDs) are masked.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import reference_impl
from tests.behaviour.cloudformation_harness import Deployed, deploy_on_fakes, deploy_on_moto

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
PATTERNS = Path(reference_impl.__file__).parent
TEMPLATES = [
    pytest.param(Path(__file__).parents[1] / "samples" / "sqs_chain" / "template.yaml", {}, id="sample-sqs-chain"),
    *(pytest.param(PATTERNS / name / "template.yaml", {}, id=name)
      for name in ("async_controller", "command_bus", "command_dispatch", "destinations")),
    pytest.param(PATTERNS / "outbox" / "template.yaml", {"Variant": "cdc"}, id="outbox-cdc"),
]


# moto 5.2.5 implements neither apigatewayv2 ImportApi nor (for SAM's swagger, which has
# no info.description) apigateway ImportRestApi: the APIs SAM builds from Api/HttpApi
# events are compared on the fakes only (tests/cli/test_serve_template.py serves them).
_MOTO_LACKS = ("ServerlessHttpApi", "ServerlessRestApi")


def built(d: Deployed) -> dict[str, Any]:
    def kept(logical_id: str) -> bool:
        return not logical_id.startswith(_MOTO_LACKS)

    return {
        "physical": {k: _UUID.sub("<uuid>", v) for k, v in d.physical.items() if kept(k)},
        "outputs": d.outputs,
        "not_built": {k: v for k, v in d.not_built.items() if kept(k)},
        "report": [line for line in d.report.lines() if not any(m in line for m in _MOTO_LACKS)],
    }


@pytest.mark.parametrize(("template", "parameters"), TEMPLATES)
def test_the_fakes_and_moto_build_the_same_resources_from_one_template(template: Path, parameters: dict[str, str]) -> None:
    from moto import mock_aws

    on_fakes = built(deploy_on_fakes(template, parameters=parameters))
    with mock_aws():
        on_moto = built(deploy_on_moto(template, parameters=parameters))
    assert on_fakes["physical"] and on_moto == on_fakes
