"""What every property starts from: arguments checked before hypothesis draws anything.

``prepare`` turns a property's arguments into a ``Check`` (the system, the
contract, the projection, how messages are delivered, hypothesis settings,
the vacuity threshold); a mistake is a ``ConfigError`` at once, not inside
the first example.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from hypothesis import HealthCheck, Phase, settings

from eventproof.errors import ConfigError
from eventproof.properties.deliveries import delivery_names
from eventproof.properties.exercise import DEFAULT_MIN_SUCCESS, Exercise
from eventproof.properties.outcome import Projection
from eventproof.properties.system import INPUT_SOURCE, Delivery, Handler, System, Via, as_system
from eventproof.strategies.contracts import resolve_contract

if TYPE_CHECKING:
    from eventproof.catalog import Catalog, Contract
    from eventproof_fakes import FakeAWS

__all__ = ["Check", "CrashPoint", "Setup", "check_count", "check_range", "prepare"]

Setup = Callable[["FakeAWS"], None]
CrashPoint = Literal["before", "after"]


@dataclass(frozen=True)
class Check:
    """What every property starts from, validated before hypothesis draws anything."""

    system: System
    contract: Contract
    projection: Projection
    via: Via
    delivery: Delivery
    settings: Callable[[Any], Any]
    min_success: float

    def exercise(self, property_name: str) -> Exercise:
        return Exercise(property_name, self.system.name)


def prepare(
    handler_or_system: Handler | System, contract: Contract | str | Any, *, via: Via,
    projection: Projection | None, catalog: Catalog | str | Any, setup: Setup | None,
    max_examples: int | None, source: str | None = None, detail_type: str | None = None,
    min_success: float = DEFAULT_MIN_SUCCESS,
) -> Check:
    if via not in delivery_names():
        raise ConfigError(f"unknown delivery via={via!r}",
                          hint=f"use one of {', '.join(delivery_names())}")
    if projection is not None and not isinstance(projection, Projection):
        raise ConfigError(f"projection must be a Projection, got {projection!r}")
    if max_examples is not None:
        check_count("max_examples", max_examples, minimum=1)
    if isinstance(min_success, bool) or not isinstance(min_success, int | float) or not (
            0 <= min_success <= 1):
        raise ConfigError(f"min_success must be a fraction between 0 and 1, got {min_success!r}")
    resolved = resolve_contract(contract, catalog)
    return Check(
        system=as_system(handler_or_system, setup),
        contract=resolved,
        projection=projection or Projection(),
        via=via,
        delivery=_delivery(via, resolved, source, detail_type),
        settings=_settings(max_examples),
        min_success=float(min_success),
    )


def _delivery(via: Via, contract: Any, source: str | None, detail_type: str | None) -> Delivery:
    """The channel, with the contract's trigger metadata and entity key.

    EventBridge's source and detail-type: given here, else the contract's
    ``x-eventproof.trigger.eventbridge``, else ``eventproof.property`` and the
    contract's name: handlers route on ``detail-type``, so a fixed one would
    leave most of them idle.
    """
    for name, value in (("source", source), ("detail_type", detail_type)):
        if value is not None and (not isinstance(value, str) or not value):
            raise ConfigError(f"{name} must be a non-empty string, got {value!r}")
    if via != "eventbridge" and (source is not None or detail_type is not None):
        raise ConfigError("source and detail_type describe EventBridge events: use them with "
                          "via='eventbridge'")
    metadata = getattr(contract, "metadata", None)
    trigger = getattr(metadata, "trigger", None) or {}
    declared = trigger.get("eventbridge", {})
    return Delivery(via,
                    source=source or declared.get("source") or INPUT_SOURCE,
                    detail_type=detail_type or declared.get("detail-type")
                    or getattr(contract, "name", "message"),
                    trigger=trigger, keys=tuple(getattr(metadata, "key", None) or ()))


def check_count(name: str, value: object, *, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigError(f"{name} must be an integer >= {minimum}, got {value!r}")


def check_range(name: str, value: int | tuple[int, int], *, minimum: int) -> tuple[int, int]:
    low, high = (value, value) if isinstance(value, int) else value
    check_count(f"{name} (lower bound)", low, minimum=minimum)
    check_count(f"{name} (upper bound)", high, minimum=low)
    return low, high


def _settings(max_examples: int | None) -> Callable[[Any], Any]:
    options: dict[str, Any] = {
        "deadline": None,
        "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
        # One counterexample is the answer; the explain phase would rerun every
        # failing example many more times only to annotate it.
        "report_multiple_bugs": False,
        "phases": (Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink),
    }
    if max_examples is not None:
        options["max_examples"] = max_examples
    return settings(**options)


