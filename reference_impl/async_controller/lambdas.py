"""Lambda entry points (``Handler: reference_impl.async_controller.lambdas.<name>``)."""

from __future__ import annotations

from typing import Any

from reference_impl.async_controller.app import Handlers, Names, wire
from reference_impl.shared import LazyApp, names_from_environment

app: LazyApp[Handlers] = LazyApp(lambda: wire(names=names_from_environment(Names)))


def add_leed(event: Any, context: Any) -> dict[str, Any]:
    return app.get().add_leed(event, context)


def async_email_helper(event: Any, context: Any) -> dict[str, Any]:
    return app.get().async_email_helper(event, context)
