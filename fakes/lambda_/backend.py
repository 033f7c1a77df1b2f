"""``Lambda``: the fake Lambda service, assembled from one part per concept."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fakes.lambda_.async_invoke import AsyncInvokeAPI
from fakes.lambda_.event_source_mappings import EventSourceMappingAPI
from fakes.lambda_.functions import Function
from fakes.lambda_.invoke import InvokeAPI
from fakes.lambda_.invoke_config import EventInvokeConfigAPI
from fakes.lambda_.runtime import Invocation

if TYPE_CHECKING:
    from fakes.environment import FakeAWS


class Lambda(InvokeAPI, AsyncInvokeAPI, EventInvokeConfigAPI, EventSourceMappingAPI):
    """Functions are Python callables run in-process on the virtual clock.

    Simplified: only ``$LATEST`` (no versions, aliases, layers); ``Code`` is
    ignored; handlers see no Lambda environment variables; logs are not
    captured. Everything else (payload limits, error payloads, async
    retries, destinations, event source mappings) follows AWS's documentation.
    """

    def __init__(self, env: FakeAWS) -> None:
        self.env = env
        self.functions: dict[str, Function] = {}
        self._invocations: dict[str, list[Invocation]] = {}
        self._init_async()
        self._init_event_source_mappings()

    def __repr__(self) -> str:
        return f"<fake Lambda: {len(self.functions)} functions>"
