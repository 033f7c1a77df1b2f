"""``eventproof_fakes.sqs.tombstones``: released receipt handles, compact, forgotten after 12-13 hours."""

from __future__ import annotations

from eventproof_fakes.sqs.tombstones import Tombstones


def test_released_handles_are_known_and_others_are_not() -> None:
    tombstones = Tombstones()
    tombstones.add([f"AQEB{n:048x}" for n in range(1000)], released_at=10.0)
    tombstones.add(["AQEB-late"], released_at=20.0)
    assert "AQEB" + f"{500:048x}" in tombstones
    assert "AQEB-late" in tombstones
    assert "AQEB-never-issued" not in tombstones
    assert len(tombstones) == 1001


def test_an_hour_of_releases_is_forgotten_after_its_latest_release() -> None:
    tombstones = Tombstones()
    tombstones.add(["first"], released_at=0.0)
    tombstones.add(["same-hour"], released_at=1800.0)
    tombstones.add(["next-hour"], released_at=3700.0)
    tombstones.expire(horizon=1799.0)
    assert "first" in tombstones  # its hour's latest release is 1800
    tombstones.expire(horizon=1800.0)
    assert "first" not in tombstones and "same-hour" not in tombstones
    assert "next-hour" in tombstones
    assert len(tombstones) == 1


def test_searching_after_more_releases_finds_every_handle() -> None:
    tombstones = Tombstones()
    tombstones.add(["a", "b"], released_at=0.0)
    assert "a" in tombstones  # sorts the hour's array
    tombstones.add(["c"], released_at=1.0)  # same hour: appended unsorted
    assert all(handle in tombstones for handle in "abc")
