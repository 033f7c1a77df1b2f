"""SSM Parameter Store."""

from __future__ import annotations

from eventproof_fakes.ssm.backend import SSM

__all__ = ["SSM"]
