"""Where a message goes so that it reaches the function, and the function's own triggers.

A delivery (``eventproof.properties.deliveries``) either wires a trigger of
the bench's own (a queue, a rule, a topic subscription, a table stream, a
bucket notification, a Kinesis stream, an HTTP API route) or, with
``System(own_trigger=True)`` (a function deployed from a template), finds the
one the system's build created for the function, so batch size, visibility
timeout, redrive policy, filters and routes are the template's. Found
through the AWS APIs the fakes answer, as a deployment script would.

A delivery's ``find`` lists every trigger of its kind a deployed function
has (``Found``: a description and the ``Trigger``); ``own`` is the one of
them, and ``eventproof.project`` reads the same lists to infer a handler's
``via`` and to check a configured one against its template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from eventproof.errors import ConfigError

if TYPE_CHECKING:
    from eventproof.properties.system import Bench

__all__ = ["Deployed", "Found", "Trigger", "event_sources", "exactly_one", "the_one"]


@dataclass(frozen=True)
class Trigger:
    """Where to send a message so that it reaches the function through its trigger.

    ``channel`` is the fault-injection channel (``eventproof_fakes.faults``) on which
    extra copies are duplicates; None when AWS has no such channel and a
    copy is the client sending again (an API request retried). ``queue``,
    ``dead_letter_queue`` and ``table`` are the input's resources, kept out
    of the observed outcome (the dead-letter queue is shown as the input DLQ).
    """

    channel: str | None
    address: dict[str, Any] = field(default_factory=dict)
    queue: str | None = None
    dead_letter_queue: str | None = None
    table: str | None = None


@dataclass(frozen=True)
class Deployed:
    """A deployed function as the trigger finders see it: its name, its ARN, clients of its account."""

    function: str
    arn: str
    client: Callable[[str], Any]  # service name -> a boto3 client of the account

    @classmethod
    def of(cls, bench: Bench) -> Deployed:
        name = bench.system.name
        return cls(name, bench.aws.lambda_.function(name).arn, bench.client)


@dataclass(frozen=True)
class Found:
    """One trigger of a deployed function: what it is (for messages), and where to send."""

    description: str  # e.g. "SQS queue orders"
    trigger: Trigger


def event_sources(deployed: Bench | Deployed, service: str) -> list[str]:
    """The ARNs of the function's event source mappings reading from ``service``."""
    if not isinstance(deployed, Deployed):
        deployed = Deployed.of(deployed)
    mappings = deployed.client("lambda").list_event_source_mappings(FunctionName=deployed.function)
    return [m["EventSourceArn"] for m in mappings.get("EventSourceMappings", [])
            if m["EventSourceArn"].startswith(f"arn:aws:{service}:")]


def exactly_one(function: str, via: str, found: list[Any], what: str, hint: str) -> Any:
    """The one trigger found, or a ConfigError saying how many there were."""
    if len(found) != 1:
        raise ConfigError(f"{function}: via={via!r} needs exactly one {what}, found {len(found)}",
                          hint=hint)
    return found[0]


def the_one(function: str, via: str, found: list[Found], what: str, hint: str) -> Trigger:
    """The trigger of the one found, or a ConfigError naming how many there were, and which."""
    if len(found) != 1:
        listed = f" ({'; '.join(f.description for f in found)})" if found else ""
        raise ConfigError(f"{function}: via={via!r} needs exactly one {what}, found {len(found)}"
                          f"{listed}", hint=hint)
    return found[0].trigger
