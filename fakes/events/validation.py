"""Request checks of EventBridge kept out of the backend module."""

from __future__ import annotations

import re

from fakes.errors import AWSError

__all__ = ["check_target_arn"]

# arn:partition:service:region:account:resource (region and account may be empty)
_ARN = re.compile(r"^arn:aws[a-zA-Z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+$")


def check_target_arn(arn: str) -> None:
    """A target must name an ARN: AWS refuses anything else at PutTargets."""
    if not _ARN.match(arn):
        raise AWSError(
            "ValidationException",
            f"Parameter {arn} is not valid. Reason: Provided Arn is not in correct format.",
        )
