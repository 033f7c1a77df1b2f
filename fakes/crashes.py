"""Crashes of running handlers: which invocation runs now, and how it dies.

The Lambda fake marks the running invocation (``FaultHook.running``); a crash
armed on ``Faults`` then kills it at its n-th AWS call with
``HandlerCrashed``, which looks to the rest of the fakes like a Lambda
timeout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from eventproof_fakes.errors import FakesError

if TYPE_CHECKING:
    from eventproof_fakes.fault_hook import FaultHook

CrashPoint = Literal["before", "after"]


class HandlerCrashed(FakesError):
    """A handler died at one of its AWS calls, the way a Lambda timeout kills it.

    ``when="before"``: the call never reached AWS; ``"after"``: it took
    effect, but the handler never saw the answer.
    """

    # The Lambda fake reports an exception carrying this flag as a timeout.
    lambda_timeout = True

    def __init__(
        self,
        *,
        function_name: str,
        request_id: str,
        call_number: int,
        service: str,
        operation: str,
        when: CrashPoint,
        timeout: float,
    ) -> None:
        super().__init__(f"Task timed out after {timeout:.2f} seconds")
        self.function_name = function_name
        self.request_id = request_id
        self.call_number = call_number
        self.service = service
        self.operation = operation
        self.when = when
        self.timeout = timeout

    def describe(self) -> str:
        effect = "before it took effect" if self.when == "before" else "after it took effect"
        return (
            f"{self.function_name} (request {self.request_id}) crashed at its AWS call "
            f"#{self.call_number}, {self.service}.{self.operation}, {effect}"
        )


@dataclass(frozen=True)
class CurrentInvocation:
    """The handler invocation running now; set by the Lambda fake around each attempt."""

    function_name: str
    request_id: str
    timeout: float = 3.0


class Running:
    """Marks an invocation as the running one for the length of a ``with`` block."""


    def __init__(self, faults: FaultHook, invocation: CurrentInvocation) -> None:
        self._faults = faults
        self._invocation = invocation
        self._previous: CurrentInvocation | None = None

    def __enter__(self) -> CurrentInvocation:
        self._previous = self._faults.current_invocation
        self._faults.current_invocation = self._invocation
        return self._invocation

    def __exit__(self, *exc_info: object) -> None:
        self._faults.current_invocation = self._previous
