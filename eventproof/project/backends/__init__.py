"""Where ``eventproof verify`` runs a team's handlers: the fakes, moto, or an endpoint.

``make_backend(name, ...)`` checks the options (a ``ConfigError`` otherwise);
a ``Backend`` is opened around a verification and stands each handler up
as a ``System`` whose bench runs there. A check a backend cannot run is
reported "skipped" with the reason (``Backend.cannot_run``, ``Unsupported``).
"""

from __future__ import annotations

from eventproof.errors import ConfigError
from eventproof.project.backends.base import Backend, NeverIdle, Unsupported
from eventproof.project.backends.fakes import FakesBackend

__all__ = ["BACKENDS", "Backend", "FakesBackend", "NeverIdle", "Unsupported", "make_backend"]

BACKENDS = ("fakes", "moto", "endpoint")


def make_backend(name: str = "fakes", *, endpoint_url: str | None = None, region: str | None = None,
                 profile: str | None = None, stack: str | None = None) -> Backend:
    """The backend ``name``; endpoint options with another backend, or a missing URL, are usage errors."""
    if name not in BACKENDS:
        raise ConfigError(f"--backend {name}: unknown backend", hint=f"use one of {', '.join(BACKENDS)}")
    if name != "endpoint":
        given = [option for option, value in (("--endpoint-url", endpoint_url), ("--profile", profile),
                                              ("--stack", stack)) if value is not None]
        if given:
            raise ConfigError(f"{', '.join(given)} only apply to --backend endpoint (got --backend {name})")
    if name == "fakes":
        if region is not None:
            raise ConfigError("--region only applies to --backend moto or endpoint")
        return FakesBackend()
    if name == "moto":
        try:
            import moto  # noqa: F401
        except ImportError:
            raise ConfigError("--backend moto needs moto, which is not installed",
                              hint="pip install 'eventproof[moto]'") from None
        from eventproof.project.backends.moto import MotoBackend

        return MotoBackend(region or "us-east-1")
    if not endpoint_url:
        raise ConfigError("--backend endpoint needs --endpoint-url URL (e.g. http://127.0.0.1:4566)")
    if not stack:
        raise ConfigError("--backend endpoint needs --stack NAME: the deployed stack whose resources "
                          "the handlers use (read with cloudformation DescribeStackResources)")
    from eventproof.project.backends.endpoint import EndpointBackend

    return EndpointBackend(endpoint_url, stack=stack, region=region or "us-east-1", profile=profile)
