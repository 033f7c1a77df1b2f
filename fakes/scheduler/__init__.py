"""EventBridge Scheduler."""

from __future__ import annotations

from eventproof_fakes.scheduler.backend import Scheduler
from eventproof_fakes.scheduler.firing import ScheduledInvocation

__all__ = ["ScheduledInvocation", "Scheduler"]
