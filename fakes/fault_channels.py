"""Which faults each delivery channel can take: declared by the service that consults them.

A channel names one delivery path, ``"<prefix>:<name>"`` (``"sqs:orders"``).
A service registers each prefix it consults with the fault kinds it applies
there (``register_channel``); ``Faults`` refuses to arm any other
(kind, channel) pair, listing what can be armed. A fault no service
consults would be accepted and do nothing, which is worse than an error.

Registrations live in each service package's ``__init__``; since services
are imported lazily, ``registered_channels`` imports every modelled
service once before it answers.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from eventproof_fakes.errors import FaultError

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS

__all__ = [
    "CHANNEL_KINDS",
    "FUNCTION_KINDS",
    "FaultChannel",
    "check_channel",
    "check_function_name",
    "describe_channels",
    "register_channel",
    "registered_channels",
]

# Fault kinds armed on a delivery channel; throttle and crash are armed on a function name.
CHANNEL_KINDS = ("duplicate", "reorder", "delay")
FUNCTION_KINDS = ("throttle", "crash")

# (kind, name after the prefix, the environment) -> why the fakes cannot apply it there, or None.
Exclusion = Callable[[str, str, "FakeAWS"], str | None]


@dataclass(frozen=True)
class FaultChannel:
    """One kind of channel: its prefix, what follows it, the faults it takes and who applies them."""

    prefix: str
    name: str
    kinds: tuple[str, ...]
    consulted_by: str
    excludes: Exclusion | None = None

    def describe(self) -> str:
        return f"{self.prefix}:{self.name} ({', '.join(self.kinds)}; {self.consulted_by})"


_channels: dict[str, FaultChannel] = {}
_services_loaded = False


def register_channel(
    prefix: str,
    name: str,
    kinds: tuple[str, ...],
    consulted_by: str,
    *,
    excludes: Exclusion | None = None,
) -> FaultChannel:
    """Declare that a service consults ``kinds`` on channels ``"<prefix>:<name>"``.

    ``excludes(kind, name, env)`` refuses particular names (e.g. FIFO queues
    are never duplicated); it may look at the environment's resources. Registering a prefix twice with a different declaration is
    a programming error: two services would disagree on what it means.
    """
    unknown = [kind for kind in kinds if kind not in CHANNEL_KINDS]
    if unknown or not kinds:
        raise FaultError(
            f"channel {prefix}: kinds must be among {', '.join(CHANNEL_KINDS)}, got {kinds!r}"
        )
    if ":" in prefix or not prefix:
        raise FaultError(f"a channel prefix is a word without ':', got {prefix!r}")
    channel = FaultChannel(prefix, name, tuple(kinds), consulted_by, excludes)
    existing = _channels.get(prefix)
    if existing is not None and existing != channel:
        raise FaultError(f"channel prefix {prefix!r} is already registered: {existing.describe()}")
    _channels[prefix] = channel
    return channel


def registered_channels() -> list[FaultChannel]:
    """Every registered channel, after importing every modelled service once."""
    global _services_loaded
    if not _services_loaded:
        # Late import: the environment imports this module through eventproof_fakes.faults.
        from eventproof_fakes.environment import SERVICES

        for _, target in SERVICES.values():
            importlib.import_module(target.split(":")[0])
        _services_loaded = True
    return sorted(_channels.values(), key=lambda channel: channel.prefix)


def describe_channels(kind: str | None = None) -> str:
    """The channels (that take ``kind``, if given), one per line, for error messages and docs."""
    lines = [
        f"  {channel.describe()}"
        for channel in registered_channels()
        if kind is None or kind in channel.kinds
    ]
    return "\n".join(lines) or "  (none)"


def check_channel(kind: str, channel: str, env: FakeAWS) -> None:
    """Refuse a (kind, channel) pair no service applies, with what can be armed instead.

    The prefix may be a shell-style pattern (``"*:orders"``): it is accepted
    when at least one registered channel it covers takes ``kind``.
    """
    prefix, colon, name = channel.partition(":")
    if not colon or not name:
        raise FaultError(
            f"cannot arm {kind} on {channel!r}: a channel is '<prefix>:<name>'. "
            f"Channels that take {kind}:\n{describe_channels(kind)}"
        )
    covered = [c for c in registered_channels() if fnmatchcase(c.prefix, prefix)]
    takes = [c for c in covered if kind in c.kinds]
    if not takes:
        where = (
            f"no channel {prefix}: exists"
            if not covered
            else f"{', '.join(c.prefix + ':' for c in covered)} does not take {kind}"
        )
        raise FaultError(
            f"cannot arm {kind} on {channel!r}: {where}; the fakes would never apply it. "
            f"Channels that take {kind}:\n{describe_channels(kind)}"
        )
    for candidate in takes:
        if candidate.excludes is not None and (reason := candidate.excludes(kind, name, env)):
            raise FaultError(f"cannot arm {kind} on {channel!r}: {reason}")


def check_function_name(kind: str, function_name: str) -> None:
    """Throttles and crashes are armed on a Lambda function's name (or a pattern of names)."""
    if not isinstance(function_name, str) or not function_name or ":" in function_name:
        raise FaultError(
            f"cannot arm {kind} on {function_name!r}: {kind} takes a Lambda function name "
            "(or a shell-style pattern of names), not a channel or an ARN"
        )
