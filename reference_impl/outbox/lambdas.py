"""Lambda entry points (``Handler: reference_impl.outbox.lambdas.<name>``)."""

from __future__ import annotations

import os
from typing import Any

from reference_impl.outbox.app import Handlers, Names, Variant, wire
from reference_impl.shared import LazyApp, names_from_environment


def _wire_from_environment() -> Handlers:
    variant: Variant = "pipes" if os.environ.get("OUTBOX_VARIANT") == "pipes" else "cdc"
    return wire(variant=variant, names=names_from_environment(Names))


app: LazyApp[Handlers] = LazyApp(_wire_from_environment)


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
