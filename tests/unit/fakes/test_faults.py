from __future__ import annotations

import pytest

from fakes import FakeAWS
from fakes.faults import CurrentInvocation, HandlerCrashed


def make_env(seed: int = 0) -> FakeAWS:
    return FakeAWS(seed=seed)


# --- nothing armed ---------------------------------------------------------------
def test_with_nothing_armed_every_delivery_is_made_once_in_order_without_delay() -> None:
    faults = make_env().faults
    assert faults.copies("sqs:orders") == 1
    assert faults.reorder("sqs:orders", [1, 2, 3]) == [1, 2, 3]
    assert faults.delivery_delay("sqs:orders") == 0
    assert faults.throttle("payments") is False
    assert faults.injected == []


# --- duplicate -------------------------------------------------------------------
def test_duplicate_makes_each_delivery_on_its_channel_k_times_and_records_it() -> None:
    env = make_env()
    env.faults.duplicate("sqs:orders", times=3)
    assert env.faults.copies("sqs:orders") == 3
    assert env.faults.copies("sqs:orders") == 3
    assert env.faults.copies("sqs:other") == 1
    assert [f.kind for f in env.faults.injected] == ["duplicate", "duplicate"]
    assert "sqs:orders" in env.faults.injected[0].describe()
    assert "3 times" in env.faults.injected[0].describe()


def test_duplicate_limited_to_n_deliveries_stops_after_them() -> None:
    faults = make_env().faults
    faults.duplicate("lambda:notify", times=2, deliveries=1)
    assert [faults.copies("lambda:notify") for _ in range(3)] == [2, 1, 1]


def test_a_channel_pattern_matches_every_channel_it_covers() -> None:
    faults = make_env().faults
    faults.duplicate("sqs:*", times=2)
    assert faults.copies("sqs:a") == 2
    assert faults.copies("sqs:b") == 2
    assert faults.copies("stream:Orders") == 1


def test_duplicate_rejects_fewer_than_one_copy() -> None:
    with pytest.raises(ValueError, match="times must be an integer >= 1"):
        make_env().faults.duplicate("sqs:orders", times=0)


# --- reorder ---------------------------------------------------------------------
def test_reorder_shuffles_a_standard_queue_batch_without_losing_or_adding_any() -> None:
    faults = make_env().faults
    faults.reorder("sqs:orders")
    items = list(range(20))
    shuffled = faults.reorder("sqs:orders", items)
    assert sorted(shuffled) == items
    assert shuffled != items
    assert faults.injected[-1].kind == "reorder"


def test_reorder_is_reproducible_from_the_seed() -> None:
    def run(seed: int) -> list[int]:
        faults = make_env(seed).faults
        faults.reorder("lambda:notify")
        return faults.reorder("lambda:notify", list(range(10)))

    assert run(7) == run(7)
    assert run(7) != run(8)


def test_arming_faults_does_not_change_the_ids_a_run_would_get() -> None:
    plain, faulty = make_env(3), make_env(3)
    faulty.faults.reorder("sqs:q")
    faulty.faults.reorder("sqs:q", list(range(10)))
    assert plain.ids.uuid() == faulty.ids.uuid()


def test_reordering_a_fifo_queue_or_a_stream_needs_force() -> None:
    faults = make_env().faults
    with pytest.raises(ValueError, match="guarantees order"):
        faults.reorder("sqs:orders.fifo")
    with pytest.raises(ValueError, match="guarantees order"):
        faults.reorder("stream:Orders")
    faults.reorder("stream:Orders", force=True)
    assert sorted(faults.reorder("stream:Orders", list(range(10)))) == list(range(10))
    assert faults.reorder("stream:Orders", list(range(10))) != list(range(10))


def test_a_pattern_rule_never_reorders_an_ordered_channel_it_happens_to_cover() -> None:
    faults = make_env().faults
    faults.reorder("sqs:*")
    assert faults.reorder("sqs:orders.fifo", list(range(10))) == list(range(10))


def test_a_fifo_queue_is_shuffled_only_across_message_groups() -> None:
    faults = make_env().faults
    faults.reorder("sqs:*")
    batch = [("a", 1), ("a", 2), ("a", 3), ("b", 1), ("b", 2), ("b", 3), ("c", 1)]
    seen_orders = set()
    for _ in range(10):
        merged = faults.reorder("sqs:pay.fifo", batch, group_key=lambda item: item[0])
        assert sorted(merged) == sorted(batch)
        for group in "abc":
            assert [n for g, n in merged if g == group] == sorted(n for g, n in batch if g == group)
        seen_orders.add(tuple(merged))
    assert len(seen_orders) > 1


# --- delay -----------------------------------------------------------------------
def test_delay_holds_back_deliveries_by_the_armed_seconds() -> None:
    faults = make_env().faults
    faults.delay("events:arn:aws:events:us-east-1:123456789012:rule/r", 30, deliveries=1)
    assert faults.delivery_delay("events:arn:aws:events:us-east-1:123456789012:rule/r") == 30
    assert faults.delivery_delay("events:arn:aws:events:us-east-1:123456789012:rule/r") == 0


# --- throttle --------------------------------------------------------------------
def test_throttle_answers_true_for_exactly_the_armed_number_of_attempts() -> None:
    faults = make_env().faults
    faults.throttle("payments", times=2)
    assert [faults.throttle("payments") for _ in range(3)] == [True, True, False]
    assert faults.throttle("other") is False
    assert [f.kind for f in faults.injected] == ["throttle", "throttle"]


# --- crash -----------------------------------------------------------------------
def call(faults: object, n: int) -> list[str]:
    """Simulate a handler making n AWS calls; return the ones that took effect."""
    from fakes.faults import Faults

    assert isinstance(faults, Faults)
    effects = []
    for i in range(1, n + 1):
        faults.before_call("dynamodb", "PutItem", {"n": i})
        effects.append(f"call {i}")
        faults.after_call("dynamodb", "PutItem", {"n": i})
    return effects


def test_a_crash_before_the_nth_call_stops_the_handler_before_that_call_takes_effect() -> None:
    faults = make_env().faults
    faults.crash("writer", at_call=2, when="before")
    effects: list[str] = []
    with faults.running("writer", "req-1"), pytest.raises(HandlerCrashed) as crashed:
        for i in (1, 2, 3):
            faults.before_call("dynamodb", "PutItem", {})
            effects.append(f"call {i}")
            faults.after_call("dynamodb", "PutItem", {})
    assert effects == ["call 1"]
    assert str(crashed.value) == "Task timed out after 3.00 seconds"
    assert (crashed.value.call_number, crashed.value.when) == (2, "before")
    assert crashed.value.operation == "PutItem"


def test_a_crash_after_the_nth_call_lets_that_call_take_effect() -> None:
    faults = make_env().faults
    faults.crash("writer", at_call=2, when="after")
    effects: list[str] = []
    with faults.running("writer", "req-1", timeout=10), pytest.raises(HandlerCrashed) as crashed:
        for i in (1, 2, 3):
            faults.before_call("events", "PutEvents", {})
            effects.append(f"call {i}")
            faults.after_call("events", "PutEvents", {})
    assert effects == ["call 1", "call 2"]
    assert str(crashed.value) == "Task timed out after 10.00 seconds"
    assert "after it took effect" in crashed.value.describe()


def test_a_crash_fires_once_so_the_redelivery_runs_to_completion() -> None:
    faults = make_env().faults
    faults.crash("writer", at_call=1)
    with faults.running("writer", "req-1"), pytest.raises(HandlerCrashed):
        call(faults, 2)
    with faults.running("writer", "req-1"):
        assert call(faults, 2) == ["call 1", "call 2"]
    assert [f.kind for f in faults.injected] == ["crash"]


def test_a_handler_that_swallows_the_crash_can_make_no_further_calls() -> None:
    faults = make_env().faults
    faults.crash("writer", at_call=1)
    with faults.running("writer", "req-9"):
        with pytest.raises(HandlerCrashed):
            faults.before_call("sqs", "SendMessage", {})
        with pytest.raises(HandlerCrashed):
            faults.before_call("sqs", "SendMessage", {})
        assert faults.crash_of("req-9") is not None


def test_calls_outside_a_handler_or_of_another_function_never_crash() -> None:
    faults = make_env().faults
    faults.crash("writer", at_call=1)
    assert call(faults, 3) == ["call 1", "call 2", "call 3"]
    faults.current_invocation = ("reader", "req-2")
    assert call(faults, 3) == ["call 1", "call 2", "call 3"]
    assert faults.current_invocation == CurrentInvocation("reader", "req-2")


def test_an_outer_invocation_keeps_its_call_count_across_a_nested_one() -> None:
    faults = make_env().faults
    faults.crash("outer", at_call=2)
    with faults.running("outer", "req-outer"):
        faults.before_call("lambda", "Invoke", {})
        with faults.running("inner", "req-inner"):
            call(faults, 3)
        with pytest.raises(HandlerCrashed):
            faults.before_call("dynamodb", "PutItem", {})


# --- disarming -------------------------------------------------------------------
def test_a_fault_used_as_a_context_manager_is_disarmed_on_exit() -> None:
    faults = make_env().faults
    with faults.duplicate("sqs:orders", times=2):
        assert faults.copies("sqs:orders") == 2
    assert faults.copies("sqs:orders") == 1
    assert len(faults.injected) == 1


def test_clear_disarms_everything_but_keeps_the_record() -> None:
    faults = make_env().faults
    faults.duplicate("sqs:orders")
    faults.throttle("payments", times=5)
    faults.copies("sqs:orders")
    faults.clear()
    assert faults.armed() == []
    assert faults.copies("sqs:orders") == 1
    assert faults.throttle("payments") is False
    assert "duplicate on sqs:orders" in faults.describe()


def test_the_tuple_protocol_of_the_lambda_fake_keeps_nested_counts_and_restarts_retries() -> None:
    faults = make_env().faults
    faults.crash("outer", at_call=2, times=2)
    faults.current_invocation = ("outer", "req-1")
    faults.before_call("lambda", "Invoke", {})
    previous = faults.current_invocation
    faults.current_invocation = ("inner", "req-2")
    call(faults, 2)
    faults.current_invocation = previous
    with pytest.raises(HandlerCrashed) as crashed:
        faults.before_call("dynamodb", "PutItem", {})
    assert crashed.value.lambda_timeout is True
    faults.current_invocation = None
    faults.current_invocation = ("outer", "req-1")  # the retry: same request id, fresh count
    faults.before_call("lambda", "Invoke", {})
    with pytest.raises(HandlerCrashed):
        faults.before_call("dynamodb", "PutItem", {})


# --- with the other fakes --------------------------------------------------------
def test_an_async_invocation_duplicated_by_a_fault_runs_the_handler_twice() -> None:
    env = make_env()
    seen: list[object] = []
    env.lambda_.register("notify", lambda event, context: seen.append(event))
    env.faults.duplicate("lambda:notify", times=2)
    env.lambda_.invoke_async("notify", {"n": 1})
    env.run_until_idle()
    assert seen == [{"n": 1}, {"n": 1}]


def test_a_crash_after_the_second_call_keeps_its_effect_and_the_async_retry_repeats_it() -> None:
    env = make_env()
    sqs = env.client("sqs")
    url = sqs.create_queue(QueueName="effects")["QueueUrl"]

    def writer(event: object, context: object) -> None:
        sqs.send_message(QueueUrl=url, MessageBody="first")
        sqs.send_message(QueueUrl=url, MessageBody="second")

    env.lambda_.register("writer", writer)
    env.faults.crash("writer", at_call=2, when="after")
    env.lambda_.invoke_async("writer", {})
    env.run_until_idle()
    attempts = env.lambda_.invocations("writer")
    assert [a.error for a in attempts] == ["Sandbox.Timedout", None]
    assert sorted(m.body for m in env.sqs.messages(url)) == ["first", "first", "second", "second"]
    [crash] = env.faults.injected
    assert "writer" in crash.describe() and "#2, sqs.SendMessage" in crash.describe()


def test_a_crash_before_the_first_call_leaves_no_effect_of_that_attempt() -> None:
    env = make_env()
    sqs = env.client("sqs")
    url = sqs.create_queue(QueueName="effects")["QueueUrl"]
    env.lambda_.register(
        "writer", lambda event, context: sqs.send_message(QueueUrl=url, MessageBody="only")
    )
    env.faults.crash("writer", at_call=1, when="before")
    env.lambda_.invoke_async("writer", {})
    env.run_until_idle()
    assert [m.body for m in env.sqs.messages(url)] == ["only"]
