"""Memory of a long run: N messages through SQS -> Lambda (event source mapping, batch 10).

A producer sends through a boto3 client in SendMessageBatch calls of 10,
``--chunk`` messages at a time, then ``run_until_idle`` lets the mapping hand
them to a trivial handler in batches of 10 and delete them. The
environment keeps no records (``FakeAWS(record=False)``; ``--max-records``
keeps the newest N instead, ``--keep-all`` every one, as by default), so
what stays is what the fakes themselves hold. Prints the peak RSS of the process (``resource.getrusage``), the RSS
before and after the run (``/proc/self/statm``), and messages per second.

Goal (issue 12): 1,000,000 messages stay under 500 MB peak RSS.

    PYTHONPATH=. python benchmarks/memory.py [--messages 1000000] [--chunk 10000]
        [--max-records N]
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from typing import Any

from eventproof_fakes import FakeAWS

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    """The resident set size now, in MB (``/proc/self/statm``)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE / 1e6


def peak_rss_mb() -> float:
    """The peak resident set size of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def run(messages: int, chunk: int, max_records: int | None, keep_all: bool = False) -> dict[str, Any]:
    if keep_all:
        aws = FakeAWS()
    else:
        aws = FakeAWS(record=max_records is not None, max_records=max_records or None)
    handled = [0]

    def handler(event: dict[str, Any], context: Any) -> None:
        handled[0] += len(event["Records"])

    aws.lambda_.register("sink", handler)
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName="load")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    aws.client("lambda").create_event_source_mapping(
        EventSourceArn=arn, FunctionName="sink", BatchSize=10
    )
    body = '{"order": "o-%07d", "amount": 12.5, "currency": "EUR"}'
    before = rss_mb()
    started = time.perf_counter()
    sent = 0
    while sent < messages:
        for start in range(sent, min(sent + chunk, messages), 10):
            entries = [
                {"Id": str(k), "MessageBody": body % (start + k)}
                for k in range(min(10, messages - start))
            ]
            sqs.send_message_batch(QueueUrl=url, Entries=entries)
        sent = min(sent + chunk, messages)
        aws.run_until_idle(max_steps=10 * chunk)
    elapsed = time.perf_counter() - started
    assert handled[0] == messages, f"handled {handled[0]} of {messages}"
    return {
        "messages": messages,
        "seconds": elapsed,
        "per_second": messages / elapsed,
        "rss_before_mb": before,
        "rss_after_mb": rss_mb(),
        "peak_rss_mb": peak_rss_mb(),
        "deliveries_dropped": aws.deliveries.dropped,
        "invocations_kept": len(aws.invocations("sink")),
        "invocations_dropped": aws.lambda_.invocations_dropped("sink"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=10_000)
    parser.add_argument("--max-records", type=int, default=None)
    parser.add_argument("--keep-all", action="store_true", help="FakeAWS() as by default: every record")
    args = parser.parse_args()
    result = run(args.messages, args.chunk, args.max_records, args.keep_all)
    print(
        f"{result['messages']:,} messages SQS -> Lambda (batch 10) in {result['seconds']:.1f} s: "
        f"{result['per_second']:,.0f} messages/s"
    )
    print(
        f"RSS before {result['rss_before_mb']:.0f} MB, after {result['rss_after_mb']:.0f} MB, "
        f"peak {result['peak_rss_mb']:.0f} MB (goal: < 500 MB)"
    )
    print(
        f"records: deliveries dropped {result['deliveries_dropped']:,}, invocations kept "
        f"{result['invocations_kept']:,}, dropped {result['invocations_dropped']:,}"
    )


if __name__ == "__main__":
    main()
