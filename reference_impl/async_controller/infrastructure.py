"""The async controller's resources: four tables, the two functions and the SES sender.

SES starts every account in the sandbox: mail goes only from and to
verified identities. The app verifies its sending domain; ``subscribe``
(test and demo data) verifies each subscriber's address, as a sandbox
demo must. With production access only the domain is needed.
"""

from __future__ import annotations

import boto3

from reference_impl.async_controller.app import Names
from reference_impl.shared.aws import create_function, create_table, session_or_default

ASYNC_RETRIES = 2


def provision(
    session: boto3.session.Session | None = None,
    names: Names | None = None,
    *,
    with_functions: bool = True,
) -> Names:
    session, names = session_or_default(session), names or Names()
    dynamodb = session.client("dynamodb")
    create_table(dynamodb, names.bookings_table, "bookingKey")
    create_table(dynamodb, names.leeds_table, "leedId")
    create_table(dynamodb, names.subscriptions_table, "trade", sort_key="email")
    create_table(dynamodb, names.emails_table, "recipient", sort_key="messageKey")
    session.client("ses").verify_domain_identity(Domain=names.sender_domain)
    if with_functions:
        lambda_client = session.client("lambda")
        create_function(lambda_client, names.add_leed_function, "reference_impl.async_controller.lambdas.add_leed")
        create_function(lambda_client, names.helper_function, "reference_impl.async_controller.lambdas.async_email_helper")
        lambda_client.put_function_event_invoke_config(
            FunctionName=names.helper_function, MaximumRetryAttempts=ASYNC_RETRIES
        )
    return names


def subscribe(session: boto3.session.Session, trade: str, user: str, email: str, names: Names | None = None) -> None:
    """Subscribe a user to a trade's new leeds (test and demo data); verify the address for the sandbox."""
    table = session.resource("dynamodb").Table((names or Names()).subscriptions_table)
    table.put_item(Item={"trade": trade, "email": email, "user": user})
    session.client("ses").verify_email_identity(EmailAddress=email)
