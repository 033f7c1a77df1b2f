"""How long loading the catalog from an AsyncAPI document takes, against the folder it came from.

The reference catalog (``contracts/``) is exported as AsyncAPI 3.0 into a
temporary file; each round loads both, taking turns, and the printed figure
is the median of the per-round ratios (AsyncAPI load / folder load), with
the share spent checking the document against the official AsyncAPI schema.

    .venv/bin/python benchmarks/sources.py [--repeats 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from eventproof.catalog import Catalog
from eventproof.catalog.sources.asyncapi_spec import check_asyncapi
from eventproof.export import to_asyncapi

ROOT = Path(__file__).resolve().parent.parent


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    folder = ROOT / "contracts"
    document = to_asyncapi(Catalog.load(folder))
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "catalog.asyncapi.json"
        path.write_text(json.dumps(document))
        load_ratios, check_shares = [], []
        for _ in range(args.repeats):
            from_folder = timed(lambda: Catalog.load(folder))
            from_asyncapi = timed(lambda: Catalog.load(path))
            checking = timed(lambda: check_asyncapi(document, path))
            load_ratios.append(from_asyncapi / from_folder)
            check_shares.append(checking / from_asyncapi)
    print(f"{len(document['components']['messages'])} contracts: AsyncAPI load / folder load = "
          f"{statistics.median(load_ratios):.2f}x (median of {args.repeats}); "
          f"official-schema check = {100 * statistics.median(check_shares):.0f}% of the AsyncAPI load")


if __name__ == "__main__":
    main()
