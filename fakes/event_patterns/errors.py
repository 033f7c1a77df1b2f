"""The one error a pattern can raise, worded as the service that rejects it."""

from __future__ import annotations

from eventproof_fakes.errors import FakesError

DIALECTS = ("eventbridge", "sns")

# What each service puts before the engine's reason. SNS adds its own outer
# prefix ("Invalid parameter: Attributes Reason: ") that depends on the API
# call, so the SNS fake adds that part.
_PREFIX = {
    "eventbridge": "Event pattern is not valid. Reason: ",
    "sns": "FilterPolicy: ",
}


class PatternProblem(Exception):
    """Raised inside the compiler with the bare reason; ``compile_pattern`` words it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class InvalidPatternError(FakesError, ValueError):
    """A pattern the service would reject; ``message`` is AWS's text.

    ``reason`` is the part after AWS's prefix, e.g. ``Empty arrays are not
    allowed``. AWS's messages from Jackson also carry ``at [Source: ...;
    line: 1, column: N]``; that location is not reproduced.
    """

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason if reason is not None else message

    @classmethod
    def for_dialect(cls, reason: str, dialect: str) -> InvalidPatternError:
        return cls(_PREFIX[dialect] + reason, reason=reason)
