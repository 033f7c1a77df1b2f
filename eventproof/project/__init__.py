"""A team's project: its ``[tool.eventproof]`` configuration, and ``eventproof verify``."""

from eventproof.project.config import (
    PROMISES,
    VIAS,
    HandlerConfig,
    ProjectConfig,
    find_config,
    load_config,
)
from eventproof.project.resolve import Project, open_project
from eventproof.project.verify import CheckResult, RunOptions, Verification, verify

__all__ = [
    "PROMISES",
    "VIAS",
    "CheckResult",
    "HandlerConfig",
    "Project",
    "ProjectConfig",
    "RunOptions",
    "Verification",
    "find_config",
    "load_config",
    "open_project",
    "verify",
]
