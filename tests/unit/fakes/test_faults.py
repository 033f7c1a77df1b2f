"""Faults: arming (the test's side), refusing what no service applies, and the hook the services consult."""

from __future__ import annotations

import pytest

from eventproof_fakes import FakeAWS, FakesError
from eventproof_fakes.errors import FaultError
from eventproof_fakes.fault_channels import register_channel, registered_channels
from eventproof_fakes.faults import CurrentInvocation, FaultHook, HandlerCrashed, ObservedCall

RULE = "events:arn:aws:events:us-east-1:123456789012:rule/r"


def make_env(seed: int = 0) -> FakeAWS:
    return FakeAWS(seed=seed)


# --- nothing armed ---------------------------------------------------------------
def test_with_nothing_armed_every_delivery_is_made_once_in_order_without_delay() -> None:
    env = make_env()
    hook = env.faults.hook
    assert hook.copies("sqs:orders") == 1
    assert hook.order("sqs:orders", [1, 2, 3]) == [1, 2, 3]
    assert hook.delay_for("lambda:notify") == 0
    assert hook.throttled("payments") is False
    assert env.faults.injected == []


def test_the_arming_api_and_the_service_hook_are_separate_objects() -> None:
    faults = make_env().faults
    for consult in ("copies", "order", "throttled", "before_call", "running", "crash_of"):
        assert not hasattr(faults, consult), consult
    for arm in ("duplicate", "reorder", "delay", "throttle", "crash", "observe"):
        assert not hasattr(faults.hook, arm), arm


# --- refusing what no service applies -------------------------------------------
@pytest.mark.parametrize(
    ("arm", "expected"),
    [
        (lambda f: f.delay("sqs:orders", 100), "sqs: does not take delay"),
        (lambda f: f.reorder("stream:Orders"), "stream: does not take reorder"),
        (lambda f: f.reorder("lambda:notify"), "lambda: does not take reorder"),
        (lambda f: f.delay("events:" + RULE, 5), "events: does not take delay"),
        (lambda f: f.duplicate("kinesis-nope:orders"), "no channel kinesis-nope: exists"),
        (lambda f: f.duplicate("orders"), "a channel is '<prefix>:<name>'"),
        (lambda f: f.duplicate("sqs:orders.fifo"), "FIFO queue"),
        (lambda f: f.reorder("sqs:orders.fifo"), "FIFO queue"),
        (lambda f: f.throttle("lambda:payments"), "takes a Lambda function name"),
        (lambda f: f.crash("arn:aws:lambda:us-east-1:1:function:f", at_call=1), "function name"),
    ],
)
def test_a_fault_no_service_would_apply_is_refused(arm: object, expected: str) -> None:
    faults = make_env().faults
    with pytest.raises(FaultError, match=expected):
        arm(faults)  # type: ignore[operator]
    assert faults.armed() == []


def test_the_refusal_lists_the_channels_that_take_the_fault() -> None:
    with pytest.raises(FaultError) as refused:
        make_env().faults.delay("sqs:orders", 100)
    message = str(refused.value)
    assert "Channels that take delay:" in message
    assert "lambda:<function name>" in message
    assert "sqs:<queue name>" not in message


def test_every_registered_channel_is_documented_in_the_faults_module() -> None:
    import eventproof_fakes.faults

    doc = eventproof_fakes.faults.__doc__ or ""
    for channel in registered_channels():
        assert f"``{channel.prefix}:{channel.name}``" in doc, channel.prefix
        for kind in channel.kinds:
            assert kind in doc


def test_a_pattern_is_accepted_when_some_channel_it_covers_takes_the_fault() -> None:
    faults = make_env().faults
    faults.delay("*:notify", 3)
    with pytest.raises(FaultError):
        faults.reorder("st*:Orders")


def test_a_service_registers_the_channels_it_consults() -> None:
    channel = register_channel("test-only", "<thing>", ("delay",), "a test")
    try:
        faults = make_env().faults
        faults.delay("test-only:x", 1)
        assert faults.hook.delay_for("test-only:x") == 1
        with pytest.raises(FaultError, match="already registered"):
            register_channel("test-only", "<other>", ("duplicate",), "another test")
        with pytest.raises(FaultError, match="kinds must be among"):
            register_channel("test-bad", "<x>", ("explode",), "nothing")
    finally:
        from eventproof_fakes import fault_channels

        fault_channels._channels.pop(channel.prefix)


def test_the_fakes_own_errors_share_one_root_apart_from_aws_errors() -> None:
    from eventproof_fakes import AWSError, StepLimitExceeded
    from eventproof_fakes.event_patterns import InvalidPatternError

    for error in (FaultError, StepLimitExceeded, HandlerCrashed, InvalidPatternError):
        assert issubclass(error, FakesError), error
    assert not issubclass(AWSError, FakesError)


# --- duplicate -------------------------------------------------------------------
def test_duplicate_makes_each_delivery_on_its_channel_k_times_and_records_it() -> None:
    env = make_env()
    env.faults.duplicate("sqs:orders", times=3)
    hook = env.faults.hook
    assert hook.copies("sqs:orders") == 3
    assert hook.copies("sqs:orders") == 3
    assert hook.copies("sqs:other") == 1
    assert [f.kind for f in env.faults.injected] == ["duplicate", "duplicate"]
    assert "sqs:orders" in env.faults.injected[0].describe()
    assert "3 times" in env.faults.injected[0].describe()


def test_duplicate_limited_to_n_deliveries_stops_after_them() -> None:
    faults = make_env().faults
    faults.duplicate("lambda:notify", times=2, deliveries=1)
    assert [faults.hook.copies("lambda:notify") for _ in range(3)] == [2, 1, 1]


def test_a_channel_pattern_matches_every_channel_it_covers() -> None:
    faults = make_env().faults
    faults.duplicate("sqs:*", times=2)
    assert faults.hook.copies("sqs:a") == 2
    assert faults.hook.copies("sqs:b") == 2
    assert faults.hook.copies("stream:Orders") == 1


def test_duplicate_refuses_fewer_than_two_copies() -> None:
    with pytest.raises(FaultError, match="times must be an integer >= 2"):
        make_env().faults.duplicate("sqs:orders", times=1)


# --- reorder ---------------------------------------------------------------------
def test_reorder_shuffles_a_standard_queue_batch_without_losing_or_adding_any() -> None:
    faults = make_env().faults
    faults.reorder("sqs:orders")
    items = list(range(20))
    shuffled = faults.hook.order("sqs:orders", items)
    assert sorted(shuffled) == items
    assert shuffled != items
    assert faults.injected[-1].kind == "reorder"


def test_reorder_is_reproducible_from_the_seed() -> None:
    def run(seed: int) -> list[int]:
        faults = make_env(seed).faults
        faults.reorder("sqs-esm:*")
        return faults.hook.order("sqs-esm:mapping", list(range(10)))

    assert run(7) == run(7)
    assert run(7) != run(8)


def test_arming_faults_does_not_change_the_ids_a_run_would_get() -> None:
    plain, faulty = make_env(3), make_env(3)
    faulty.faults.reorder("sqs:q")
    faulty.faults.hook.order("sqs:q", list(range(10)))
    assert plain.ids.uuid() == faulty.ids.uuid()


def test_reorder_limited_to_n_batches_stops_after_them() -> None:
    faults = make_env(1).faults
    faults.reorder("sqs:q", deliveries=1)
    faults.hook.order("sqs:q", list(range(10)))
    assert faults.hook.order("sqs:q", list(range(10))) == list(range(10))


# --- delay -----------------------------------------------------------------------
def test_delay_holds_back_deliveries_by_the_armed_seconds() -> None:
    faults = make_env().faults
    faults.delay("lambda:notify", 30, deliveries=1)
    assert faults.hook.delay_for("lambda:notify") == 30
    assert faults.hook.delay_for("lambda:notify") == 0


def test_a_negative_delay_is_refused() -> None:
    with pytest.raises(FaultError, match=">= 0"):
        make_env().faults.delay("lambda:notify", -1)


# --- throttle --------------------------------------------------------------------
def test_throttle_answers_true_for_exactly_the_armed_number_of_attempts() -> None:
    faults = make_env().faults
    faults.throttle("payments", times=2)
    assert [faults.hook.throttled("payments") for _ in range(3)] == [True, True, False]
    assert faults.hook.throttled("other") is False
    assert [f.kind for f in faults.injected] == ["throttle", "throttle"]


# --- observing -------------------------------------------------------------------
def test_an_observer_sees_every_call_with_its_invocation_and_number_until_cancelled() -> None:
    env = make_env()
    seen: list[ObservedCall] = []
    observer = env.faults.observe(seen.append)
    sqs = env.client("sqs")
    url = sqs.create_queue(QueueName="effects")["QueueUrl"]
    env.lambda_.register(
        "writer", lambda event, context: sqs.send_message(QueueUrl=url, MessageBody="x")
    )
    env.lambda_.invoke_sync("writer", {})
    observer.cancel()
    sqs.get_queue_attributes(QueueUrl=url)
    assert [(c.service, c.operation, c.number) for c in seen] == [
        ("sqs", "CreateQueue", 0),
        ("sqs", "SendMessage", 1),
    ]
    assert seen[0].invocation is None
    assert seen[1].invocation is not None and seen[1].invocation.function_name == "writer"
    assert seen[1].params["MessageBody"] == "x"


# --- crash -----------------------------------------------------------------------
def call(hook: FaultHook, n: int) -> list[str]:
    """Simulate a handler making n AWS calls; return the ones that took effect."""
    effects = []
    for i in range(1, n + 1):
        hook.before_call("dynamodb", "PutItem", {"n": i})
        effects.append(f"call {i}")
        hook.after_call("dynamodb", "PutItem", {"n": i})
    return effects


def test_a_crash_before_the_nth_call_stops_the_handler_before_that_call_takes_effect() -> None:
    faults = make_env().faults
    hook = faults.hook
    faults.crash("writer", at_call=2, when="before")
    effects: list[str] = []
    with hook.running("writer", "req-1"), pytest.raises(HandlerCrashed) as crashed:
        for i in (1, 2, 3):
            hook.before_call("dynamodb", "PutItem", {})
            effects.append(f"call {i}")
            hook.after_call("dynamodb", "PutItem", {})
    assert effects == ["call 1"]
    assert str(crashed.value) == "Task timed out after 3.00 seconds"
    assert (crashed.value.call_number, crashed.value.when) == (2, "before")
    assert crashed.value.operation == "PutItem"


def test_a_crash_after_the_nth_call_lets_that_call_take_effect() -> None:
    faults = make_env().faults
    hook = faults.hook
    faults.crash("writer", at_call=2, when="after")
    effects: list[str] = []
    with hook.running("writer", "req-1", timeout=10), pytest.raises(HandlerCrashed) as crashed:
        for i in (1, 2, 3):
            hook.before_call("events", "PutEvents", {})
            effects.append(f"call {i}")
            hook.after_call("events", "PutEvents", {})
    assert effects == ["call 1", "call 2"]
    assert str(crashed.value) == "Task timed out after 10.00 seconds"
    assert "after it took effect" in crashed.value.describe()


def test_a_crash_fires_once_so_the_redelivery_runs_to_completion() -> None:
    faults = make_env().faults
    hook = faults.hook
    faults.crash("writer", at_call=1)
    with hook.running("writer", "req-1"), pytest.raises(HandlerCrashed):
        call(hook, 2)
    with hook.running("writer", "req-1"):
        assert call(hook, 2) == ["call 1", "call 2"]
    assert [f.kind for f in faults.injected] == ["crash"]


def test_a_handler_that_swallows_the_crash_can_make_no_further_calls() -> None:
    faults = make_env().faults
    hook = faults.hook
    faults.crash("writer", at_call=1)
    with hook.running("writer", "req-9"):
        with pytest.raises(HandlerCrashed):
            hook.before_call("sqs", "SendMessage", {})
        with pytest.raises(HandlerCrashed):
            hook.before_call("sqs", "SendMessage", {})
        assert hook.crash_of("req-9") is not None


def test_calls_outside_a_handler_or_of_another_function_never_crash() -> None:
    faults = make_env().faults
    hook = faults.hook
    faults.crash("writer", at_call=1)
    assert call(hook, 3) == ["call 1", "call 2", "call 3"]
    hook.current_invocation = CurrentInvocation("reader", "req-2")
    assert call(hook, 3) == ["call 1", "call 2", "call 3"]
    assert hook.current_invocation == CurrentInvocation("reader", "req-2")


def test_an_outer_invocation_keeps_its_call_count_across_a_nested_one() -> None:
    faults = make_env().faults
    hook = faults.hook
    faults.crash("outer", at_call=2)
    with hook.running("outer", "req-outer"):
        hook.before_call("lambda", "Invoke", {})
        with hook.running("inner", "req-inner"):
            call(hook, 3)
        with pytest.raises(HandlerCrashed):
            hook.before_call("dynamodb", "PutItem", {})


# --- disarming -------------------------------------------------------------------
def test_a_fault_used_as_a_context_manager_is_disarmed_on_exit() -> None:
    faults = make_env().faults
    with faults.duplicate("sqs:orders", times=2):
        assert faults.hook.copies("sqs:orders") == 2
    assert faults.hook.copies("sqs:orders") == 1
    assert len(faults.injected) == 1


def test_clear_disarms_everything_but_keeps_the_record() -> None:
    faults = make_env().faults
    faults.duplicate("sqs:orders")
    faults.throttle("payments", times=5)
    faults.hook.copies("sqs:orders")
    faults.clear()
    assert faults.armed() == []
    assert faults.hook.copies("sqs:orders") == 1
    assert faults.hook.throttled("payments") is False
    assert "duplicate on sqs:orders" in faults.describe()


def test_the_lambda_fakes_protocol_keeps_nested_counts_and_restarts_retries() -> None:
    faults = make_env().faults
    hook = faults.hook
    faults.crash("outer", at_call=2, times=2)
    hook.current_invocation = CurrentInvocation("outer", "req-1")
    hook.before_call("lambda", "Invoke", {})
    previous = hook.current_invocation
    hook.current_invocation = CurrentInvocation("inner", "req-2")
    call(hook, 2)
    hook.current_invocation = previous
    with pytest.raises(HandlerCrashed) as crashed:
        hook.before_call("dynamodb", "PutItem", {})
    assert crashed.value.lambda_timeout is True
    hook.current_invocation = None
    hook.current_invocation = CurrentInvocation("outer", "req-1")  # the retry: fresh count
    hook.before_call("lambda", "Invoke", {})
    with pytest.raises(HandlerCrashed):
        hook.before_call("dynamodb", "PutItem", {})


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


def test_a_mapping_reorder_needs_an_existing_mapping_of_a_standard_queue() -> None:
    env = make_env()
    env.lambda_.register("consumer", lambda event, context: None)
    sqs = env.client("sqs")
    lambda_ = env.client("lambda")
    standard = sqs.create_queue(QueueName="orders")["QueueUrl"]
    fifo = sqs.create_queue(QueueName="orders.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    mappings = [
        lambda_.create_event_source_mapping(
            EventSourceArn=env.sqs.queue_arn(url), FunctionName="consumer"
        )["UUID"]
        for url in (standard, fifo)
    ]
    env.faults.reorder(f"sqs-esm:{mappings[0]}")
    with pytest.raises(FaultError, match="reads a FIFO queue"):
        env.faults.reorder(f"sqs-esm:{mappings[1]}")
    with pytest.raises(FaultError, match="create the mapping first"):
        env.faults.reorder("sqs-esm:00000000-0000-0000-0000-000000000000")


def test_a_reorder_on_a_mapping_shuffles_the_batch_its_function_gets() -> None:
    env = make_env()
    seen: list[str] = []
    env.lambda_.register(
        "consumer", lambda event, context: seen.extend(r["body"] for r in event["Records"])
    )
    sqs = env.client("sqs")
    url = sqs.create_queue(QueueName="orders")["QueueUrl"]
    mapping = env.client("lambda").create_event_source_mapping(
        EventSourceArn=env.sqs.queue_arn(url), FunctionName="consumer", BatchSize=10
    )["UUID"]
    env.faults.reorder(f"sqs-esm:{mapping}")
    bodies = [f"order-{n}" for n in range(10)]
    for body in bodies:
        sqs.send_message(QueueUrl=url, MessageBody=body)
    env.run_until_idle()
    assert sorted(seen) == sorted(bodies)
    assert seen != bodies
    assert [f.kind for f in env.faults.injected] == ["reorder"]
