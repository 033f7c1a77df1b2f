"""The fakes' two families of errors.

``FakesError`` is the root of the fakes' own exceptions: a test or the
engine misused the fakes (an unappliable fault, a step limit reached, a
patch left open out of order) or a handler was crashed on purpose. These
reach the Python caller as they are.

``AWSError`` is what AWS would answer. A fake raises ``AWSError(code, message)``; the binding answers the botocore
call with the error response AWS would send, so the caller gets the same
``ClientError`` (and the same modelled exception class, e.g.
``client.exceptions.ConditionalCheckFailedException``) as on AWS.
"""

from __future__ import annotations

from typing import Any


class FakesError(Exception):
    """Root of the fakes' own (non-AWS) exceptions; never sent through botocore."""


class FaultError(FakesError, ValueError):
    """A fault the fakes cannot apply, or arguments no fault accepts."""


class PatchOrderError(FakesError, RuntimeError):
    """A boto3/botocore patch was closed while a patch opened after it is still open."""


class StepLimitExceeded(FakesError, RuntimeError):
    """``run_until_idle`` hit its step limit with work still pending."""


class AWSError(Exception):
    """An error AWS would answer; the binding turns it into a botocore ``ClientError``."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status_code: int = 400,
        extra: dict[str, Any] | None = None,
        error_fields: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status_code = status_code
        self.extra = extra or {}
        # Further keys of the ``Error`` block, e.g. SQS's ``QueryErrorCode``.
        self.error_fields = error_fields or {}

    def response(self) -> dict[str, Any]:
        """The parsed error response botocore would build from AWS's answer."""
        error = {"Code": self.code, "Message": self.message, **self.error_fields}
        return {"Error": error, **self.extra}


def validation_error(message: str) -> AWSError:
    return AWSError("ValidationException", message)


def resource_not_found(message: str) -> AWSError:
    return AWSError("ResourceNotFoundException", message)


class NotImplementedOperation(AWSError):
    """An operation the fakes do not model: failing loudly beats a silent wrong answer."""

    def __init__(self, service: str, operation: str) -> None:
        super().__init__(
            "InvalidAction",
            f"eventproof's fake {service} does not implement {operation}",
            status_code=400,
        )


class UnsupportedParameter(AWSError):
    """A request parameter the fake does not model: refused, never silently dropped."""

    def __init__(self, service: str, operation: str, parameter: str) -> None:
        super().__init__(
            "UnsupportedParameter",
            f"eventproof's fake {service} does not model the parameter {parameter} "
            f"of {operation}; remove it or run this test on another backend",
            status_code=400,
        )
        self.parameter = parameter


class UnsupportedService(AWSError):
    """A call to an AWS service the fakes do not model.

    It reaches the caller as a botocore ``ClientError`` (code
    ``UnsupportedService``), so a handler's ``except ClientError`` behaves as
    it would for any failed call, and the message lists what is modelled.
    """

    def __init__(self, service: str, supported: list[str]) -> None:
        super().__init__(
            "UnsupportedService",
            f"eventproof's fakes have no service {service!r}; "
            f"modelled services: {', '.join(supported)}",
            status_code=400,
        )
        self.service = service
