"""Counterexamples told as a story: message, delivery schedule, fault, outcome diff."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from typing import Any

from eventproof.errors import EventproofError

__all__ = ["Counterexample", "PropertyFailed"]


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, default=str)


@dataclass(kw_only=True)
class Counterexample:
    """What happened in the failing run, in the order it happened."""

    property_name: str
    target: str
    messages: list[Any]
    schedule: list[str]
    fault: str
    expected: Any
    actual: Any
    expected_label: str = "expected"
    actual_label: str = "actual"
    notes: list[str] = field(default_factory=list)

    def diff(self) -> list[str]:
        return list(
            difflib.unified_diff(
                _pretty(self.expected).splitlines(),
                _pretty(self.actual).splitlines(),
                fromfile=self.expected_label,
                tofile=self.actual_label,
                lineterm="",
                n=2,
            )
        )

    def render(self) -> str:
        lines = [f"{self.property_name} does not hold for {self.target}.", "", "Message(s):"]
        for message in self.messages:
            lines.extend("  " + line for line in _pretty(message).splitlines())
        lines += ["", "Delivery schedule:"]
        lines += [f"  {index}. {step}" for index, step in enumerate(self.schedule, 1)]
        lines += ["", f"Fault: {self.fault}"]
        lines += ["", f"Outcome ({self.expected_label} vs {self.actual_label}):"]
        lines += ["  " + line for line in self.diff()] or ["  (no difference)"]
        lines += [f"Note: {note}" for note in self.notes]
        return "\n".join(lines)


class PropertyFailed(EventproofError, AssertionError):
    """A property does not hold; ``counterexample`` tells the (shrunk) story."""

    area = "property failed"

    def __init__(self, counterexample: Counterexample) -> None:
        super().__init__(counterexample.render())
        self.counterexample = counterexample

    def render(self) -> str:
        return f"{self.area}: {self.headline}"
