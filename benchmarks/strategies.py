"""Examples per second of from_contract(ProcessOrder) vs a hand-built strategy of the same shape,
and the time assert_idempotent takes for 100 examples on the reference payment processor.

Run: .venv/bin/python benchmarks/strategies.py [examples]
     .venv/bin/python benchmarks/strategies.py --hypothesis-jsonschema [examples]

hypothesis-jsonschema 0.23.1 breaks on hypothesis >= 6.170.10, so it never
joins the project's environment. With ``--hypothesis-jsonschema`` this script
builds a virtualenv of its own (benchmarks/.venv-hypothesis-jsonschema, once)
with hypothesis 6.170.9, hypothesis-jsonschema 0.23.1 and this checkout, and
re-runs itself there: from_contract, the hand-built strategy and
hypothesis-jsonschema's from_schema are then measured in one process, on
one hypothesis.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
import venv
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventproof.catalog import Catalog
from eventproof.catalog.avro_contract import parse_avro_files
from eventproof.strategies import avro_strategy, from_contract

ROOT = Path(__file__).resolve().parents[1]
COMPARISON_VENV = ROOT / "benchmarks" / ".venv-hypothesis-jsonschema"
COMPARISON_PINS = ["hypothesis==6.170.9", "hypothesis-jsonschema==0.23.1"]
INSIDE_FLAG = "--inside-comparison-venv"


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
    from eventproof_fakes import FakeAWS
    from reference_impl import command_bus

    def build(aws: Any) -> Any:
        command_bus.provision(FakeAWS.session(), with_functions=False)
        return command_bus.wire(FakeAWS.session(), clock=lambda: aws.clock.now()).process_payment

    system = System(build=build, name="payment-processor-under-test")
    logging.disable(logging.ERROR)  # the processor logs each rejected command with a traceback
    try:
        started = time.perf_counter()
        assert_idempotent(system, catalog["ProcessPayment"], via="sqs", max_examples=examples)
        return time.perf_counter() - started
    finally:
        logging.disable(logging.NOTSET)


def inline_refs(schema: Any, resolver: Any) -> Any:
    """``schema`` with every (non-recursive) ``$ref`` replaced by its target: one self-contained schema."""
    if isinstance(schema, list):
        return [inline_refs(item, resolver) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        resolved = resolver.lookup(schema["$ref"])
        return inline_refs(resolved.contents, resolved.resolver)
    return {key: inline_refs(value, resolver) for key, value in schema.items() if key != "x-eventproof"}


def compare_with_hypothesis_jsonschema(examples: int) -> None:
    """Measured inside the comparison virtualenv (see the module docstring)."""
    import hypothesis
    from hypothesis_jsonschema import from_schema

    contract = Catalog.load(ROOT / "contracts")["ProcessOrder"]
    bundled = inline_refs(contract.schema, contract.resolver())
    theirs = from_schema(bundled)
    invalid = 0

    @settings(max_examples=50, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(theirs)
    def check(message: Any) -> None:
        nonlocal invalid
        invalid += not contract.is_valid(message)

    check()
    figures = {
        "from_contract JSON Schema": per_second(from_contract(contract), examples),
        "hand-built fixed_dictionaries": per_second(hand_built(), examples),
        "hypothesis-jsonschema from_schema": per_second(theirs, examples),
    }
    print(f"on hypothesis {hypothesis.__version__} (hypothesis-jsonschema's last working version)")
    ours = figures["from_contract JSON Schema"]
    for name, rate in figures.items():
        print(f"{name:36s} {rate:9.0f} examples/s  (from_contract is {ours / rate:.2f}x its rate)")
    print(f"hypothesis-jsonschema examples the contract rejects: {invalid} of 50 "
          "(it ignores the uuid format and draws any string there)")


def run_in_comparison_venv(examples: int) -> int:
    python = COMPARISON_VENV / "bin" / "python"
    if not python.exists():
        print(f"building {COMPARISON_VENV.relative_to(ROOT)} (once) ...", flush=True)
        venv.create(COMPARISON_VENV, with_pip=True)
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, *COMPARISON_PINS, "jsonschema", "referencing", "fastavro",
                        "pyyaml", "boto3"], check=True)
        subprocess.run([*pip, "--no-deps", "-e", str(ROOT)], check=True)
    return subprocess.run([str(python), __file__, INSIDE_FLAG, str(examples)]).returncode


def main(argv: list[str]) -> int:
    if INSIDE_FLAG in argv:
        compare_with_hypothesis_jsonschema(int(argv[-1]))
        return 0
    if "--hypothesis-jsonschema" in argv:
        numbers = [a for a in argv if a.isdigit()]
        return run_in_comparison_venv(int(numbers[0]) if numbers else 500)
    examples = int(argv[0]) if argv else 500
    catalog = Catalog.load(ROOT / "contracts")
    avro_path = ROOT / "benchmarks" / "contracts" / "ProcessOrder.avsc"
    parsed, named = parse_avro_files({avro_path: json.loads(avro_path.read_text())})
    figures = {
        "from_contract JSON Schema": per_second(from_contract("ProcessOrder", catalog=catalog),
                                                examples),
        "from_contract Avro twin": per_second(avro_strategy(parsed[avro_path], named_types=named),
                                              examples),
        "hand-built fixed_dictionaries": per_second(hand_built(), examples),
    }
    base = figures["hand-built fixed_dictionaries"]
    for name, rate in figures.items():
        print(f"{name:32s} {rate:9.0f} examples/s  ({base / rate:.2f}x the hand-built time)")
    seconds = idempotency_seconds(catalog)
    print(f"assert_idempotent, 100 examples, reference payment processor via SQS: {seconds:.2f} s "
          f"({seconds * 10:.1f} ms an example, two runs each: 1 and k deliveries)")
    print("hypothesis-jsonschema: run again with --hypothesis-jsonschema (its own virtualenv)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
