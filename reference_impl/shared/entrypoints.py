"""Module-level Lambda entry points over a wired app, as Lambda runs them.

AWS imports ``module.function`` and keeps module state between warm
invocations; the app is wired once, on the first call (the cold start),
with the default boto3 session and the resource names the function's
environment gives (``names_from_environment``: a template sets them). Tests
(and the HTTP front) hand in an app they wired themselves with ``use``;
``cold_start`` forgets it.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from typing import Any, Generic, TypeVar

App = TypeVar("App")
Names = TypeVar("Names")


def names_from_environment(names_class: type[Names]) -> Names:
    """A pattern's ``Names``, each field overridden by the variable of its upper-case name if set.

    ``books_table`` is read from ``BOOKS_TABLE``: the template of a pattern
    passes each resource's name to its functions that way.
    """
    fields = dataclasses.fields(names_class)  # type: ignore[arg-type]  # a dataclass type
    overrides: dict[str, Any] = {f.name: os.environ[f.name.upper()] for f in fields if f.name.upper() in os.environ}
    return names_class(**overrides)


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
