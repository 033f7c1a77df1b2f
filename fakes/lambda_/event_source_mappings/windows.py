"""Tumbling windows of a stream event source mapping (``TumblingWindowInSeconds``), as
https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-windows.html and
https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-windows.html describe them.

Each record belongs to the window its arrival time falls in; a batch never
spans two windows. Every invocation carries the window, the state the
previous one returned, the shard and the source ARN; the function must
answer with a ``state`` (a response without one is a failed invocation).
When the window has ended and its records are processed, a final
invocation (``isFinalInvokeForWindow``) gets the last state; until it
succeeds the shard waits, then the state is dropped.
Simplified: windows start at multiples of their length since the epoch
(AWS does not document the alignment); the final invocation carries no
records; the 1 MB state limit (``isWindowTerminatedEarly``) is not modelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

__all__ = ["TumblingWindow"]


class TumblingWindow:
    """The open window of one shard lane and the state carried through it."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        self.start: float | None = None
        self.state: Any = {}

    @property
    def end(self) -> float | None:
        return None if self.start is None else self.start + self.seconds

    def due(self, now: float) -> bool:
        """The open window has ended: its final invocation is next."""
        end = self.end
        return end is not None and now >= end

    def cut(self, records: Sequence[Any]) -> list[Any]:
        """The leading records of ``records`` that share the window of the first (opened here)."""
        if self.start is None:
            self.start = float(int(records[0].created_at // self.seconds) * self.seconds)
        end = self.end
        assert end is not None
        return [r for r in records if r.created_at < end]

    def fields(self, shard_id: str, source_arn: str, *, final: bool) -> dict[str, Any]:
        assert self.start is not None and self.end is not None
        return {
            "window": {"start": _iso(self.start), "end": _iso(self.end)},
            "state": self.state,
            "shardId": shard_id,
            "eventSourceARN": source_arn,
            "isFinalInvokeForWindow": final,
            "isWindowTerminatedEarly": False,
        }

    def accept(self, result: Any) -> bool:
        """Take the state a successful invocation returned; False if it returned none."""
        if not isinstance(result, dict) or "state" not in result:
            return False
        self.state = result["state"]
        return True

    def close(self) -> None:
        self.start = None
        self.state = {}


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
