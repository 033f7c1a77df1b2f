"""Hypothesis profiles for the whole test suite (fixtures and profiles only)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# CI (the tox env sets HYPOTHESIS_PROFILE=ci): reproducible, no timing flakiness.
settings.register_profile(
    "ci", max_examples=50, deadline=None, derandomize=True, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=25, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
