"""Secrets Manager."""

from __future__ import annotations

from fakes.secretsmanager.backend import SecretsManager
from fakes.secretsmanager.rotation import STEPS, Rotation

__all__ = ["STEPS", "Rotation", "SecretsManager"]
