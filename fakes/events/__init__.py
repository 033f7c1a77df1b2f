"""The EventBridge fake (``FakeAWS().events``): buses, rules, targets, PutEvents."""

from fakes.events.backend import EventBridge
from fakes.events.model import Delivery
from fakes.fault_channels import register_channel

__all__ = ["Delivery", "EventBridge"]

register_channel("events", "<rule ARN>", ("duplicate",), "EventBridge delivering to a rule's targets")
