"""The default backend: eventproof's in-memory fakes (every check runs, on a virtual clock)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventproof.project.backends.base import Backend

if TYPE_CHECKING:
    from eventproof.project.config import HandlerConfig
    from eventproof.project.resolve import Project
    from eventproof.properties import System

__all__ = ["FakesBackend"]


class FakesBackend(Backend):
    """Each run deploys the project on an emptied ``FakeAWS`` (``Project.system``)."""

    name = "fakes"

    def system(self, project: Project, handler: HandlerConfig) -> System:
        return project.system(handler)
