"""The command bus's resources: a command queue with its DLQ, a bus, rules with different patterns."""

from __future__ import annotations

import json
from dataclasses import dataclass

import boto3

from reference_impl.command_bus.app import Names
from reference_impl.command_bus.payments import EVENT_SOURCE
from reference_impl.shared.aws import (
    allow_aws_services_to_send,
    create_function,
    create_queue,
    create_table,
    session_or_default,
)

MAX_RECEIVE_COUNT = 3

# rule name -> (its pattern, the attribute of Names naming the subscriber queue)
RULES: dict[str, tuple[dict[str, object], str]] = {
    "payment-outcomes-to-notifications": (
        {"source": [EVENT_SOURCE], "detail-type": ["PaymentSucceeded", "PaymentFailed"]},
        "notifications_queue",
    ),
    "succeeded-payments-to-shipping": (
        {"source": [EVENT_SOURCE], "detail-type": ["PaymentSucceeded"]},
        "shipping_queue",
    ),
    "large-payments-to-audit": (
        {
            "source": [EVENT_SOURCE],
            "detail-type": ["PaymentSucceeded"],
            "detail": {"amount": {"amount": [{"numeric": [">=", 1000]}]}},
        },
        "audit_queue",
    ),
}


@dataclass(frozen=True)
class Provisioned:
    names: Names
    queue_urls: dict[str, str]


def provision(
    session: boto3.session.Session | None = None,
    names: Names | None = None,
    *,
    with_functions: bool = True,
) -> Provisioned:
    """Create everything; ``with_functions=False`` on backends that cannot run Python handlers (moto)."""
    session, names = session_or_default(session), names or Names()
    sqs, events = session.client("sqs"), session.client("events")
    create_table(session.client("dynamodb"), names.payments_table, "paymentId")
    urls: dict[str, str] = {}
    urls[names.dead_letter_queue], dlq_arn = create_queue(sqs, names.dead_letter_queue)
    redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": MAX_RECEIVE_COUNT})
    urls[names.command_queue], command_arn = create_queue(
        sqs, names.command_queue, RedrivePolicy=redrive, VisibilityTimeout="30"
    )
    events.create_event_bus(Name=names.bus)
    for rule, (pattern, queue_attribute) in RULES.items():
        queue = getattr(names, queue_attribute)
        urls[queue], arn = create_queue(sqs, queue)
        allow_aws_services_to_send(sqs, urls[queue], arn)
        events.put_rule(Name=rule, EventBusName=names.bus, EventPattern=json.dumps(pattern))
        events.put_targets(Rule=rule, EventBusName=names.bus, Targets=[{"Id": queue, "Arn": arn}])
    if with_functions:
        lambda_client = session.client("lambda")
        create_function(lambda_client, names.processor_function, "reference_impl.command_bus.lambdas.process_payment")
        lambda_client.create_event_source_mapping(
            EventSourceArn=command_arn,
            FunctionName=names.processor_function,
            BatchSize=10,
            FunctionResponseTypes=["ReportBatchItemFailures"],
        )
    return Provisioned(names=names, queue_urls=urls)
