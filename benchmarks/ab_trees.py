"""A/B of two source trees on the fakes' benchmarks: what a change costs, in CPU time.

Runs ``benchmarks/fakes_vs_moto.py``'s fakes scenarios (the boto3 ones,
the internal path and Kinesis -> mapping -> handler) in one long-lived
worker process per tree, each scenario set up once; short batches of items
alternate between the two workers, so both see the same load from the rest
of the machine. Prints per scenario the median CPU time per item of each
tree and the median of the per-batch ratios B/A, and each tree's opcode
count per internal-path item (``opcodes_internal_path.py``), which does
not move with load.

    python benchmarks/ab_trees.py BASELINE_TREE CHANGED_TREE [--batches 30] [--batch 50]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

# A worker inside each tree: set up every scenario once, then answer "name count" lines
# with the CPU seconds of ``count`` more items of that scenario.
_WORKER = """
import importlib.util, json, os, sys, time
sys.path.insert(0, "benchmarks")
# This tree's fakes/ folder, under the name the tree imports it by (older trees: fakes),
# whatever copy of eventproof_fakes is installed.
with open(os.path.join("fakes", "__init__.py"), encoding="utf-8") as init:
    name = "eventproof_fakes" if "eventproof_fakes" in init.read() else "fakes"
spec = importlib.util.spec_from_file_location(
    name, os.path.join("fakes", "__init__.py"), submodule_search_locations=["fakes"])
module = importlib.util.module_from_spec(spec)
sys.modules[name] = module
spec.loader.exec_module(module)
import fakes_vs_moto as bench

def boto3_scenario(scenario):
    clients = bench.fakes_clients()
    state = bench.provision(clients)
    return lambda n: scenario(clients, state, n)

def internal():
    env = bench.FakeAWS(region=bench.REGION)
    env.lambda_.register("book-added", lambda event, context: None)
    table = env.dynamodb.create_table({
        "TableName": "Books", "KeySchema": [{"AttributeName": "name", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "name", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}})
    env.pipes.create_pipe({
        "Name": "books", "RoleArn": "arn:aws:iam::123456789012:role/pipes",
        "Source": table["TableDescription"]["LatestStreamArn"],
        "SourceParameters": {"DynamoDBStreamParameters": {"StartingPosition": "TRIM_HORIZON",
                                                          "BatchSize": 1},
            "FilterCriteria": {"Filters": [{"Pattern": json.dumps({"eventName": ["INSERT"]})}]}},
        "Target": env.lambda_.function("book-added").arn})
    def one(n):
        env.dynamodb.put_item({"TableName": "Books",
                               "Item": {"name": {"S": f"book-{n}"}, "n": {"N": str(n)}}})
        env.run_until_idle()
    return one

def kinesis():
    env = bench.FakeAWS(region=bench.REGION)
    env.lambda_.register("consumer", lambda event, context: None)
    client = env.client("kinesis")
    client.create_stream(StreamName="books", ShardCount=2)
    env.client("lambda").create_event_source_mapping(
        EventSourceArn=env.arn("kinesis", "stream/books"), FunctionName="consumer",
        StartingPosition="TRIM_HORIZON", BatchSize=1)
    def one(n):
        client.put_record(StreamName="books", Data=json.dumps({"book": n}).encode(),
                          PartitionKey=f"book-{n}")
        env.run_until_idle()
    return one

items = {name: boto3_scenario(s) for name, s in bench.SCENARIOS.items()}
items["internal_path"] = internal()
items["kinesis_to_handler"] = kinesis()
done = dict.fromkeys(items, 0)
for one in items.values():
    one(-1)
print(json.dumps(sorted(items)), flush=True)
for line in sys.stdin:
    name, count = line.split()
    one, first = items[name], done[name]
    started = time.process_time()
    for n in range(first, first + int(count)):
        one(n)
    print(time.process_time() - started, flush=True)
    done[name] = first + int(count)
"""


class Worker:
    def __init__(self, tree: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _WORKER],
            cwd=tree,
            env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.scenarios: list[str] = json.loads(self.process.stdout.readline())

    def run(self, name: str, count: int) -> float:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{name} {count}\n")
        self.process.stdin.flush()
        return float(self.process.stdout.readline())

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)


def opcodes(tree: Path) -> str:
    output = subprocess.run(
        [sys.executable, "benchmarks/opcodes_internal_path.py"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
        timeout=1800,
    ).stdout
    return output.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("baseline", type=Path)
    parser.add_argument("changed", type=Path)
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--batch", type=int, default=50, help="items per batch")
    args = parser.parse_args()
    a, b = Worker(args.baseline), Worker(args.changed)
    print(f"{'scenario':<20}{'A us/item':>11}{'B us/item':>11}{'B/A':>8}  "
          f"(medians of {args.batches} interleaved batches of {args.batch})")
    for name in a.scenarios:
        pairs = []
        for index in range(args.batches):
            if index % 2:
                second, first = b.run(name, args.batch), a.run(name, args.batch)
            else:
                first, second = a.run(name, args.batch), b.run(name, args.batch)
            pairs.append((first / args.batch, second / args.batch))
        median_a = statistics.median(p[0] for p in pairs) * 1e6
        median_b = statistics.median(p[1] for p in pairs) * 1e6
        ratio = statistics.median(p[1] / p[0] for p in pairs)
        print(f"{name:<20}{median_a:>11.1f}{median_b:>11.1f}{ratio:>8.3f}", flush=True)
    a.close()
    b.close()
    print(f"opcodes per internal-path item: A {opcodes(args.baseline)}; B {opcodes(args.changed)}")


if __name__ == "__main__":
    main()
