"""How long `eventproof compat --against` takes on a large catalog, against loading it.

Builds a throwaway git repository holding 200 contracts (100 JSON Schema,
100 Avro), each changed in every one of 10 commits (a new optional
property in an open JSON Schema, which FULL rejects, or a new Avro field
with a default, which every mode accepts), then times, in one process:

- the floor: loading the working tree's catalog once (what any command pays);
- the CI gate: ``compat --against HEAD~1`` with each contract's default mode;
- the transitive gate: ``--mode FULL_TRANSITIVE`` against all 10 versions.

Each is run ``--repeats`` times; the medians and their ratios to the floor
are printed. Goal: the gate under 10 s on a 2-core machine.

    python benchmarks/compat.py [--contracts 200] [--versions 10] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from eventproof.catalog import Catalog
from eventproof.compat import Mode
from eventproof.compat.gate import gate


def write_version(root: Path, contracts: int, version: int) -> None:
    for index in range(contracts):
        name = f"Event{index:03d}"
        meta = {"name": name, "kind": "event" if index % 2 else "command", "version": str(version),
                "summary": f"benchmark contract {index}", "consumers": ["consumer"]}
        if index % 2:
            properties = {"id": {"type": "string"}, "amount": {"type": "integer", "minimum": 0}}
            properties |= {f"extra{v}": {"type": "string"} for v in range(version)}
            schema = {"type": "object", "required": ["id"], "properties": properties,
                      "x-eventproof": meta}
            (root / f"{name}.schema.json").write_text(json.dumps(schema))
        else:
            fields = [{"name": "id", "type": "string"}, {"name": "amount", "type": "long"}]
            fields += [{"name": f"extra{v}", "type": "string", "default": ""} for v in range(version)]
            schema = {"type": "record", "name": name, "namespace": "bench", "fields": fields,
                      "x-eventproof": meta}
            (root / f"{name}.avsc").write_text(json.dumps(schema))


def build(folder: Path, contracts: int, versions: int) -> Path:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("config", "user.email", "bench@example.com")
    git("config", "user.name", "bench")
    catalog = folder / "contracts"
    catalog.mkdir()
    for version in range(versions):
        write_version(catalog, contracts, version)
        git("add", "-A")
        git("commit", "-q", "-m", f"version {version}")
    write_version(catalog, contracts, versions)  # the working tree: one more change
    return catalog


def timed(action: object, repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contracts", type=int, default=200)
    parser.add_argument("--versions", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--examples", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        catalog = build(Path(scratch), args.contracts, args.versions)
        floor = timed(lambda: Catalog.load(catalog), args.repeats)
        report = gate(catalog, "HEAD~1", examples=args.examples)
        # Half the changes break FULL (a property added to an open JSON Schema): real work either way.
        assert len(report.comparisons) == args.contracts, len(report.comparisons)
        ci = timed(lambda: gate(catalog, "HEAD~1", examples=args.examples), args.repeats)
        transitive = timed(lambda: gate(catalog, "HEAD~1", mode=Mode.FULL_TRANSITIVE,
                                        examples=args.examples), args.repeats)
    print(f"{args.contracts} contracts, {args.versions} versions each, {args.examples} generated "
          f"messages per version, median of {args.repeats}")
    print(f"  load the catalog (floor)       {floor:7.2f} s")
    print(f"  compat --against HEAD~1        {ci:7.2f} s  ({ci / floor:5.1f}x the floor)")
    print(f"  compat --mode FULL_TRANSITIVE  {transitive:7.2f} s  ({transitive / floor:5.1f}x the floor)")


if __name__ == "__main__":
    main()
