"""Lambda's error responses: every one carries ``Type`` and a lower-case ``message``."""

from __future__ import annotations

from eventproof_fakes.errors import AWSError


def lambda_error(code: str, message: str, status_code: int = 400) -> AWSError:
    return AWSError(
        code, message, status_code=status_code, extra={"Type": "User", "message": message}
    )


def invalid_parameter(message: str) -> AWSError:
    return lambda_error("InvalidParameterValueException", message)


def not_found(message: str) -> AWSError:
    return lambda_error("ResourceNotFoundException", message, 404)


def function_not_found(arn: str) -> AWSError:
    return not_found(f"Function not found: {arn}")


def too_large(limit: int, operation: str) -> AWSError:
    return lambda_error(
        "RequestEntityTooLargeException",
        f"Request must be smaller than {limit} bytes for the {operation} operation",
        413,
    )


def validation(value: object, member: str, constraint: str) -> AWSError:
    """AWS's "1 validation error detected" form, e.g. for MaximumRetryAttempts=5."""
    return lambda_error(
        "ValidationException",
        f"1 validation error detected: Value '{value}' at '{member}' failed to satisfy "
        f"constraint: {constraint}",
    )
