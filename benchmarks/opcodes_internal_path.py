"""Python bytecode instructions per item on the internal path: a cost measure free of machine noise.

The shared machine's timings move by ±20 % between runs, more than a few
per cent of change; the number of opcodes the interpreter executes per
item (``sys.settrace`` with ``f_trace_opcodes``) does not move at all. C
code (json, time-machine's patching) is not counted.

    PYTHONPATH=. python benchmarks/opcodes_internal_path.py [--by-function]
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fakes_vs_moto


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--by-function", action="store_true")
    args = parser.parse_args()
    fakes_vs_moto.internal_path(50)  # imports and first-call work out of the count
    counts: collections.Counter[str] = collections.Counter()

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        frame.f_trace_opcodes = True
        if event == "opcode":
            code = frame.f_code
            counts[f"{Path(code.co_filename).name}:{code.co_name}"] += 1
        return tracer

    sys.settrace(tracer)
    fakes_vs_moto.internal_path(args.items)
    sys.settrace(None)
    print(f"opcodes per item: {sum(counts.values()) / args.items:.1f}")
    if args.by_function:
        for name, count in counts.most_common(25):
            print(f"{count / args.items:8.1f}  {name}")


if __name__ == "__main__":
    main()
