"""Execution records and their delivery to destinations and dead-letter queues.

Shapes are AWS's, as recorded in
tests/recordings/snapshots/lambda__test_lambda_destinations.snapshot.json
(https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).
A record that cannot be delivered (the destination does not exist) is
dropped as on AWS, and kept in ``Lambda.undelivered`` for tests to see.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from eventproof_fakes.errors import AWSError

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS
    from eventproof_fakes.lambda_.runtime import Invocation

SUCCESS_DETAIL_TYPE = "Lambda Function Invocation Result - Success"
FAILURE_DETAIL_TYPE = "Lambda Function Invocation Result - Failure"


def iso_millis(env: FakeAWS) -> str:
    """``2026-01-01T00:00:00.000Z``: the timestamp form of execution records."""
    moment = env.clock.now_datetime()
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def execution_record(
    env: FakeAWS,
    *,
    request_id: str,
    function_arn: str,
    condition: str,
    invoke_count: int,
    request_payload: Any,
    last: Invocation | None,
) -> dict[str, Any]:
    """The asynchronous-invocation record; ``last`` is the final attempt, if one ran."""
    record: dict[str, Any] = {
        "version": "1.0",
        "timestamp": iso_millis(env),
        "requestContext": {
            "requestId": request_id,
            "functionArn": function_arn,
            "condition": condition,
            "approximateInvokeCount": invoke_count,
        },
        "requestPayload": request_payload,
    }
    if last is None:
        # Never ran (throttled until the event expired): no response to report.
        record["responseContext"] = {"statusCode": 429, "executedVersion": "$LATEST"}
        return record
    response: dict[str, Any] = {"statusCode": 200, "executedVersion": "$LATEST"}
    if last.error is not None:
        response["functionError"] = "Unhandled"
    record["responseContext"] = response
    record["responsePayload"] = last.payload
    return record


def service_of(arn: str) -> str:
    parts = arn.split(":")
    return parts[2] if len(parts) > 5 and parts[0] == "arn" else ""


def deliver(
    env: FakeAWS, destination: str, record: dict[str, Any], *, success: bool, function_arn: str
) -> None:
    """Send ``record`` to an SQS queue, SNS topic, Lambda function or event bus."""
    service = service_of(destination)
    body = json.dumps(record)
    if service == "sqs":
        env.sqs.send(destination, body)
    elif service == "sns":
        env.sns.publish_message(destination, body)
    elif service == "lambda":
        env.lambda_.invoke_async(destination, record)
    elif service == "events":
        env.events.put_event_entries(
            [
                {
                    "Source": "lambda",
                    "DetailType": SUCCESS_DETAIL_TYPE if success else FAILURE_DETAIL_TYPE,
                    "Detail": body,
                    "Resources": [destination, function_arn],
                    "EventBusName": destination,
                }
            ]
        )
    else:
        raise AWSError("InvalidParameterValueException", f"unsupported destination {destination}")


def dead_letter(
    env: FakeAWS, target: str, payload: bytes, *, request_id: str, error_message: str
) -> None:
    """The legacy DLQ: the original payload, with AWS's three message attributes."""
    attributes = {
        "RequestID": {"DataType": "String", "StringValue": request_id},
        # AWS sends the HTTP status of the invoke (200 for a function error) here.
        "ErrorCode": {"DataType": "Number", "StringValue": "200"},
        "ErrorMessage": {"DataType": "String", "StringValue": error_message},
    }
    body = payload.decode("utf-8")
    if service_of(target) == "sns":
        env.sns.publish_message(target, body, message_attributes=attributes)
    else:
        env.sqs.send(target, body, message_attributes=attributes)
