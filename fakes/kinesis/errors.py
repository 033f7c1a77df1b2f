"""The errors Kinesis Data Streams answers with, worded as AWS words them."""

from __future__ import annotations

from eventproof_fakes.errors import AWSError


def invalid_argument(message: str) -> AWSError:
    return AWSError("InvalidArgumentException", message)


def stream_not_found(name: str, account_id: str) -> AWSError:
    return AWSError(
        "ResourceNotFoundException", f"Stream {name} under account {account_id} not found."
    )


def validation(value: object, where: str, constraint: str) -> AWSError:
    return AWSError(
        "ValidationException",
        f"1 validation error detected: Value '{value}' at '{where}' failed to satisfy "
        f"constraint: {constraint}",
    )
