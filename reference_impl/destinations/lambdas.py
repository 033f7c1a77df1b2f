"""Lambda entry points (``Handler: reference_impl.destinations.lambdas.<name>``)."""

from __future__ import annotations

from typing import Any

from reference_impl.destinations.app import Handlers, wire
from reference_impl.shared import LazyApp

app: LazyApp[Handlers] = LazyApp(wire)


def order(event: Any, context: Any) -> dict[str, Any]:
    return app.get().order(event, context)


def update_inventory(event: Any, context: Any) -> dict[str, Any]:
    return app.get().update_inventory(event, context)


def rollback(event: Any, context: Any) -> dict[str, Any]:
    return app.get().rollback(event, context)
