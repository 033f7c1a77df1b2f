"""Small boto3 helpers every pattern's wiring and infrastructure use."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import boto3


def session_or_default(session: boto3.session.Session | None) -> boto3.session.Session:
    """The given session, or a new one from the usual environment (credentials, region)."""
    return session if session is not None else boto3.session.Session()


def queue_url(sqs: Any, name: str) -> str:
    return str(sqs.get_queue_url(QueueName=name)["QueueUrl"])


def topic_arn(sns: Any, name: str) -> str:
    """The ARN of topic ``name``; ``CreateTopic`` is idempotent and returns the existing one."""
    return str(sns.create_topic(Name=name)["TopicArn"])


def function_code() -> dict[str, bytes]:
    """A deployment package: the handlers are imported from this installed package by name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("README.txt", "handlers live in the installed reference_impl package\n")
    return {"ZipFile": buffer.getvalue()}


LAMBDA_ROLE = "arn:aws:iam::123456789012:role/reference-impl-lambda"


def create_table(dynamodb: Any, name: str, key: str, *, stream: bool = False, sort_key: str | None = None) -> None:
    """An on-demand table keyed by string attribute(s), with a NEW_AND_OLD_IMAGES stream if asked."""
    schema = [{"AttributeName": key, "KeyType": "HASH"}]
    attributes = [{"AttributeName": key, "AttributeType": "S"}]
    if sort_key:
        schema.append({"AttributeName": sort_key, "KeyType": "RANGE"})
        attributes.append({"AttributeName": sort_key, "AttributeType": "S"})
    options: dict[str, Any] = {}
    if stream:
        options["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    dynamodb.create_table(
        TableName=name, KeySchema=schema, AttributeDefinitions=attributes,
        BillingMode="PAY_PER_REQUEST", **options,
    )


def allow_aws_services_to_send(sqs: Any, url: str, arn: str) -> None:
    """The queue policy AWS requires before a rule or a topic can send to a queue (moto and the fakes ignore it)."""
    policy = {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": ["events.amazonaws.com", "sns.amazonaws.com"]},
            "Action": "sqs:SendMessage",
            "Resource": arn,
        }],
    }
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(policy)})


def create_queue(sqs: Any, name: str, **attributes: str) -> tuple[str, str]:
    """A standard queue; returns its URL and ARN."""
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return str(url), str(arn)


def create_function(lambda_client: Any, name: str, handler: str, *, timeout: int = 30) -> str:
    """A Python function whose handler is ``module.function`` in this package; returns its ARN."""
    response = lambda_client.create_function(
        FunctionName=name, Runtime="python3.12", Role=LAMBDA_ROLE, Handler=handler,
        Code=function_code(), Timeout=timeout,
    )
    return str(response["FunctionArn"])
