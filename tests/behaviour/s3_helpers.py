"""Shared set-up of the S3 behaviour suites (fixtures stay in each suite)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

BUCKET = "eventproof-orders"


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> dict[str, Any]:
    error: dict[str, Any] = excinfo.value.response["Error"]
    return error


def status_of(excinfo: pytest.ExceptionInfo[ClientError]) -> int:
    status: int = excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]
    return status


def put_keys(s3: Any, *keys: str, bucket: str = BUCKET) -> None:
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=key.encode())
