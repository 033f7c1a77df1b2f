"""The serverless outbox: the database emits the events (CDC via a stream, or an Events table and Pipes)."""

from __future__ import annotations

from reference_impl.outbox.app import Handlers, Names, Variant, wire
from reference_impl.outbox.consumers import DEDUP_TTL_SECONDS
from reference_impl.outbox.infrastructure import PIPES, Provisioned, provision

__all__ = ["DEDUP_TTL_SECONDS", "PIPES", "Handlers", "Names", "Provisioned", "Variant", "provision", "wire"]
