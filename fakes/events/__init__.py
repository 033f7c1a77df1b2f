"""The EventBridge fake (``FakeAWS().events``): buses, rules, targets, PutEvents."""

from fakes.events.backend import EventBridge
from fakes.events.model import Delivery

__all__ = ["Delivery", "EventBridge"]
