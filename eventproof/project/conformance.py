"""Conformance of what a handler emits: every event it puts on a bus has a declared contract.

For contract-valid input drawn by hypothesis, each EventBridge event the
system published is checked against the handler's ``emits`` contracts: the
contract named like the event's ``detail-type``, else any of them. An event
no declared contract admits is a failure whose story shows the input and
the event. (Messages sent to queues and HTTP responses are not judged yet.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hypothesis import given

from eventproof.properties import Bench, Counterexample, PropertyFailed, System
from eventproof.properties.preamble import prepare
from eventproof.strategies import from_contract

if TYPE_CHECKING:
    from eventproof.catalog import Catalog, Contract
    from eventproof.project.config import HandlerConfig

__all__ = ["PROPERTY_NAME", "assert_emits_conform"]

PROPERTY_NAME = "conformance of emitted events"


def assert_emits_conform(system: System, handler: HandlerConfig, catalog: Catalog,
                         max_examples: int) -> None:
    check = prepare(system, handler.consumes, via=handler.via,  # type: ignore[arg-type]
                    projection=None, catalog=catalog, setup=None, max_examples=max_examples)
    emits = [catalog[name] for name in handler.emits]

    @check.settings
    @given(message=from_contract(check.contract))
    def conforms(message: Any) -> None:
        run = bench.run([message], via=check.delivery)
        for bus, events in run.outcome["events"].items():
            for event in events:
                problem = _problem(event, emits)
                if problem is None:
                    continue
                raise PropertyFailed(Counterexample(
                    property_name=PROPERTY_NAME, target=system.name, messages=[message],
                    schedule=[f"one contract-valid message delivered via {handler.via}",
                              f"an event is published on bus {bus}"],
                    fault="none", expected={"declared": list(handler.emits)},
                    actual={"event": event}, expected_label="a declared contract",
                    actual_label="published", notes=[problem]))

    with Bench(system) as bench:
        conforms()


def _problem(event: dict[str, Any], emits: list[Contract]) -> str | None:
    detail, detail_type = event.get("detail"), event.get("detail-type")
    named = [c for c in emits if c.name == detail_type]
    if named:
        violations = named[0].violations(detail)
        if not violations:
            return None
        return f"the event breaks its contract {named[0].name}: " + "; ".join(
            str(v) for v in violations[:3])
    if any(c.is_valid(detail) for c in emits):
        return None
    declared = ", ".join(c.name for c in emits) or "none"
    return (f"no declared contract admits this event (detail-type {detail_type!r}; the handler's "
            f"emits: {declared}): declare it in emits or stop publishing it")
