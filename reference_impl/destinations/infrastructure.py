"""The destinations example's resources: tables, the topic, three functions and their destinations."""

from __future__ import annotations

from dataclasses import dataclass

import boto3

from reference_impl.destinations.app import Names
from reference_impl.shared.aws import (
    allow_aws_services_to_send,
    create_function,
    create_queue,
    create_table,
    session_or_default,
)

ORDER_RETRIES = 2
INVENTORY_RETRIES = 1
MAX_EVENT_AGE_SECONDS = 3600


@dataclass(frozen=True)
class Provisioned:
    names: Names
    topic_arn: str
    notifications_queue_url: str


def provision(
    session: boto3.session.Session | None = None,
    names: Names | None = None,
    *,
    with_functions: bool = True,
    stock: dict[str, int] | None = None,
) -> Provisioned:
    session, names = session_or_default(session), names or Names()
    dynamodb = session.client("dynamodb")
    create_table(dynamodb, names.orders_table, "orderId")
    create_table(dynamodb, names.inventory_table, "sku")
    create_table(dynamodb, names.reservations_table, "orderId")
    for sku, count in (stock or {}).items():
        dynamodb.put_item(TableName=names.inventory_table, Item={"sku": {"S": sku}, "stock": {"N": str(count)}})
    sns, sqs = session.client("sns"), session.client("sqs")
    topic = sns.create_topic(Name=names.notifications_topic)["TopicArn"]
    url, queue_arn = create_queue(sqs, names.notifications_queue)
    allow_aws_services_to_send(sqs, url, queue_arn)
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
    if with_functions:
        lambda_client = session.client("lambda")
        module = "reference_impl.destinations.lambdas"
        create_function(lambda_client, names.order_function, f"{module}.order")
        inventory_arn = create_function(lambda_client, names.inventory_function, f"{module}.update_inventory")
        rollback_arn = create_function(lambda_client, names.rollback_function, f"{module}.rollback")
        lambda_client.put_function_event_invoke_config(
            FunctionName=names.order_function,
            MaximumRetryAttempts=ORDER_RETRIES,
            MaximumEventAgeInSeconds=MAX_EVENT_AGE_SECONDS,
            DestinationConfig={"OnSuccess": {"Destination": inventory_arn}, "OnFailure": {"Destination": rollback_arn}},
        )
        lambda_client.put_function_event_invoke_config(
            FunctionName=names.inventory_function,
            MaximumRetryAttempts=INVENTORY_RETRIES,
            MaximumEventAgeInSeconds=MAX_EVENT_AGE_SECONDS,
            DestinationConfig={"OnSuccess": {"Destination": topic}, "OnFailure": {"Destination": rollback_arn}},
        )
    return Provisioned(names=names, topic_arn=topic, notifications_queue_url=url)
