"""Long runs: what the fakes keep per message stays bounded (issue 12, "memory").

``benchmarks/memory.py`` runs a million messages; here 20,000 through the
same path (SQS -> event source mapping -> handler, batch 10) check that the
second 10,000 add almost nothing, and that the records a test reads are
bounded when asked, with what they dropped counted.
"""

from __future__ import annotations

import gc
import tracemalloc
from typing import Any

import pytest

from eventproof_fakes import FakeAWS

# What a message may still cost once handled and deleted: the 64-bit hash of its released
# receipt handle, kept 12 hours of virtual time so that deleting it again succeeds.
BYTES_PER_MESSAGE = 40


def _pipeline(aws: FakeAWS) -> tuple[Any, str]:
    aws.lambda_.register("sink", lambda event, context: None)
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName="load")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    aws.client("lambda").create_event_source_mapping(
        EventSourceArn=arn, FunctionName="sink", BatchSize=10
    )
    return sqs, url


def _send_and_drain(aws: FakeAWS, sqs: Any, url: str, first: int, count: int) -> None:
    for start in range(first, first + count, 10):
        sqs.send_message_batch(
            QueueUrl=url,
            Entries=[{"Id": str(k), "MessageBody": f'{{"n": {start + k}}}'} for k in range(10)],
        )
        if (start - first) % 1000 == 990:
            aws.run_until_idle(max_steps=100_000)
    aws.run_until_idle(max_steps=100_000)


def _traced_growth(aws: FakeAWS, sqs: Any, url: str, first: int, count: int) -> int:
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    _send_and_drain(aws, sqs, url, first, count)
    gc.collect()
    return tracemalloc.get_traced_memory()[0] - before


@pytest.mark.timeout(300)
def test_memory_per_message_stays_bounded_without_records() -> None:
    aws = FakeAWS(record=False)
    sqs, url = _pipeline(aws)
    _send_and_drain(aws, sqs, url, 0, 2_000)  # first-call work (imports, caches) out of the count
    tracemalloc.start()
    try:
        first = _traced_growth(aws, sqs, url, 2_000, 10_000)
        second = _traced_growth(aws, sqs, url, 12_000, 10_000)
    finally:
        tracemalloc.stop()
    assert aws.deliveries.dropped == aws.deliveries.total == 2_200
    assert aws.lambda_.invocations_dropped("sink") == 2_200
    assert first < BYTES_PER_MESSAGE * 10_000, f"{first / 10_000:.0f} bytes per message"
    assert second < BYTES_PER_MESSAGE * 10_000, f"{second / 10_000:.0f} bytes per message"


@pytest.mark.timeout(120)
def test_released_handles_are_forgotten_after_12_hours_of_virtual_time() -> None:
    aws = FakeAWS(record=False)
    sqs, url = _pipeline(aws)
    _send_and_drain(aws, sqs, url, 0, 2_000)
    queue = aws.sqs._queues["load"]
    assert len(queue.tombstones) > 1_000
    aws.clock.advance(13 * 3600)
    _send_and_drain(aws, sqs, url, 2_000, 10)
    assert len(queue.tombstones) < 100
    assert len(queue.by_handle) < 100


@pytest.mark.timeout(120)
def test_max_records_keeps_the_newest_and_counts_the_rest() -> None:
    aws = FakeAWS(max_records=50)
    sqs, url = _pipeline(aws)
    _send_and_drain(aws, sqs, url, 0, 1_000)
    invocations = aws.invocations("sink")
    assert len(invocations) == 50
    assert aws.lambda_.invocations_dropped("sink") == 50  # 100 batches of 10
    assert invocations[-1].event["Records"][-1]["body"] == '{"n": 999}'
    assert len(aws.deliveries) == 50
    assert aws.deliveries.dropped == aws.deliveries.total - 50 == 50
    assert aws.deliveries[-1].payload == invocations[-1].event
    # The log group shows the invocations still kept: 3 lines each (START, END, REPORT).
    assert len(aws.logs("sink")) == 3 * 50


@pytest.mark.timeout(60)
def test_record_false_still_calls_every_listener() -> None:
    aws = FakeAWS(record=False)
    seen: list[str] = []
    aws.deliveries.subscribe(lambda delivery: seen.append(delivery.kind))
    sqs, url = _pipeline(aws)
    _send_and_drain(aws, sqs, url, 0, 100)
    assert seen == ["lambda:sqs"] * 10
    assert len(aws.deliveries) == 0
    assert aws.deliveries.dropped == 10
    assert aws.invocations("sink") == []


def test_record_false_with_max_records_is_refused() -> None:
    with pytest.raises(ValueError, match="record=False"):
        FakeAWS(record=False, max_records=10)
    with pytest.raises(ValueError, match="max_records"):
        FakeAWS(max_records=-1)


@pytest.mark.timeout(60)
def test_lambda_log_streams_read_during_a_long_run_stay_bounded() -> None:
    aws = FakeAWS(max_records=5)
    sqs, url = _pipeline(aws)
    for round_ in range(4):
        _send_and_drain(aws, sqs, url, round_ * 100, 100)
        assert len(aws.logs("sink")) <= 3 * 5  # read as a test would, between rounds
    assert len(aws.logs("sink")) == 3 * 5
    # 40 invocations: each read wrote the 5 the Lambda fake still kept (20 in all), 5 stay.
    assert aws.lambda_.invocations_dropped("sink") == 35
    assert aws.logs.events_dropped == 3 * (20 - 5)
