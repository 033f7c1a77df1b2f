"""Module-level Lambda entry points over a wired app, as Lambda runs them.

AWS imports ``module.function`` and keeps module state between warm
invocations; the app is wired once, on the first call (the cold start),
with the default boto3 session. Tests (and the HTTP front) hand in an app
they wired themselves with ``use``; ``cold_start`` forgets it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

App = TypeVar("App")


class LazyApp(Generic[App]):
    def __init__(self, wire: Callable[[], App]) -> None:
        self._wire = wire
        self._app: App | None = None

    def get(self) -> App:
        if self._app is None:
            self._app = self._wire()
        return self._app

    def use(self, app: App) -> App:
        self._app = app
        return app

    def cold_start(self) -> None:
        self._app = None
