"""Lambda Destinations: order -> OnSuccess update-inventory -> topic; OnFailure -> rollback."""

from __future__ import annotations

from reference_impl.destinations.app import Handlers, Names, wire
from reference_impl.destinations.infrastructure import Provisioned, provision
from reference_impl.destinations.orders import InvalidOrder, OutOfStock, order_id_of

__all__ = ["Handlers", "InvalidOrder", "Names", "OutOfStock", "Provisioned", "order_id_of", "provision", "wire"]
