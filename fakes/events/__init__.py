"""The EventBridge fake (``FakeAWS().events``): buses, rules, targets, PutEvents."""

from fakes import fault_channels
from fakes.events.backend import EventBridge
from fakes.events.model import Delivery

__all__ = ["Delivery", "EventBridge"]

fault_channels.register_channel("events", "<rule ARN>", ("duplicate",), "EventBridge delivering to a rule's targets")
