"""Lambda entry points (``Handler: reference_impl.outbox.lambdas.<name>``)."""

from __future__ import annotations

from typing import Any

from reference_impl.outbox.app import Handlers, wire
from reference_impl.shared import LazyApp

app: LazyApp[Handlers] = LazyApp(wire)


def add_book(event: Any, context: Any) -> dict[str, Any]:
    return app.get().add_book(event, context)


def remove_book(event: Any, context: Any) -> dict[str, Any]:
    return app.get().remove_book(event, context)


def change_processor(event: Any, context: Any) -> dict[str, Any]:
    return app.get().change_processor(event, context)


def book_added(event: Any, context: Any) -> dict[str, Any]:
    return app.get().book_added(event, context)


def book_removed(event: Any, context: Any) -> dict[str, Any]:
    return app.get().book_removed(event, context)
