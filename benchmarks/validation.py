"""How fast eventproof says "valid" to a valid ProcessOrder, against a hand-written floor.

One run prints validations per second (median of several rounds) for:
eventproof with the JSON Schema contract, eventproof with its Avro twin
(benchmarks/contracts/ProcessOrder.avsc), a hand-written isinstance check
of the same fields (the floor), and ``jsonschema.validate`` called each
time; then each one's ratio to the floor (the median of the ratios
measured in each round, candidates taking turns). The goal: eventproof within 3x of
the floor for both formats.

    .venv/bin/python benchmarks/validation.py [--repeats 15] [--seconds 0.2]
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema

from eventproof import Catalog

ROOT = Path(__file__).resolve().parent.parent
CURRENCIES = frozenset({"EUR", "USD", "GBP"})
FLOOR = "hand-written isinstance (floor)"


def messages() -> list[dict[str, Any]]:
    """The valid examples of the contract, plus one larger order."""
    contract = Catalog.load(ROOT / "contracts")["ProcessOrder"]
    valid = [e.message for e in contract.examples if e.valid]
    line = {"sku": "BOK-0001", "quantity": 2, "unitPrice": {"amount": 12.5, "currency": "EUR"}}
    big = dict(valid[0], items=[dict(line, quantity=q) for q in range(1, 6)])
    return [*valid, big]


def _money(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and len(value) == 2
        and isinstance(value.get("amount"), int | float)
        and not isinstance(value["amount"], bool)
        and value.get("currency") in CURRENCIES
    )


def _line(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and len(value) == 3
        and isinstance(value.get("sku"), str)
        and isinstance(value.get("quantity"), int)
        and _money(value.get("unitPrice"))
    )


def hand_written(message: Any) -> bool:
    """The floor: the same fields and types checked by hand, no formats or patterns."""
    return (
        isinstance(message, dict)
        and len(message) == 4
        and isinstance(message.get("orderId"), str)
        and isinstance(message.get("userId"), str)
        and _money(message.get("amount"))
        and isinstance(message.get("items"), list)
        and all(_line(item) for item in message["items"])
    )


def rate(check: Callable[[Any], Any], batch: list[Any], seconds: float) -> float:
    """Validations per second over one timed stretch of about ``seconds``."""
    count = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for message in batch:
            check(message)
        count += len(batch)
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--seconds", type=float, default=0.2)
    options = parser.parse_args()

    batch = messages()
    json_contract = Catalog.load(ROOT / "contracts")["ProcessOrder"]
    avro_contract = Catalog.load(ROOT / "benchmarks" / "contracts")["ProcessOrder"]
    registry = json_contract.registry  # type: ignore[attr-defined]
    wrapper = {"$ref": json_contract.uri}  # type: ignore[attr-defined]

    def jsonschema_each_time(message: Any) -> None:
        jsonschema.validate(message, wrapper, registry=registry,
                            format_checker=jsonschema.FormatChecker())

    candidates: dict[str, Callable[[Any], Any]] = {
        FLOOR: hand_written,
        "eventproof, JSON Schema contract": json_contract.violations,
        "eventproof, Avro contract": avro_contract.violations,
        "jsonschema.validate each call": jsonschema_each_time,
    }
    for name, check in candidates.items():
        for message in batch:
            outcome = check(message)
            if outcome is False or (isinstance(outcome, list) and outcome):
                raise SystemExit(f"{name} rejects a valid message: {outcome}")

    # Round-robin, so a busy machine slows every candidate alike.
    rates: dict[str, list[float]] = {name: [] for name in candidates}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(options.repeats):
            for name, check in candidates.items():
                rates[name].append(rate(check, batch, options.seconds))
    floors = rates[FLOOR]
    print(f"valid ProcessOrder messages, median of {options.repeats} rounds of {options.seconds}s")
    print(f"{'validator':36} {'validations/s':>14} {'x floor':>9}")
    for name, values in rates.items():
        # Each round's ratio compares neighbours in time, so load that comes and
        # goes between rounds cancels out; the median ignores the odd bad round.
        ratio = statistics.median(floor / value for floor, value in zip(floors, values, strict=True))
        print(f"{name:36} {statistics.median(values):14,.0f} {ratio:9.2f}")


if __name__ == "__main__":
    main()
