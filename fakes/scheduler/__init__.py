"""EventBridge Scheduler."""

from __future__ import annotations

from fakes.scheduler.backend import Scheduler
from fakes.scheduler.firing import ScheduledInvocation

__all__ = ["ScheduledInvocation", "Scheduler"]
