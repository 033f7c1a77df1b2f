"""The command dispatcher's resources, created through boto3 (fakes, moto or AWS alike)."""

from __future__ import annotations

import boto3

from reference_impl.command_dispatch.app import Names
from reference_impl.shared.aws import create_table, session_or_default


def provision(session: boto3.session.Session | None = None, names: Names | None = None) -> Names:
    """Users and Orders tables, the payment-processing queue and the refund-notification topic."""
    session, names = session_or_default(session), names or Names()
    dynamodb = session.client("dynamodb")
    create_table(dynamodb, names.users_table, "userId")
    create_table(dynamodb, names.orders_table, "orderId")
    session.client("sqs").create_queue(QueueName=names.payment_queue)
    session.client("sns").create_topic(Name=names.refund_topic)
    return names
