"""``eventproof_fakes.records.Records``: bounded, counted, and unbounded by default."""

from __future__ import annotations

import pytest

from eventproof_fakes.records import Records


def test_unbounded_keeps_everything() -> None:
    records: Records[int] = Records()
    for n in range(5):
        records.append(n)
    assert list(records) == [0, 1, 2, 3, 4]
    assert (records.total, records.dropped) == (5, 0)
    assert records == [0, 1, 2, 3, 4]


def test_bounded_keeps_the_newest_and_counts_the_oldest_dropped() -> None:
    records: Records[int] = Records(3)
    for n in range(10):
        records.append(n)
    assert list(records) == [7, 8, 9]
    assert (records.total, records.dropped) == (10, 7)
    assert records[0] == 7
    assert records[-2:] == [8, 9]


def test_limit_zero_keeps_nothing_and_counts_everything() -> None:
    records: Records[int] = Records(0)
    records.append(1)
    records.skip()
    assert list(records) == []
    assert (records.total, records.dropped) == (2, 2)


def test_since_reads_by_position_in_the_whole_run() -> None:
    records: Records[str] = Records(2)
    for letter in "abcde":
        records.append(letter)
    assert records.since(0) == ["d", "e"]  # a, b, c were dropped
    assert records.since(4) == ["e"]
    assert records.since(5) == []


def test_clear_is_not_a_drop() -> None:
    records: Records[int] = Records()
    records.append(1)
    records.clear()
    records.append(2)
    assert list(records) == [2]
    assert (records.total, records.dropped) == (2, 0)
    assert records.since(1) == [2]


@pytest.mark.parametrize("limit", [-1, 1.5, True, "3"])
def test_a_limit_that_is_not_a_count_is_refused(limit: object) -> None:
    with pytest.raises(ValueError, match="max_records"):
        Records(limit)  # type: ignore[arg-type]
