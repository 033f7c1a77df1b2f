"""In-memory, deterministic fakes of AWS behind real botocore clients.

``FakeAWS`` is the entry point: one account and region with a virtual clock.
This package stands alone: it imports neither ``eventproof`` nor
``reference_impl``.
"""

from fakes.clock import VirtualClock
from fakes.environment import FakeAWS, StepLimitExceeded
from fakes.errors import AWSError

__all__ = ["AWSError", "FakeAWS", "StepLimitExceeded", "VirtualClock"]
