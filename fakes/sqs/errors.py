"""SQS errors as botocore parses them from AWS's JSON protocol.

SQS is ``awsQueryCompatible``: AWS answers with the legacy query error code
in ``Code`` and the JSON shape name in ``QueryErrorCode``; botocore picks the
modelled exception class (``client.exceptions.QueueDoesNotExist``) from
``QueryErrorCode``. Codes and messages follow the recordings in
``aws-recordings/snapshots/sqs_test_sqs.snapshot.json``.
"""

from __future__ import annotations

from eventproof_fakes.errors import AWSError


def sqs_error(code: str, query_code: str, message: str) -> AWSError:
    return AWSError(code, message, error_fields={"QueryErrorCode": query_code, "Type": "Sender"})


def queue_does_not_exist() -> AWSError:
    return sqs_error(
        "AWS.SimpleQueueService.NonExistentQueue",
        "QueueDoesNotExist",
        "The specified queue does not exist.",
    )


def invalid_parameter(message: str) -> AWSError:
    return sqs_error("InvalidParameterValue", "InvalidParameterValueException", message)


def invalid_parameter_value(name: str, value: object, reason: str) -> AWSError:
    return invalid_parameter(f"Value {value} for parameter {name} is invalid. Reason: {reason}")


def missing_parameter(name: str) -> AWSError:
    return sqs_error(
        "MissingParameter",
        "MissingRequiredParameterException",
        f"The request must contain the parameter {name}.",
    )


def invalid_attribute_name(message: str) -> AWSError:
    return sqs_error("InvalidAttributeName", "InvalidAttributeName", message)


def unknown_attribute(name: str) -> AWSError:
    return invalid_attribute_name(f"Unknown Attribute {name}.")


def invalid_attribute_value(name: str, reason: str | None = None) -> AWSError:
    message = f"Invalid value for the parameter {name}."
    if reason:
        message = f"Invalid value for the parameter {name}. Reason: {reason}"
    return sqs_error("InvalidAttributeValue", "InvalidAttributeValue", message)


def queue_already_exists(attribute: str) -> AWSError:
    return sqs_error(
        "QueueAlreadyExists",
        "QueueNameExists",
        f"A queue already exists with the same name and a different value for attribute {attribute}",
    )


def receipt_handle_is_invalid(handle: str) -> AWSError:
    return sqs_error(
        "ReceiptHandleIsInvalid",
        "ReceiptHandleIsInvalid",
        f'The input receipt handle "{handle}" is not a valid receipt handle.',
    )


def message_not_inflight() -> AWSError:
    return sqs_error(
        "AWS.SimpleQueueService.MessageNotInflight",
        "MessageNotInflight",
        "Message does not exist or is not available for visibility timeout change.",
    )


def batch_error(shape: str, message: str) -> AWSError:
    return sqs_error(f"AWS.SimpleQueueService.{shape}", shape, message)


def purge_in_progress(queue_name: str) -> AWSError:
    return batch_error(
        "PurgeQueueInProgress",
        f"Only one PurgeQueue operation on {queue_name} is allowed every 60 seconds.",
    )
