"""Acceptance of valid input: every message the contract admits is handled successfully.

The guard against vacuous properties, as a property of its own: when a
contract admits messages its consumer rejects (an Avro ``decimal`` that
admits zero for a payment that must be positive), hypothesis finds and
shrinks one, and the story says whether to tighten the contract
(``x-eventproof.constraints``) or fix the handler.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hypothesis import given

from eventproof.properties.outcome import Projection
from eventproof.properties.preamble import Setup, prepare
from eventproof.properties.story import Counterexample, PropertyFailed
from eventproof.properties.system import INPUT_DLQ, Handler, System, Via, open_bench
from eventproof.strategies import from_contract

if TYPE_CHECKING:
    from eventproof.catalog import Catalog, Contract

__all__ = ["assert_accepts_valid"]


def assert_accepts_valid(
    handler_or_system: Handler | System, contract: Contract | str, *, via: Via = "sqs",
    projection: Projection | None = None, catalog: Catalog | str | None = None,
    setup: Setup | None = None, max_examples: int | None = None,
    source: str | None = None, detail_type: str | None = None,
) -> None:
    """Each contract-valid message ends well: no error, no dead letter, no failure destination."""
    check = prepare(handler_or_system, contract, via=via, projection=projection,
                     catalog=catalog, setup=setup, max_examples=max_examples,
                     source=source, detail_type=detail_type)
    system = check.system

    @check.settings
    @given(message=from_contract(check.contract))
    def accepts(message: Any) -> None:
        run = bench.run([message], via=check.delivery)
        if run.handled_all(1) and not run.failures:
            return
        actual: dict[str, Any] = {"invocations failed": run.failures}
        if run.rejected:
            actual[f"dead-lettered to {INPUT_DLQ}"] = run.rejected
        if not run.failures and not run.rejected:
            actual["note"] = "the handler was never invoked"
        raise PropertyFailed(Counterexample(
            property_name="acceptance of valid input", target=system.name, messages=[message],
            schedule=[f"one contract-valid message delivered via {via}"],
            fault="none", expected={"invocations failed": []}, actual=actual,
            expected_label="handled successfully", actual_label="actual",
            notes=[f"{check.contract.name} admits this message and {system.name} does not handle "
                   "it: tighten the contract (x-eventproof.constraints) or fix the handler",
                   *[str(r) for r in run.results if isinstance(r, dict) and "errorMessage" in r][:1]],
        ))

    with open_bench(system) as bench:
        accepts()
