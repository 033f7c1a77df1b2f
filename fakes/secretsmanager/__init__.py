"""Secrets Manager."""

from __future__ import annotations

from eventproof_fakes.secretsmanager.backend import SecretsManager
from eventproof_fakes.secretsmanager.rotation import STEPS, Rotation

__all__ = ["STEPS", "Rotation", "SecretsManager"]
