"""Examples per second of from_contract(ProcessOrder) vs a hand-built strategy of the same shape.

Run: .venv/bin/python benchmarks/strategies.py [examples]
hypothesis-jsonschema is not compared: it needs an old hypothesis in an
environment of its own, which this script does not build (it says so).
"""

from __future__ import annotations

import json
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
    print("hypothesis-jsonschema: skipped (needs an old hypothesis in its own venv; "
          "not installed beside the project)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
