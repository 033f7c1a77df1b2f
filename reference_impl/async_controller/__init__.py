"""Asynchronous invocation with controllers: addLeed answers at once; async_email_helper does the rest."""

from __future__ import annotations

from reference_impl.async_controller.app import Handlers, Names, wire
from reference_impl.async_controller.infrastructure import provision, subscribe

__all__ = ["Handlers", "Names", "provision", "subscribe", "wire"]
