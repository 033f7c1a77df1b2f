"""API Gateway's control-plane errors (both REST and HTTP APIs use these codes)."""

from __future__ import annotations

from eventproof_fakes.errors import AWSError


def not_found(message: str) -> AWSError:
    return AWSError("NotFoundException", message, status_code=404)


def bad_request(message: str) -> AWSError:
    return AWSError("BadRequestException", message, status_code=400)


def conflict(message: str) -> AWSError:
    return AWSError("ConflictException", message, status_code=409)


def not_modelled(service: str, what: str) -> AWSError:
    """A value of a parameter the fake accepts in general but does not model (a type, a mode)."""
    return AWSError(
        "BadRequestException",
        f"eventproof's fake {service} does not model {what}",
        status_code=400,
    )
