"""The EventBridge fake (``FakeAWS().events``): buses, rules, targets, PutEvents."""

from eventproof_fakes import fault_channels
from eventproof_fakes.events.backend import EventBridge
from eventproof_fakes.events.model import Delivery

__all__ = ["Delivery", "EventBridge"]

fault_channels.register_channel("events", "<rule ARN>", ("duplicate",), "EventBridge delivering to a rule's targets")
