"""The properties: idempotency, crash survival, rejection of invalid input, order.

Each property draws messages from the contract with hypothesis, runs the
system on fresh fakes under the delivery it is about (``via``: see
``eventproof.properties.deliveries``, which says per channel what a
duplicate, a retry and a rejection are), and compares projected outcomes. A failure raises ``PropertyFailed`` whose story hypothesis has
already shrunk: the smallest message, the fewest copies, the first crash point.
Examples per property follow the active hypothesis profile unless
``max_examples`` is given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, get_args

from hypothesis import given, reject
from hypothesis import strategies as st

from eventproof.errors import ConfigError
from eventproof.properties.deliveries import Undeliverable
from eventproof.properties.exercise import DEFAULT_MIN_SUCCESS
from eventproof.properties.keys import batch_of, collide, key_groups, reordering
from eventproof.properties.outcome import Projection
from eventproof.properties.preamble import CrashPoint, Setup, check_range, prepare
from eventproof.properties.story import Counterexample, PropertyFailed
from eventproof.properties.system import (
    INPUT_DLQ,
    Handler,
    System,
    Via,
    open_bench,
)
from eventproof.strategies import from_contract, invalid_from_contract

if TYPE_CHECKING:
    from eventproof.catalog import Catalog, Contract

__all__ = [
    "assert_idempotent",
    "assert_order_insensitive",
    "assert_rejects_invalid",
    "assert_survives_crashes",
]

def assert_idempotent(
    handler_or_system: Handler | System, contract: Contract | str, *,
    deliveries: int | tuple[int, int] = (2, 5), via: Via = "sqs",
    projection: Projection | None = None, catalog: Catalog | str | None = None,
    setup: Setup | None = None, max_examples: int | None = None, late_by: float = 0,
    source: str | None = None, detail_type: str | None = None,
    min_success: float = DEFAULT_MIN_SUCCESS,
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
    check = prepare(handler_or_system, contract, via=via, projection=projection,
                     catalog=catalog, setup=setup, max_examples=max_examples,
                     source=source, detail_type=detail_type, min_success=min_success)
    low, high = check_range("deliveries", deliveries, minimum=2)
    if isinstance(late_by, bool) or not isinstance(late_by, int | float) or late_by < 0:
        raise ConfigError(f"late_by must be a number of seconds >= 0, got {late_by!r}")
    if late_by > 0 and not check.delivery.kind.later_copies:
        raise ConfigError(f"late_by does not apply to via={via!r}: a copy sent later does not "
                          f"reach the handler again ({check.delivery.kind.summary})")
    system, projection_ = check.system, check.projection
    delays = st.integers(0, int(late_by)) if late_by > 0 else st.none()

    @check.settings
    @given(message=from_contract(check.contract), copies=st.integers(low, high), delay=delays)
    def idempotent(message: Any, copies: int, delay: int | None) -> None:
        once = bench.run([message], via=check.delivery)
        exercised.record(once, 1)
        if delay is None:
            many = bench.run([message], via=check.delivery, copies=copies)
            schedule = [f"the message is delivered {copies} times via {via} "
                        f"({check.delivery.kind.duplicate})"]
        else:
            # The first copy now, every further copy ``delay`` seconds later.
            many = bench.run([message], via=check.delivery, later=[delay] * (copies - 1))
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

    exercised = check.exercise("idempotency")
    with open_bench(system) as bench:
        exercised.baseline = bench.run([], via=check.delivery).outcome
        idempotent()
    exercised.judge(check.min_success)


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
    projection: Projection | None = None, catalog: Catalog | str | None = None,
    setup: Setup | None = None, max_examples: int | None = None,
    source: str | None = None, detail_type: str | None = None,
    min_success: float = DEFAULT_MIN_SUCCESS,
) -> None:
    """For every n: a crash at the handler's n-th AWS call, then AWS's redelivery, ends as no crash.

    The redelivery is the channel's: SQS's visibility timeout, Lambda's
    asynchronous retries (``async``, ``sns``, ``s3``), a stream mapping's
    retries (``stream``, ``kinesis``), EventBridge's, or for ``api`` the
    client retrying the request the gateway answered with a 5xx.
    """
    check = prepare(handler_or_system, contract, via=via, projection=projection,
                     catalog=catalog, setup=setup, max_examples=max_examples,
                     source=source, detail_type=detail_type, min_success=min_success)
    if not when or any(point not in get_args(CrashPoint) for point in when):
        raise ConfigError(f"when must name crash points among 'before', 'after', got {when!r}")
    system, projection_ = check.system, check.projection

    @check.settings
    @given(message=from_contract(check.contract))
    def survives(message: Any) -> None:
        clean = bench.run([message], via=check.delivery)
        exercised.record(clean, 1)
        expected = projection_.apply(clean.outcome, message)
        for number, call in enumerate(clean.calls, 1):
            for point in when:
                crashed = bench.run([message], via=check.delivery, crash=(number, point))
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
                            f"AWS tries again ({check.delivery.kind.redelivery})",
                        ],
                        fault=f"crash at AWS call #{number} ({call}), {effect}",
                        expected=expected, actual=actual, expected_label="without a crash",
                        actual_label=f"crash at #{number} {point}",
                        notes=[*crashed.faults.splitlines(), *_lost(expected, actual)],
                    ))

    exercised = check.exercise("crash survival")
    with open_bench(system) as bench:
        exercised.baseline = bench.run([], via=check.delivery).outcome
        survives()
    exercised.judge(check.min_success)


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
    projection: Projection | None = None, catalog: Catalog | str | None = None,
    setup: Setup | None = None, max_examples: int | None = None,
    source: str | None = None, detail_type: str | None = None,
) -> None:
    """A message breaking the contract has no side effect and ends as a failure.

    The failure the delivery expects: the dead-letter queue for ``sqs``, a
    4xx answer for ``api`` (a 5xx is a server error, not a rejection), an
    error otherwise. A message the channel cannot carry at all (``stream``:
    an item without the table's key) is skipped, not counted.
    """
    check = prepare(handler_or_system, contract, via=via, projection=projection,
                     catalog=catalog, setup=setup, max_examples=max_examples,
                     source=source, detail_type=detail_type)
    system, projection_, kind = check.system, check.projection, check.delivery.kind

    @check.settings
    @given(mutation=invalid_from_contract(check.contract))
    def rejects(mutation: Any) -> None:
        try:
            result = bench.run([mutation.message], via=check.delivery)
        except Undeliverable:
            # The channel cannot carry it (an item without the table's key): no handler sees it.
            reject()
        outcome = projection_.apply(result.outcome, mutation.message)
        outcome["queues"].pop(INPUT_DLQ, None)  # where the rejection goes, not a side effect
        baseline = projection_.apply(nothing.outcome, mutation.message)
        baseline["queues"].pop(INPUT_DLQ, None)
        failed = kind.rejected(result)
        if outcome != baseline or not failed:
            answers = f" (answered {', '.join(map(str, result.answers))})" if result.answers else ""
            raise PropertyFailed(Counterexample(
                property_name="rejection of invalid input", target=system.name,
                messages=[mutation.message],
                schedule=[f"one invalid message delivered via {via}: {mutation.describe()}"],
                fault="none", expected=baseline, actual=outcome,
                expected_label="no side effects", actual_label="actual",
                notes=[] if failed else [f"the handler did not reject the message: expected "
                                         f"{kind.rejection}{answers}"],
            ))

    with open_bench(system) as bench:
        nothing = bench.run([], via=check.delivery)
        rejects()


def assert_order_insensitive(
    handler_or_system: Handler | System, contract: Contract | str, *,
    messages: int | tuple[int, int] = (2, 4), via: Via = "sqs",
    projection: Projection | None = None, catalog: Catalog | str | None = None,
    setup: Setup | None = None, max_examples: int | None = None,
    source: str | None = None, detail_type: str | None = None,
    min_success: float = DEFAULT_MIN_SUCCESS,
) -> None:
    """Delivering the same messages in another order ends in the same outcome.

    On ``stream`` and ``kinesis`` the other order is the producers': a shard
    keeps the order it was written in.
    """
    check = prepare(handler_or_system, contract, via=via, projection=projection,
                     catalog=catalog, setup=setup, max_examples=max_examples,
                     source=source, detail_type=detail_type, min_success=min_success)
    low, high = check_range("messages", messages, minimum=2)
    system, projection_ = check.system, check.projection

    @check.settings
    @given(data=st.data(),
           drawn=batch_of(from_contract(check.contract), min_size=low, max_size=high))
    def insensitive(data: st.DataObject, drawn: list[Any]) -> None:
        batch = collide(data, drawn, key_groups(check.contract, drawn[0][0]))
        order = reordering(drawn)
        shuffled = [batch[i] for i in order]
        in_order = bench.run(batch, via=check.delivery)
        exercised.record(in_order, len(batch))
        expected = projection_.apply(in_order.outcome, batch)
        actual = projection_.apply(bench.run(shuffled, via=check.delivery).outcome, batch)
        if expected != actual:
            raise PropertyFailed(Counterexample(
                property_name="order insensitivity", target=system.name, messages=batch,
                schedule=[
                    f"first run: messages delivered in order {list(range(len(batch)))} via {via}",
                    f"second run: the same messages in order {order}",
                ],
                fault=check.delivery.kind.reordering,
                expected=expected, actual=actual, expected_label="in order",
                actual_label=f"order {order}",
            ))

    exercised = check.exercise("order insensitivity")
    with open_bench(system) as bench:
        exercised.baseline = bench.run([], via=check.delivery).outcome
        insensitive()
    exercised.judge(check.min_success)


