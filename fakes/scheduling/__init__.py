"""Schedule expressions shared by EventBridge schedule rules and EventBridge Scheduler.

``parse_expression("cron(0 12 * * ? *)")`` gives an expression whose
``next_after(instant)`` is the next firing strictly after ``instant``, or
``None`` when there is none. See ``eventproof_fakes.scheduling.cron`` for AWS's
six-field cron syntax.
"""

from __future__ import annotations

from eventproof_fakes.scheduling.cron import CronExpression
from eventproof_fakes.scheduling.expressions import (
    AtExpression,
    InvalidScheduleExpression,
    RateExpression,
    ScheduleExpression,
    parse_expression,
)

__all__ = [
    "AtExpression",
    "CronExpression",
    "InvalidScheduleExpression",
    "RateExpression",
    "ScheduleExpression",
    "parse_expression",
]
