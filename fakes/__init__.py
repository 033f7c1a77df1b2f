"""In-memory, deterministic fakes of AWS behind real botocore clients.

``FakeAWS`` is the entry point: one account and region with a virtual clock.
``aws.faults`` arms faults (``Fault``) and observes calls (``ObservedCall``);
``aws.invocations(name)`` lists a function's handler calls (``Invocation``).
Errors: ``AWSError`` is what AWS would answer (a botocore ``ClientError`` to
the caller); ``FakesError`` is the root of the fakes' own exceptions.
This package stands alone: it imports neither ``eventproof`` nor
``reference_impl``.
"""

from eventproof_fakes.clock import VirtualClock
from eventproof_fakes.environment import FakeAWS
from eventproof_fakes.errors import (
    AWSError,
    FakesError,
    FaultError,
    PatchOrderError,
    StepLimitExceeded,
)
from eventproof_fakes.faults import Fault, Faults, HandlerCrashed, ObservedCall
from eventproof_fakes.lambda_.runtime import Invocation

__all__ = [
    "AWSError",
    "FakeAWS",
    "FakesError",
    "Fault",
    "FaultError",
    "Faults",
    "HandlerCrashed",
    "Invocation",
    "ObservedCall",
    "PatchOrderError",
    "StepLimitExceeded",
    "VirtualClock",
]
