"""A handler as teams write them: settings from SSM, a secret from Secrets Manager, mail through SES,
run every hour by a schedule rule, on the fakes and their virtual clock.

The handler knows only boto3 and Powertools; the test wires it with ``patch_boto3``.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
from aws_lambda_powertools.utilities import parameters
from aws_lambda_powertools.utilities.parser import parse
from aws_lambda_powertools.utilities.parser.models import EventBridgeModel

from eventproof_fakes import FakeAWS


def digest_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Mail the hourly digest to the configured recipients."""
    scheduled = parse(event=event, model=EventBridgeModel)
    settings = parameters.get_parameters("/digest", max_age=0)
    api_key = json.loads(parameters.get_secret("digest/api", max_age=0))["key"]
    ses = boto3.client("ses")
    for recipient in settings["recipients"].split(","):
        ses.send_email(
            Source=settings["sender"],
            Destination={"ToAddresses": [recipient]},
            Message={
                "Subject": {"Data": f"Digest at {scheduled.time:%H:%M}"},
                "Body": {"Text": {"Data": f"signed with {api_key[:4]}..."}},
            },
        )
    return {"sent": len(settings["recipients"].split(","))}


def test_a_scheduled_handler_reads_its_settings_and_mails_on_the_hour(aws: FakeAWS) -> None:
    parameters.base.DEFAULT_PROVIDERS.clear()  # Powertools caches clients across tests
    with aws.patch_boto3():
        ssm, secrets, ses = boto3.client("ssm"), boto3.client("secretsmanager"), boto3.client("ses")
        ssm.put_parameter(Name="/digest/sender", Value="digest@shop.example", Type="String")
        ssm.put_parameter(Name="/digest/recipients", Value="ann@shop.example,bob@shop.example", Type="StringList")
        secrets.create_secret(Name="digest/api", SecretString=json.dumps({"key": "k-123456"}))
        ses.verify_domain_identity(Domain="shop.example")
        function = aws.lambda_.register("digest", digest_handler)
        events = boto3.client("events")
        events.put_rule(Name="hourly-digest", ScheduleExpression="rate(1 hour)")
        events.put_targets(Rule="hourly-digest", Targets=[{"Id": "digest", "Arn": function}])

        aws.clock.advance(2 * 3600)
        aws.run_until_idle()
    parameters.base.DEFAULT_PROVIDERS.clear()

    results = [i.result for i in aws.invocations("digest")]
    assert results == [{"sent": 2}, {"sent": 2}]
    assert [(m.to, m.subject) for m in aws.ses.sent()] == [
        (["ann@shop.example"], "Digest at 01:00"),
        (["bob@shop.example"], "Digest at 01:00"),
        (["ann@shop.example"], "Digest at 02:00"),
        (["bob@shop.example"], "Digest at 02:00"),
    ]
    assert all(m.text == "signed with k-12..." for m in aws.ses.sent())
