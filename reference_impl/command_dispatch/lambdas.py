"""Lambda entry point (``Handler: reference_impl.command_dispatch.lambdas.dispatch``)."""

from __future__ import annotations

from typing import Any

from reference_impl.command_dispatch.app import Handlers, Names, wire
from reference_impl.shared import LazyApp, names_from_environment

app: LazyApp[Handlers] = LazyApp(lambda: wire(names=names_from_environment(Names)))


def dispatch(event: Any, context: Any) -> dict[str, Any]:
    return app.get().dispatch(event, context)
