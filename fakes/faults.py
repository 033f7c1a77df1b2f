"""Fault injection: duplicates, reordering, delays, throttling and crashes.

This is the seam the services call at each delivery and each client call.
The default injects nothing. (Filled in by the fault-injection work.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from fakes.environment import FakeAWS

T = TypeVar("T")


class Faults:
    def __init__(self, env: FakeAWS) -> None:
        self._env = env

    def before_call(self, service: str, operation: str, params: dict[str, Any]) -> None:
        """Called before a client call takes effect; may raise to crash the caller."""

    def after_call(self, service: str, operation: str, params: dict[str, Any]) -> None:
        """Called after a client call took effect; may raise to crash the caller."""

    def copies(self, channel: str) -> int:
        """How many times the next delivery on ``channel`` is made (1: no duplicate)."""
        return 1

    def reorder(self, channel: str, items: Sequence[T]) -> list[T]:
        """The order in which a batch on a channel without order guarantees is delivered."""
        return list(items)
