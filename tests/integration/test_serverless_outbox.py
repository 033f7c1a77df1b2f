"""The outbox as the seed article deployed it, a Serverless Framework service, behaves as the wired one.

``reference_impl/outbox/serverless.yml`` describes the CDC variant with
Serverless's functions, events and ``resources``; the fakes' CloudFormation
reads it and builds the stack. The scenario of ``test_reference_templates``
runs on it and on the hand-wired system; what each leaves behind must match.
"""

from __future__ import annotations

from pathlib import Path

import boto3

from eventproof_fakes import FakeAWS
from reference_impl import outbox
from reference_impl.outbox import lambdas as outbox_lambdas
from tests.integration.test_reference_templates import _same, add_and_remove_a_book, wired

SERVICE = Path(str(outbox.__file__)).parent / "serverless.yml"


def test_the_outbox_from_its_serverless_yml_behaves_as_wired() -> None:
    def provision(session: boto3.session.Session) -> None:
        outbox.provision(session, variant="cdc", resource_policies=False)

    with wired(provision, outbox_lambdas.app, lambda session: outbox.wire(session, variant="cdc")) as aws:
        by_wiring = add_and_remove_a_book(aws, "cdc")
    from_service = FakeAWS.from_template(SERVICE, parameters={"stage": "test"})
    assert from_service.cloudformation.stack().report.lines() == [
        f"{SERVICE}:1: ServerlessHttpApiApiGatewayDefaultStage: property Tags: "
        "not modelled by eventproof's CloudFormation for HTTP API stages"]
    by_service = add_and_remove_a_book(from_service, "cdc")
    assert by_wiring[3]["BookAdded"] == 1
    assert by_wiring[2]["outbox-event-log"]
    _same(by_wiring, by_service)
