"""Event source kinds: everything a Lambda trigger brings to the event source mapping API.

A service that feeds Lambda through an event source mapping registers one
``EventSourceKind`` under the service field of its ARNs (``sqs``,
``dynamodb``, ``kinesis``): how to check a source ARN, the defaults and
ranges of its settings, the poller that reads it, what
``GetEventSourceMapping`` adds for it, and the AWS shapes it delivers (the
handler event's delivery kind and record contract, and the OnFailure record
if it has one). The mapping API holds no per-source branches: it looks the
kind up here. A new trigger is one folder under ``fakes/`` whose package
registers its kind on import; ``event_source_kind`` imports the service's
backend first, so the registration is there when a mapping needs it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from eventproof_fakes import observe

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS
    from eventproof_fakes.lambda_.backend import Lambda
    from eventproof_fakes.lambda_.event_source_mappings.mapping import EventSourceMapping

__all__ = [
    "EventSourceKind",
    "MappingPoller",
    "event_source_kind",
    "register_event_source",
    "registered_event_sources",
]


class MappingPoller(Protocol):
    """A ``Pump`` (see ``eventproof_fakes.environment``) that feeds one mapping's function."""

    mapping: EventSourceMapping

    def pump(self) -> bool: ...

    def next_wakeup(self) -> float | None: ...


@dataclass(frozen=True)
class EventSourceKind:
    """What the mapping API needs to know about one kind of event source."""

    service: str  # the service field of the source's ARN
    conflict_label: str  # how AWS's ResourceConflictException names the source
    trigger: str  # the handler event is logged as delivery kind "lambda:<trigger>"
    record_contract: str  # contracts/aws/<name>: each record of a handler event
    default_batch_size: int
    # (lambda, source ARN, request) -> None, or AWS's error for a missing/unfit source
    check_source: Callable[[Lambda, str, dict[str, Any]], None]
    # applies and checks this kind's settings; shared by Create and Update
    configure: Callable[[EventSourceMapping, dict[str, Any]], None]
    make_poller: Callable[[Lambda, EventSourceMapping], MappingPoller]
    # fields GetEventSourceMapping shows for this kind on top of the common ones
    describe: Callable[[EventSourceMapping], dict[str, Any]]
    failure_kind: str | None = None  # delivery kind of the OnFailure record, if any
    failure_contract: str | None = None  # contracts/aws/<name> of that record

    @property
    def delivery_kind(self) -> str:
        return "lambda:" + self.trigger


_KINDS: dict[str, EventSourceKind] = {}


def register_event_source(kind: EventSourceKind) -> EventSourceKind:
    """Register (or replace) the kind for ARNs of ``kind.service``, and its delivery kinds."""
    _KINDS[kind.service] = kind
    observe.register_kind(kind.delivery_kind)
    if kind.failure_kind is not None:
        observe.register_kind(kind.failure_kind)
    return kind


def registered_event_sources() -> list[EventSourceKind]:
    """Every kind registered so far (a service's kind registers when its package loads)."""
    return list(_KINDS.values())


def event_source_kind(env: FakeAWS, service: str) -> EventSourceKind | None:
    """The kind for ARNs of ``service``, loading that service's fake if needed; None if none."""
    kind = _KINDS.get(service)
    if kind is None:
        from eventproof_fakes.environment import SERVICES

        if service in SERVICES:
            env.backend(service)  # importing the service's package registers its kind
            kind = _KINDS.get(service)
    return kind
