"""The context object a Python handler receives, as AWS's Python runtime builds it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class LambdaContext:
    """AWS's ``LambdaContext``, with the remaining time read from the virtual clock.

    ``memory_limit_in_mb`` is a string, as AWS's runtime gives it (it reads
    it from an environment variable; AWS's recorded destination records
    show ``"memory_limit_in_mb": "128"``). ``function_arn`` is not part of
    AWS's object: it is the unqualified ARN, a convenience for tests.
    """

    def __init__(
        self,
        *,
        aws_request_id: str,
        function_name: str,
        function_arn: str,
        invoked_function_arn: str,
        memory_limit_in_mb: int,
        timeout_seconds: float,
        log_stream_name: str,
        started_at: float,
        now: Callable[[], float],
    ) -> None:
        self.aws_request_id = aws_request_id
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.function_arn = function_arn
        self.invoked_function_arn = invoked_function_arn
        self.memory_limit_in_mb = str(memory_limit_in_mb)
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = log_stream_name
        self.client_context: Any = None
        self.identity: Any = None
        self._deadline = started_at + timeout_seconds
        self._now = now

    def get_remaining_time_in_millis(self) -> int:
        return max(0, round((self._deadline - self._now()) * 1000))

    def __repr__(self) -> str:
        return (
            f"LambdaContext(function_name={self.function_name!r}, "
            f"aws_request_id={self.aws_request_id!r})"
        )
