"""SNS errors (query protocol) with the codes and messages recorded on AWS
(``aws-recordings/snapshots/sns_test_sns*.snapshot.json``)."""

from __future__ import annotations

from eventproof_fakes.errors import AWSError

_SENDER = {"Type": "Sender"}


def sns_error(code: str, message: str, status_code: int = 400) -> AWSError:
    return AWSError(code, message, status_code=status_code, error_fields=dict(_SENDER))


def invalid_parameter(detail: str) -> AWSError:
    return sns_error("InvalidParameter", f"Invalid parameter: {detail}")


def parameter_value_invalid(message: str) -> AWSError:
    return sns_error("ParameterValueInvalid", message)


def topic_not_found() -> AWSError:
    return sns_error("NotFound", "Topic does not exist", 404)


def subscription_not_found() -> AWSError:
    return sns_error("NotFound", "Subscription does not exist", 404)


def check_arn(parameter: str, arn: str) -> None:
    parts = arn.split(":")
    if len(parts) < 6:
        raise invalid_parameter(
            f"{parameter} Reason: An ARN must have at least 6 elements, not {len(parts)}"
        )
