"""Lambda entry points (``Handler: reference_impl.destinations.lambdas.<name>``)."""

from __future__ import annotations

from typing import Any

from reference_impl.destinations.app import Handlers, Names, wire
from reference_impl.shared import LazyApp, names_from_environment

app: LazyApp[Handlers] = LazyApp(lambda: wire(names=names_from_environment(Names)))


def order(event: Any, context: Any) -> dict[str, Any]:
    return app.get().order(event, context)


def update_inventory(event: Any, context: Any) -> dict[str, Any]:
    return app.get().update_inventory(event, context)


def rollback(event: Any, context: Any) -> dict[str, Any]:
    return app.get().rollback(event, context)
