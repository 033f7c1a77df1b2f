"""``eventproof_fakes.locking``: the driver's seat and handing the lock over around a handler."""

from __future__ import annotations

import threading

import pytest

from eventproof_fakes.locking import DriverSeat, HandlerRuns


@pytest.mark.timeout(20)
def test_one_thread_drives_at_a_time_and_may_drive_again_inside() -> None:
    lock = threading.RLock()
    seat = DriverSeat(lock)
    order: list[str] = []
    with seat:
        with seat:  # the driver itself (a handler calling run_until_idle)
            order.append("inner")

        def other() -> None:
            with seat:
                order.append("other")

        thread = threading.Thread(target=other)
        thread.start()
        thread.join(0.2)
        assert thread.is_alive()  # waits for the seat
        order.append("outer done")
    thread.join(5)
    assert order == ["inner", "outer done", "other"]
    assert lock.acquire(blocking=False)  # nothing left held
    lock.release()


@pytest.mark.timeout(20)
def test_handing_over_releases_every_level_and_taking_back_restores_them() -> None:
    lock = threading.RLock()
    runs = HandlerRuns(lock)
    with lock, lock:
        state = runs.hand_over()
        got: list[bool] = []

        def take_and_give_back() -> None:
            got.append(lock.acquire(timeout=5))
            lock.release()

        thread = threading.Thread(target=take_and_give_back)
        thread.start()
        thread.join(5)
        assert got == [True]  # another thread could take the lock meanwhile
        runs.take_back(state)
        assert lock._is_owned()  # type: ignore[attr-defined]
    # Leaving both ``with`` levels succeeded: both were held again.
    assert lock.acquire(blocking=False)
    lock.release()
    assert runs.hand_over() is None  # not held: nothing to hand over


@pytest.mark.timeout(20)
def test_the_driver_waits_for_another_threads_handler() -> None:
    lock = threading.RLock()
    runs = HandlerRuns(lock)
    started, finish = threading.Event(), threading.Event()

    def handler_thread() -> None:
        with lock:
            state = runs.hand_over()
            started.set()
            finish.wait(5)
            runs.take_back(state)

    thread = threading.Thread(target=handler_thread)
    thread.start()
    assert started.wait(5)
    with lock:
        threading.Timer(0.05, finish.set).start()
        assert runs.wait_for_other_threads() is True
        assert runs.wait_for_other_threads() is False  # nobody else runs now
    thread.join(5)
