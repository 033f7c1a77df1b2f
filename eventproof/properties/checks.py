"""The properties: idempotency, crash survival, rejection of invalid input, order.

Each property draws messages from the contract with hypothesis, runs the
system on fresh fakes under the delivery it is about, and compares projected
outcomes. A failure raises ``PropertyFailed`` whose story hypothesis has
already shrunk: the smallest message, the fewest copies, the first crash point.
Examples per property follow the active hypothesis profile unless
``max_examples`` is given.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from eventproof.properties.outcome import Projection
from eventproof.properties.story import Counterexample, PropertyFailed
from eventproof.properties.system import INPUT_DLQ, Bench, Via, as_system
from eventproof.strategies import from_contract, invalid_from_contract
from eventproof.strategies.contracts import resolve_contract

__all__ = [
    "assert_idempotent",
    "assert_order_insensitive",
    "assert_rejects_invalid",
    "assert_survives_crashes",
]


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


def _range(value: int | tuple[int, int]) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else value


def assert_idempotent(
    handler_or_system: Any, contract: Any, *, deliveries: int | tuple[int, int] = (2, 5),
    via: Via = "sqs", projection: Projection | None = None, catalog: Any = None,
    setup: Callable[[Any], None] | None = None, max_examples: int | None = None,
    late_by: float = 0,
) -> None:
    """The outcome after k deliveries of a message equals the outcome after one.

    With ``late_by`` > 0 the second copy arrives up to that many seconds
    after the first (hypothesis picks, and shrinks, the delay): AWS keeps
    redelivering for a long time (SQS until the retention period ends,
    EventBridge for 24 h, async Lambda for 6 h), so a consumer's dedup
    memory must outlive the window its deliveries can span.
    Each copy of a message the handler rejects lands on the input DLQ; the
    DLQ is compared by distinct messages.
    """
    system = as_system(handler_or_system, setup)
    contract = resolve_contract(contract, catalog)
    projection = projection or Projection()
    low, high = _range(deliveries)
    delays = st.integers(0, int(late_by)) if late_by > 0 else st.none()

    @_settings(max_examples)
    @given(message=from_contract(contract), copies=st.integers(low, high), delay=delays)
    def idempotent(message: Any, copies: int, delay: int | None) -> None:
        once = bench.run([message], via=via)
        if delay is None:
            many = bench.run([message], via=via, copies=copies)
            schedule = [f"the message is delivered {copies} times via {via} (duplicate injected)"]
        else:
            # The first copy now, every further copy ``delay`` seconds later.
            many = bench.run([message], via=via, later=[delay] * (copies - 1))
            schedule = [f"the message is delivered via {via}",
                        f"{copies - 1} more {'copy arrives' if copies == 2 else 'copies arrive'} "
                        f"{delay} s later (redelivery)"]
        expected, actual = (_one_copy_per_rejection(projection.apply(r.outcome, message))
                            for r in (once, many))
        if expected != actual:
            raise PropertyFailed(Counterexample(
                "idempotency (k deliveries = one delivery)", system.name, [message],
                schedule, "none besides the duplicates", expected, actual,
                "after 1 delivery", f"after {copies} deliveries",
                notes=many.faults.splitlines(),
            ))

    with Bench(system) as bench:
        idempotent()


def _one_copy_per_rejection(outcome: dict[str, Any]) -> dict[str, Any]:
    """The input DLQ as a set: SQS redrives each copy of a poison message, the handler cannot merge them."""
    rejected = outcome.get("queues", {}).get(INPUT_DLQ)
    if rejected:
        distinct: list[Any] = []
        for message in rejected:
            if message not in distinct:
                distinct.append(message)
        outcome["queues"][INPUT_DLQ] = distinct
    return outcome


def assert_survives_crashes(
    handler_or_system: Any, contract: Any, *, via: Via = "sqs",
    when: tuple[Literal["before", "after"], ...] = ("after", "before"),
    projection: Projection | None = None, catalog: Any = None,
    setup: Callable[[Any], None] | None = None, max_examples: int | None = None,
) -> None:
    """For every n: a crash at the handler's n-th AWS call, then AWS's redelivery, ends as no crash."""
    system = as_system(handler_or_system, setup)
    contract = resolve_contract(contract, catalog)
    projection = projection or Projection()

    @_settings(max_examples)
    @given(message=from_contract(contract))
    def survives(message: Any) -> None:
        clean = bench.run([message], via=via)
        expected = projection.apply(clean.outcome, message)
        for number, call in enumerate(clean.calls, 1):
            for point in when:
                crashed = bench.run([message], via=via, crash=(number, point))
                actual = projection.apply(crashed.outcome, message)
                if actual != expected:
                    effect = "after it took effect" if point == "after" else "before it took effect"
                    raise PropertyFailed(Counterexample(
                        "crash survival (crash + redelivery = no crash)", system.name, [message],
                        [f"the message is delivered via {via}",
                         f"the handler's AWS calls: {', '.join(clean.calls)}",
                         f"it crashes at call #{number} ({call}) {effect}",
                         f"AWS redelivers ({'SQS visibility timeout' if via == 'sqs' else 'retry'})"],
                        f"crash at AWS call #{number} ({call}), {effect}",
                        expected, actual, "without a crash", f"crash at #{number} {point}",
                        notes=[*crashed.faults.splitlines(), *_lost(expected, actual)],
                    ))

    with Bench(system) as bench:
        survives()


def _lost(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    notes = []
    for section in ("events", "tables", "queues"):
        for place, entries in expected.get(section, {}).items():
            remaining = list(actual.get(section, {}).get(place, []))
            for entry in entries:
                if entry in remaining:
                    remaining.remove(entry)
                else:
                    notes.append(f"lost from {section} {place}: {entry}")
            notes.extend(f"extra in {section} {place}: {entry}" for entry in remaining)
    return notes


def assert_rejects_invalid(
    handler_or_system: Any, contract: Any, *, via: Via = "sqs",
    projection: Projection | None = None, catalog: Any = None,
    setup: Callable[[Any], None] | None = None, max_examples: int | None = None,
) -> None:
    """A message breaking the contract has no side effect and ends as a failure (DLQ / error)."""
    system = as_system(handler_or_system, setup)
    contract = resolve_contract(contract, catalog)
    projection = projection or Projection()

    @_settings(max_examples)
    @given(mutation=invalid_from_contract(contract))
    def rejects(mutation: Any) -> None:
        result = bench.run([mutation.message], via=via)
        outcome = projection.apply(result.outcome, mutation.message)
        rejected_to = outcome["queues"].pop(INPUT_DLQ, [])
        baseline = projection.apply(nothing.outcome, mutation.message)
        baseline["queues"].pop(INPUT_DLQ, None)
        failed = bool(rejected_to) if via == "sqs" else any(
            isinstance(r, dict) and ("errorType" in r or r.get("statusCode", 200) >= 400)
            for r in result.results)
        if outcome != baseline or not failed:
            raise PropertyFailed(Counterexample(
                "rejection of invalid input", system.name, [mutation.message],
                [f"one invalid message delivered via {via}: {mutation.describe()}"],
                "none", baseline, outcome, "no side effects", "actual",
                notes=[] if failed else ["the handler did not reject the message"],
            ))

    with Bench(system) as bench:
        nothing = bench.run([], via=via)
        rejects()


def assert_order_insensitive(
    handler_or_system: Any, contract: Any, *, messages: int | tuple[int, int] = (2, 4),
    via: Via = "sqs", projection: Projection | None = None, catalog: Any = None,
    setup: Callable[[Any], None] | None = None, max_examples: int | None = None,
) -> None:
    """Delivering the same messages in another order ends in the same outcome."""
    system = as_system(handler_or_system, setup)
    contract = resolve_contract(contract, catalog)
    projection = projection or Projection()
    low, high = _range(messages)

    @_settings(max_examples)
    @given(data=st.data(), batch=st.lists(from_contract(contract), min_size=low, max_size=high))
    def insensitive(data: st.DataObject, batch: list[Any]) -> None:
        order = data.draw(st.permutations(range(len(batch))), label="order")
        shuffled = [batch[i] for i in order]
        expected = projection.apply(bench.run(batch, via=via).outcome, batch)
        actual = projection.apply(bench.run(shuffled, via=via).outcome, batch)
        if expected != actual:
            raise PropertyFailed(Counterexample(
                "order insensitivity", system.name, batch,
                [f"first run: messages delivered in order {list(range(len(batch)))} via {via}",
                 f"second run: the same messages in order {order}"],
                "reordering (standard queues and async invokes promise no order)",
                expected, actual, "in order", f"order {order}",
            ))

    with Bench(system) as bench:
        insensitive()


