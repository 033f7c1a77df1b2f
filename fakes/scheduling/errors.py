"""The one error of schedule expressions; each service words its own AWS error from it."""

from __future__ import annotations


class InvalidScheduleExpression(ValueError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
