"""The seam between ``eventproof verify`` and where a system runs: ``Backend``.

A backend stands a configured handler up as a ``System`` whose bench (what
the properties run it on) belongs to the backend, says which checks it
cannot run (and why: the check is then reported "skipped", never green),
and is opened for the length of a verification (moto's mock, an endpoint's
session).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from eventproof.errors import EventproofError

if TYPE_CHECKING:
    from eventproof.project.backends.runtime import Call
    from eventproof.project.config import HandlerConfig
    from eventproof.project.resolve import Project
    from eventproof.properties import System

__all__ = ["Backend", "InProcessBench", "NeverIdle", "Unsupported"]


class Unsupported(EventproofError):
    """What a check needs that this backend cannot do: the check is skipped, with this reason."""

    area = "not on this backend"


class NeverIdle(EventproofError):
    """The system kept delivering past the step limit (a message retried without end)."""

    area = "never idle"


class Backend:
    """Where ``verify`` runs handlers. Use as a context manager around a verification."""

    name: ClassVar[str] = "backend"
    _depth = 0  # nested ``with``: opened by the outermost one only (a fixture, then verify)

    def __enter__(self) -> Backend:
        if self._depth == 0:
            self.open()
        self._depth += 1
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._depth -= 1
        if self._depth == 0:
            self.close()

    def open(self) -> None:
        """Acquire what the runs need (a mock, a session); check it answers."""

    def close(self) -> None:
        """Release what ``open`` acquired."""

    def cannot_run(self, check: str) -> str | None:
        """Why ``check`` cannot run on this backend, or None when it can."""
        return None

    def system(self, project: Project, handler: HandlerConfig) -> System:
        """The handler as a ``System`` whose bench runs on this backend."""
        raise NotImplementedError

    def describe(self) -> str:
        """One line for the report: which backend, and where."""
        return self.name


class InProcessBench:
    """A bench whose handlers run in this process on ``backend.session`` (moto's, an endpoint's).

    While open, ``boto3.DEFAULT_SESSION`` is the backend's session and clients are
    reused per request, as the fakes' ``Bench`` does; ``watch`` adds a
    callback seeing every boto3 call of every later run.
    """

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self.watchers: list[Callable[[Call], None]] = []
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> Any:
        import boto3

        from eventproof.properties.system import reused_clients

        self._stack.callback(setattr, boto3, "DEFAULT_SESSION", boto3.DEFAULT_SESSION)
        boto3.DEFAULT_SESSION = self.backend.session
        self._stack.enter_context(reused_clients())
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stack.close()

    def watch(self, callback: Callable[[Call], None]) -> None:
        """Call ``callback`` with every boto3 call of every later run (before it takes effect)."""
        self.watchers.append(callback)
