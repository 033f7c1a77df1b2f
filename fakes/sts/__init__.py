"""STS: the caller's identity and temporary credentials."""

from __future__ import annotations

from eventproof_fakes.sts.backend import STS, caller_arn

__all__ = ["STS", "caller_arn"]
