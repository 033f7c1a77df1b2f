"""Examples per second of from_contract(ProcessOrder) vs a hand-built strategy of the same shape,
and the time assert_idempotent takes for 100 examples on the reference payment processor.

Run: .venv/bin/python benchmarks/strategies.py [examples]
hypothesis-jsonschema is not compared: it needs an old hypothesis in an
environment of its own, which this script does not build (it says so).
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventproof.catalog import Catalog
from eventproof.catalog.avro_contract import parse_avro_files
from eventproof.strategies import compile_avro, from_contract

ROOT = Path(__file__).resolve().parents[1]


def hand_built() -> st.SearchStrategy[dict[str, Any]]:
    money = st.fixed_dictionaries({
        "amount": st.integers(1, 100_000_000).map(lambda cents: cents / 100),
        "currency": st.sampled_from(["EUR", "USD", "GBP"]),
    })
    line = st.fixed_dictionaries({
        "sku": st.from_regex(r"^[A-Z]{3}-[0-9]{4}$", fullmatch=True),
        "quantity": st.integers(1, 100),
        "unitPrice": money,
    })
    uuids = st.uuids(version=4).map(str)
    return st.fixed_dictionaries({"orderId": uuids, "userId": uuids, "amount": money,
                                  "items": st.lists(line, min_size=1, max_size=50)})


def per_second(strategy: st.SearchStrategy[Any], examples: int) -> float:
    @settings(max_examples=examples, database=None, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck), phases=["generate"])
    @given(strategy)
    def draw(message: Any) -> None:
        pass

    started = time.perf_counter()
    draw()
    return examples / (time.perf_counter() - started)


def idempotency_seconds(catalog: Catalog, examples: int = 100) -> float:
    """assert_idempotent via SQS on the command bus's payment processor (provisioned per run)."""
    from eventproof.properties import System, assert_idempotent
    from fakes.environment import shared_session
    from reference_impl import command_bus

    def build(aws: Any) -> Any:
        command_bus.provision(shared_session(), with_functions=False)
        return command_bus.wire(shared_session(), clock=lambda: aws.clock.now()).process_payment

    system = System(build=build, name="payment-processor-under-test")
    logging.disable(logging.ERROR)  # the processor logs each rejected command with a traceback
    try:
        started = time.perf_counter()
        assert_idempotent(system, catalog["ProcessPayment"], via="sqs", max_examples=examples)
        return time.perf_counter() - started
    finally:
        logging.disable(logging.NOTSET)


def main(argv: list[str]) -> int:
    examples = int(argv[0]) if argv else 500
    catalog = Catalog.load(ROOT / "contracts")
    avro_path = ROOT / "benchmarks" / "contracts" / "ProcessOrder.avsc"
    parsed, named = parse_avro_files({avro_path: json.loads(avro_path.read_text())})
    figures = {
        "from_contract JSON Schema": per_second(from_contract("ProcessOrder", catalog=catalog),
                                                examples),
        "from_contract Avro twin": per_second(compile_avro(parsed[avro_path], named_types=named),
                                              examples),
        "hand-built fixed_dictionaries": per_second(hand_built(), examples),
    }
    base = figures["hand-built fixed_dictionaries"]
    for name, rate in figures.items():
        print(f"{name:32s} {rate:9.0f} examples/s  ({base / rate:.2f}x the hand-built time)")
    seconds = idempotency_seconds(catalog)
    print(f"assert_idempotent, 100 examples, reference payment processor via SQS: {seconds:.2f} s "
          f"({seconds * 10:.1f} ms an example, two runs each: 1 and k deliveries)")
    print("hypothesis-jsonschema: skipped (needs an old hypothesis in its own venv; "
          "not installed beside the project)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
