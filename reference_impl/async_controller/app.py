"""Wiring of the async controller example."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3

from reference_impl.async_controller.add_leed import AddLeed
from reference_impl.async_controller.email_helper import EmailHelper
from reference_impl.shared import Clock, system_clock
from reference_impl.shared.aws import session_or_default


@dataclass(frozen=True)
class Names:
    bookings_table: str = "Bookings"
    leeds_table: str = "Leeds"
    subscriptions_table: str = "Subscriptions"
    emails_table: str = "Emails"
    sender_domain: str = "theleedz.com"
    sender: str = "leedz@theleedz.com"
    add_leed_function: str = "addLeed"
    helper_function: str = "async_email_helper"


@dataclass(frozen=True)
class Handlers:
    add_leed: Callable[[Any, Any], dict[str, Any]]
    async_email_helper: Callable[[Any, Any], dict[str, Any]]


def wire(
    session: boto3.session.Session | None = None,
    *,
    names: Names = Names(),
    clock: Clock = system_clock,
) -> Handlers:
    session = session_or_default(session)
    dynamodb = session.resource("dynamodb")
    add_leed = AddLeed(
        dynamodb.Table(names.bookings_table),
        dynamodb.Table(names.leeds_table),
        session.client("lambda"),
        names.helper_function,
    )
    helper = EmailHelper(
        dynamodb.Table(names.subscriptions_table),
        dynamodb.Table(names.emails_table),
        session.client("ses"),
        names.sender,
        clock,
    )
    return Handlers(add_leed=add_leed.handle, async_email_helper=helper.handle)
