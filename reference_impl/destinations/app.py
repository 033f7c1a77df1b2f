"""Wiring of the Lambda Destinations example."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3

from reference_impl.destinations.orders import PlaceOrder, Rollback, UpdateInventory
from reference_impl.shared import Clock, system_clock
from reference_impl.shared.aws import session_or_default, topic_arn


@dataclass(frozen=True)
class Names:
    orders_table: str = "Orders"
    inventory_table: str = "Inventory"
    reservations_table: str = "InventoryReservations"
    order_function: str = "order"
    inventory_function: str = "update-inventory"
    rollback_function: str = "rollback"
    notifications_topic: str = "order-notifications"
    # Subscribed to the topic with raw delivery, so tests and operators can read what it announced.
    notifications_queue: str = "order-notifications-inbox"


@dataclass(frozen=True)
class Handlers:
    order: Callable[[Any, Any], dict[str, Any]]
    update_inventory: Callable[[Any, Any], dict[str, Any]]
    rollback: Callable[[Any, Any], dict[str, Any]]


def wire(
    session: boto3.session.Session | None = None,
    *,
    names: Names = Names(),
    clock: Clock = system_clock,
) -> Handlers:
    session = session_or_default(session)
    dynamodb, sns = session.resource("dynamodb"), session.client("sns")
    orders = dynamodb.Table(names.orders_table)
    return Handlers(
        order=PlaceOrder(orders, clock).handle,
        update_inventory=UpdateInventory(
            session.client("dynamodb"), names.inventory_table, names.reservations_table, clock
        ).handle,
        rollback=Rollback(orders, sns, topic_arn(sns, names.notifications_topic), clock).handle,
    )
