"""How much of the handler a property exercised: a green verdict is worth what it ran.

A handler that fails on every message is "idempotent" (one failure equals
two) and "crash-safe" (nothing happens either way). So every property counts
the examples whose reference run reached a successful handling, and

- fails with ``VacuousProperty`` when none did: the property proved nothing;
- warns with ``VacuityWarning`` when fewer than ``min_success`` of them did,
  naming the most common way the handler failed;
- fails too when the handler took every message without error but no
  example changed anything observable (it ignored them: a detail-type it
  routes on, say).

Either is a finding about the contract (it admits what the handler rejects:
``assert_accepts_valid`` shows the message) or about the setup.
"""

from __future__ import annotations

import warnings
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from eventproof.errors import EventproofError
from eventproof.properties.system import Run

__all__ = ["DEFAULT_MIN_SUCCESS", "Exercise", "VacuityWarning", "VacuousProperty"]

DEFAULT_MIN_SUCCESS = 0.5


class VacuousProperty(EventproofError, AssertionError):
    """No example reached a successful handling: the property passed without testing anything."""

    area = "vacuous property"


class VacuityWarning(UserWarning):
    """Fewer examples than expected reached a successful handling."""


@dataclass
class Exercise:
    """Examples tried, those that reached a successful handling, and how the others failed."""

    property_name: str
    target: str
    examples: int = 0
    successful: int = 0
    effective: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    baseline: dict[str, Any] | None = None  # the outcome of delivering nothing

    def record(self, run: Run, messages: int) -> None:
        """Count one example by its reference run (the run the property compares against)."""
        self.examples += 1
        if self.baseline is None or run.outcome != self.baseline:
            self.effective += 1
        if run.handled_all(messages):
            self.successful += 1
        else:
            self.failures.update(run.failures or (["dead-lettered"] if run.rejected else
                                                  ["never invoked"]))

    def judge(self, min_success: float) -> None:
        """Raise ``VacuousProperty`` or warn ``VacuityWarning`` as the counts say."""
        if self.examples == 0:
            raise VacuousProperty(f"{self.property_name} of {self.target} ran no example")
        common = ", ".join(f"{name} ({count} times)" for name, count in self.failures.most_common(2))
        if self.successful == 0:
            raise VacuousProperty(
                f"{self.property_name} of {self.target} is vacuous: none of its {self.examples} "
                f"examples reached a successful handling (most common failure: {common}); "
                "it exercised only the failure path",
                hint="run assert_accepts_valid to see a message the handler rejects; tighten the "
                     "contract (x-eventproof.constraints) or fix the handler or its setup")
        if self.effective == 0 and min_success > 0:
            raise VacuousProperty(
                f"{self.property_name} of {self.target} is vacuous: the handler took every one of "
                f"its {self.examples} examples without error, and none changed anything the fakes "
                "observe (tables, queues, topics, buses)",
                hint="does it ignore these messages (a detail-type or attribute it routes on)? "
                     "give via's source/detail_type, or min_success=0 if it has no effect by design")
        if self.successful < min_success * self.examples:
            warnings.warn(VacuityWarning(
                f"{self.property_name} of {self.target}: only {self.successful} of {self.examples} "
                f"examples reached a successful handling (most common failure: {common})"),
                stacklevel=3)
