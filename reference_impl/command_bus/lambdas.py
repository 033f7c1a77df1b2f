"""Lambda entry points (``Handler: reference_impl.command_bus.lambdas.<name>``)."""

from __future__ import annotations

from typing import Any

from reference_impl.command_bus.app import Handlers, Names, wire
from reference_impl.shared import LazyApp, names_from_environment

app: LazyApp[Handlers] = LazyApp(lambda: wire(names=names_from_environment(Names)))


def process_payment(event: Any, context: Any) -> dict[str, Any]:
    return app.get().process_payment(event, context)
