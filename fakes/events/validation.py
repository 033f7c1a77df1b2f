"""Request checks of EventBridge kept out of the backend module."""

from __future__ import annotations

import re
from typing import Any

from eventproof_fakes.errors import AWSError, UnsupportedParameter

__all__ = ["check_target_arn", "check_target_members"]

# Members of a PutTargets target the fake models; the rest configure target
# types it cannot deliver to (ECS, Batch, Kinesis, Run Command, Redshift, ...).
_MODELLED_TARGET_MEMBERS = frozenset(
    {
        "Id",
        "Arn",
        "RoleArn",
        "Input",
        "InputPath",
        "InputTransformer",
        "SqsParameters",
        "HttpParameters",
        "DeadLetterConfig",
        "RetryPolicy",
    }
)

# arn:partition:service:region:account:resource (region and account may be empty)
_ARN = re.compile(r"^arn:aws[a-zA-Z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+$")


def check_target_arn(arn: str) -> None:
    """A target must name an ARN: AWS refuses anything else at PutTargets."""
    if not _ARN.match(arn):
        raise AWSError(
            "ValidationException",
            f"Parameter {arn} is not valid. Reason: Provided Arn is not in correct format.",
        )


def check_target_members(target: dict[str, Any]) -> None:
    """A target member the fake does not model is refused, naming it."""
    for name in sorted(target):
        if name not in _MODELLED_TARGET_MEMBERS:
            raise UnsupportedParameter("events", "PutTargets", f"Targets.{name}")
