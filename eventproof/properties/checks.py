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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from eventproof.errors import ConfigError
from eventproof.properties.outcome import Projection
from eventproof.properties.story import Counterexample, PropertyFailed
from eventproof.properties.system import INPUT_DLQ, Bench, Handler, System, Via, as_system
from eventproof.strategies import from_contract, invalid_from_contract
from eventproof.strategies.contracts import resolve_contract

if TYPE_CHECKING:
    from eventproof.catalog import Catalog, Contract
    from fakes import FakeAWS

__all__ = [
    "assert_idempotent",
    "assert_order_insensitive",
    "assert_rejects_invalid",
    "assert_survives_crashes",
]

Setup = Callable[["FakeAWS"], None]
CrashPoint = Literal["before", "after"]


@dataclass(frozen=True)
class _Check:
    """What every property starts from, validated before hypothesis draws anything."""

    system: System
    contract: Contract
    projection: Projection
    via: Via
    settings: Callable[[Any], Any]


def _prepare(
    handler_or_system: Handler | System, contract: Contract | str, *, via: Via,
    projection: Projection | None, catalog: Catalog | None, setup: Setup | None,
    max_examples: int | None,
) -> _Check:
    if via not in get_args(Via):
        raise ConfigError(f"unknown delivery via={via!r}",
                          hint=f"use one of {', '.join(get_args(Via))}")
    if projection is not None and not isinstance(projection, Projection):
        raise ConfigError(f"projection must be a Projection, got {projection!r}")
    if max_examples is not None:
        _check_count("max_examples", max_examples, minimum=1)
    return _Check(
        system=as_system(handler_or_system, setup),
        contract=resolve_contract(contract, catalog),
        projection=projection or Projection(),
        via=via,
        settings=_settings(max_examples),
    )


def _check_count(name: str, value: object, *, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigError(f"{name} must be an integer >= {minimum}, got {value!r}")


def _range(name: str, value: int | tuple[int, int], *, minimum: int) -> tuple[int, int]:
    low, high = (value, value) if isinstance(value, int) else value
    _check_count(f"{name} (lower bound)", low, minimum=minimum)
    _check_count(f"{name} (upper bound)", high, minimum=low)
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


def assert_idempotent(
    handler_or_system: Handler | System, contract: Contract | str, *,
    deliveries: int | tuple[int, int] = (2, 5), via: Via = "sqs",
    projection: Projection | None = None, catalog: Catalog | None = None,
    setup: Setup | None = None, max_examples: int | None = None, late_by: float = 0,
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
    check = _prepare(handler_or_system, contract, via=via, projection=projection,
                     catalog=catalog, setup=setup, max_examples=max_examples)
    low, high = _range("deliveries", deliveries, minimum=2)
    if isinstance(late_by, bool) or not isinstance(late_by, int | float) or late_by < 0:
        raise ConfigError(f"late_by must be a number of seconds >= 0, got {late_by!r}")
    system, projection_ = check.system, check.projection
    delays = st.integers(0, int(late_by)) if late_by > 0 else st.none()

    @check.settings
    @given(message=from_contract(check.contract), copies=st.integers(low, high), delay=delays)
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
        expected, actual = (_one_copy_per_rejection(projection_.apply(r.outcome, message))
                            for r in (once, many))
        if expected != actual:
            raise PropertyFailed(Counterexample(
                property_name="idempotency (k deliveries = one delivery)",
                target=system.name, messages=[message], schedule=schedule,
                fault="none besides the duplicates", expected=expected, actual=actual,
                expected_label="after 1 delivery", actual_label=f"after {copies} deliveries",
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
    handler_or_system: Handler | System, contract: Contract | str, *, via: Via = "sqs",
    when: tuple[CrashPoint, ...] = ("after", "before"),
    projection: Projection | None = None, catalog: Catalog | None = None,
    setup: Setup | None = None, max_examples: int | None = None,
) -> None:
    """For every n: a crash at the handler's n-th AWS call, then AWS's redelivery, ends as no crash."""
    check = _prepare(handler_or_system, contract, via=via, projection=projection,
                     catalog=catalog, setup=setup, max_examples=max_examples)
    if not when or any(point not in get_args(CrashPoint) for point in when):
        raise ConfigError(f"when must name crash points among 'before', 'after', got {when!r}")
    system, projection_ = check.system, check.projection

    @check.settings
    @given(message=from_contract(check.contract))
    def survives(message: Any) -> None:
        clean = bench.run([message], via=via)
        expected = projection_.apply(clean.outcome, message)
        for number, call in enumerate(clean.calls, 1):
            for point in when:
                crashed = bench.run([message], via=via, crash=(number, point))
                actual = projection_.apply(crashed.outcome, message)
                if actual != expected:
                    effect = "after it took effect" if point == "after" else "before it took effect"
                    raise PropertyFailed(Counterexample(
                        property_name="crash survival (crash + redelivery = no crash)",
                        target=system.name, messages=[message],
                        schedule=[
                            f"the message is delivered via {via}",
                            f"the handler's AWS calls: {', '.join(clean.calls)}",
                            f"it crashes at call #{number} ({call}) {effect}",
                            "AWS redelivers "
                            f"({'SQS visibility timeout' if via == 'sqs' else 'retry'})",
                        ],
                        fault=f"crash at AWS call #{number} ({call}), {effect}",
                        expected=expected, actual=actual, expected_label="without a crash",
                        actual_label=f"crash at #{number} {point}",
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
    handler_or_system: Handler | System, contract: Contract | str, *, via: Via = "sqs",
    projection: Projection | None = None, catalog: Catalog | None = None,
    setup: Setup | None = None, max_examples: int | None = None,
) -> None:
    """A message breaking the contract has no side effect and ends as a failure (DLQ / error)."""
    check = _prepare(handler_or_system, contract, via=via, projection=projection,
                     catalog=catalog, setup=setup, max_examples=max_examples)
    system, projection_ = check.system, check.projection

    @check.settings
    @given(mutation=invalid_from_contract(check.contract))
    def rejects(mutation: Any) -> None:
        result = bench.run([mutation.message], via=via)
        outcome = projection_.apply(result.outcome, mutation.message)
        rejected_to = outcome["queues"].pop(INPUT_DLQ, [])
        baseline = projection_.apply(nothing.outcome, mutation.message)
        baseline["queues"].pop(INPUT_DLQ, None)
        failed = bool(rejected_to) if via == "sqs" else any(
            isinstance(r, dict) and ("errorType" in r or r.get("statusCode", 200) >= 400)
            for r in result.results)
        if outcome != baseline or not failed:
            raise PropertyFailed(Counterexample(
                property_name="rejection of invalid input", target=system.name,
                messages=[mutation.message],
                schedule=[f"one invalid message delivered via {via}: {mutation.describe()}"],
                fault="none", expected=baseline, actual=outcome,
                expected_label="no side effects", actual_label="actual",
                notes=[] if failed else ["the handler did not reject the message"],
            ))

    with Bench(system) as bench:
        nothing = bench.run([], via=via)
        rejects()


def assert_order_insensitive(
    handler_or_system: Handler | System, contract: Contract | str, *,
    messages: int | tuple[int, int] = (2, 4), via: Via = "sqs",
    projection: Projection | None = None, catalog: Catalog | None = None,
    setup: Setup | None = None, max_examples: int | None = None,
) -> None:
    """Delivering the same messages in another order ends in the same outcome."""
    check = _prepare(handler_or_system, contract, via=via, projection=projection,
                     catalog=catalog, setup=setup, max_examples=max_examples)
    low, high = _range("messages", messages, minimum=2)
    system, projection_ = check.system, check.projection

    @check.settings
    @given(data=st.data(),
           batch=st.lists(from_contract(check.contract), min_size=low, max_size=high))
    def insensitive(data: st.DataObject, batch: list[Any]) -> None:
        order = data.draw(st.permutations(range(len(batch))), label="order")
        shuffled = [batch[i] for i in order]
        expected = projection_.apply(bench.run(batch, via=via).outcome, batch)
        actual = projection_.apply(bench.run(shuffled, via=via).outcome, batch)
        if expected != actual:
            raise PropertyFailed(Counterexample(
                property_name="order insensitivity", target=system.name, messages=batch,
                schedule=[
                    f"first run: messages delivered in order {list(range(len(batch)))} via {via}",
                    f"second run: the same messages in order {order}",
                ],
                fault="reordering (standard queues and async invokes promise no order)",
                expected=expected, actual=actual, expected_label="in order",
                actual_label=f"order {order}",
            ))

    with Bench(system) as bench:
        insensitive()


