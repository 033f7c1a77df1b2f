"""The outbox example's resources, either variant, created through boto3."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import boto3

from reference_impl.outbox.app import Names, Variant
from reference_impl.outbox.change_processor import EVENT_SOURCE
from reference_impl.shared.aws import (
    LAMBDA_ROLE,
    allow_aws_services_to_send,
    create_function,
    create_queue,
    create_table,
    session_or_default,
)

MODULE = "reference_impl.outbox.lambdas"
FUNCTIONS = {
    "AddBook": "add_book",
    "RemoveBook": "remove_book",
    "ChangeProcessor": "change_processor",
    "BookAdded": "book_added",
    "BookRemoved": "book_removed",
}
PIPE_ROLE = "arn:aws:iam::123456789012:role/reference-impl-pipes"


# Pipes, as the article's serverless.yml has them: a filter on the event type, a template for the target.
PIPES = {
    "BookAddedPipe": (
        "BookAdded",
        {"eventName": ["INSERT"], "dynamodb": {"NewImage": {"eventType": {"S": ["BookAdded"]}}}},
        '{"eventId": "<$.dynamodb.NewImage.eventId.S>", "name": "<$.dynamodb.NewImage.name.S>", '
        '"author": "<$.dynamodb.NewImage.author.S>", "isbn": "<$.dynamodb.NewImage.isbn.S>", '
        '"addedAt": "<$.dynamodb.NewImage.occurredAt.S>"}',
    ),
    "BookRemovedPipe": (
        "BookRemoved",
        {"eventName": ["INSERT"], "dynamodb": {"NewImage": {"eventType": {"S": ["BookRemoved"]}}}},
        '{"eventId": "<$.dynamodb.NewImage.eventId.S>", "name": "<$.dynamodb.NewImage.name.S>", '
        '"removedAt": "<$.dynamodb.NewImage.occurredAt.S>"}',
    ),
}


@dataclass(frozen=True)
class Provisioned:
    names: Names
    variant: Variant
    event_log_url: str | None = None
    function_arns: dict[str, str] = field(default_factory=dict)


def provision(
    session: boto3.session.Session | None = None,
    names: Names | None = None,
    *,
    variant: Variant = "cdc",
    with_functions: bool = True,
    resource_policies: bool = True,
) -> Provisioned:
    """Tables (and bus) always; functions, mappings, rules and pipes when ``with_functions``.

    ``resource_policies=False`` skips ``lambda:AddPermission`` for backends that do not model it.
    """
    session, names = session_or_default(session), names or Names()
    dynamodb = session.client("dynamodb")
    create_table(dynamodb, names.books_table, "name", stream=variant == "cdc")
    create_table(dynamodb, names.events_table, "eventId", stream=variant == "pipes")
    create_table(dynamodb, names.presentation_table, "eventId")
    dynamodb.update_time_to_live(
        TableName=names.presentation_table,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": "expiresAt"},
    )
    create_table(dynamodb, names.catalogue_table, "name")
    event_log_url = None
    if variant == "cdc":
        event_log_url = _bus_with_event_log(session, names)
    if not with_functions:
        return Provisioned(names, variant, event_log_url)
    lambda_client = session.client("lambda")
    arns = {name: create_function(lambda_client, name, f"{MODULE}.{entry}") for name, entry in FUNCTIONS.items()}
    if variant == "cdc":
        books_stream = dynamodb.describe_table(TableName=names.books_table)["Table"]["LatestStreamArn"]
        lambda_client.create_event_source_mapping(
            EventSourceArn=books_stream, FunctionName="ChangeProcessor", StartingPosition="LATEST",
            BatchSize=10, MaximumRetryAttempts=10,
        )
        _consumer_rules(session, names, arns, resource_policies)
    else:
        _pipes(session, names, arns)
    return Provisioned(names, variant, event_log_url, arns)


def _bus_with_event_log(session: boto3.session.Session, names: Names) -> str:
    events, sqs = session.client("events"), session.client("sqs")
    events.create_event_bus(Name=names.bus)
    url, arn = create_queue(sqs, names.event_log_queue)
    allow_aws_services_to_send(sqs, url, arn)
    events.put_rule(Name="all-book-events-to-log", EventBusName=names.bus, EventPattern=json.dumps({"source": [EVENT_SOURCE]}))
    events.put_targets(Rule="all-book-events-to-log", EventBusName=names.bus, Targets=[{"Id": "log", "Arn": arn}])
    return url


def _consumer_rules(session: boto3.session.Session, names: Names, arns: dict[str, str], resource_policies: bool) -> None:
    events, lambda_client = session.client("events"), session.client("lambda")
    for detail_type in ("BookAdded", "BookRemoved"):
        rule = f"{detail_type}-to-consumer"
        rule_arn = events.put_rule(
            Name=rule, EventBusName=names.bus,
            EventPattern=json.dumps({"source": [EVENT_SOURCE], "detail-type": [detail_type]}),
        )["RuleArn"]
        events.put_targets(Rule=rule, EventBusName=names.bus, Targets=[{"Id": detail_type, "Arn": arns[detail_type]}])
        if resource_policies:
            lambda_client.add_permission(
                FunctionName=detail_type, StatementId=f"{rule}-invoke", Action="lambda:InvokeFunction",
                Principal="events.amazonaws.com", SourceArn=rule_arn,
            )


def _pipes(session: boto3.session.Session, names: Names, arns: dict[str, str]) -> None:
    dynamodb, pipes = session.client("dynamodb"), session.client("pipes")
    events_stream = dynamodb.describe_table(TableName=names.events_table)["Table"]["LatestStreamArn"]
    for pipe, (consumer, pattern, template) in PIPES.items():
        pipes.create_pipe(
            Name=pipe,
            RoleArn=PIPE_ROLE,
            Source=events_stream,
            SourceParameters={
                "FilterCriteria": {"Filters": [{"Pattern": json.dumps(pattern)}]},
                "DynamoDBStreamParameters": {"StartingPosition": "LATEST", "BatchSize": 1, "MaximumRetryAttempts": 10},
            },
            Target=arns[consumer],
            TargetParameters={"InputTemplate": template, "LambdaFunctionParameters": {"InvocationType": "REQUEST_RESPONSE"}},
        )


__all__ = ["FUNCTIONS", "LAMBDA_ROLE", "PIPES", "Provisioned", "provision"]
