"""Wiring: one function builds the dispatcher with its clients, on any backend."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3

from reference_impl.command_dispatch.commands import CommandRegistry
from reference_impl.command_dispatch.dispatcher import make_dispatcher
from reference_impl.command_dispatch.order_commands import ProcessOrder, RefundOrder
from reference_impl.command_dispatch.user_commands import CreateUser, DeleteUser
from reference_impl.shared import Clock, system_clock
from reference_impl.shared.aws import queue_url, session_or_default, topic_arn


@dataclass(frozen=True)
class Names:
    users_table: str = "Users"
    orders_table: str = "Orders"
    payment_queue: str = "payment-processing"
    refund_topic: str = "refund-notification"


@dataclass(frozen=True)
class Handlers:
    dispatch: Callable[[Any, Any], dict[str, Any]]
    registry: CommandRegistry


def wire(
    session: boto3.session.Session | None = None,
    *,
    names: Names = Names(),
    clock: Clock = system_clock,
) -> Handlers:
    """The command dispatcher and its four commands, with clients from ``session``."""
    session = session_or_default(session)
    dynamodb, sqs, sns = session.resource("dynamodb"), session.client("sqs"), session.client("sns")
    users, orders = dynamodb.Table(names.users_table), dynamodb.Table(names.orders_table)
    registry = CommandRegistry(
        [
            CreateUser(users),
            DeleteUser(users),
            ProcessOrder(orders, sqs, queue_url(sqs, names.payment_queue), clock),
            RefundOrder(orders, sns, topic_arn(sns, names.refund_topic), clock),
        ]
    )
    return Handlers(dispatch=make_dispatcher(registry), registry=registry)
