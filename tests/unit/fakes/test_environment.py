from __future__ import annotations

from typing import Any

import boto3
import botocore.session
import pytest
from botocore.exceptions import ClientError, ParamValidationError

from eventproof_fakes import AWSError, FakeAWS, StepLimitExceeded
from eventproof_fakes.operations import operation


class EchoQueues:
    """A tiny stand-in backend: the binding is under test here, not SQS."""

    def __init__(self, env: FakeAWS) -> None:
        self.calls: list[dict[str, Any]] = []

    @operation
    def get_queue_url(self, params: dict[str, Any]) -> dict[str, Any]:
        self.calls.append(params)
        if params["QueueName"] == "missing":
            raise AWSError(
                "AWS.SimpleQueueService.NonExistentQueue",
                "The specified queue does not exist.",
                error_fields={"QueryErrorCode": "QueueDoesNotExist", "Type": "Sender"},
            )
        return {"QueueUrl": f"https://queue/{params['QueueName']}"}


def env_with_echo() -> tuple[FakeAWS, EchoQueues]:
    env = FakeAWS()
    backend = EchoQueues(env)
    env._backends["sqs"] = backend
    return env, backend


def test_a_bound_client_is_answered_by_the_environment() -> None:
    env, backend = env_with_echo()
    response = env.client("sqs").get_queue_url(QueueName="orders")
    assert response["QueueUrl"] == "https://queue/orders"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert backend.calls == [{"QueueName": "orders"}]


def test_errors_become_the_modelled_botocore_exceptions() -> None:
    env, _ = env_with_echo()
    client = env.client("sqs")
    with pytest.raises(client.exceptions.QueueDoesNotExist) as raised:
        client.get_queue_url(QueueName="missing")
    assert raised.value.response["Error"]["Message"] == "The specified queue does not exist."


def test_botocore_validates_parameters_before_the_fake_sees_them() -> None:
    env, backend = env_with_echo()
    with pytest.raises(ParamValidationError):
        env.client("sqs").get_queue_url(QueueNme="typo")
    assert backend.calls == []


def test_an_operation_the_fakes_do_not_model_fails_loudly() -> None:
    env, _ = env_with_echo()
    with pytest.raises(ClientError, match="does not implement ListQueueTags"):
        env.client("sqs").list_queue_tags(QueueUrl="https://queue/q")


def test_patch_boto3_binds_clients_created_inside_and_restores_on_error() -> None:
    env, backend = env_with_echo()
    original = botocore.session.Session.create_client
    with pytest.raises(RuntimeError), env.patch_boto3():
        assert boto3.client("sqs").get_queue_url(QueueName="a")["QueueUrl"].endswith("/a")
        session = boto3.session.Session()
        session.client("sqs").get_queue_url(QueueName="b")
        raise RuntimeError("the block failed")
    assert botocore.session.Session.create_client is original
    assert [c["QueueName"] for c in backend.calls] == ["a", "b"]


def test_resource_layer_parameters_reach_the_fake_as_attribute_values() -> None:
    env = FakeAWS()
    seen: list[dict[str, Any]] = []

    class Tables:
        def __init__(self, _: FakeAWS) -> None:
            pass

        @operation
        def put_item(self, params: dict[str, Any]) -> dict[str, Any]:
            seen.append(params)
            return {}

    env._backends["dynamodb"] = Tables(env)
    env.resource("dynamodb").Table("Orders").put_item(Item={"id": "1", "qty": 3})
    assert seen == [{"TableName": "Orders", "Item": {"id": {"S": "1"}, "qty": {"N": "3"}}}]


def test_two_environments_share_nothing() -> None:
    first, first_backend = env_with_echo()
    second, second_backend = env_with_echo()
    first.client("sqs").get_queue_url(QueueName="x")
    assert len(first_backend.calls) == 1
    assert second_backend.calls == []
    first.clock.advance(10)
    assert second.clock.now() == first.clock.now() - 10


def test_ids_are_reproducible_from_the_seed() -> None:
    assert FakeAWS(seed=7).ids.uuid() == FakeAWS(seed=7).ids.uuid()
    assert FakeAWS(seed=7).ids.uuid() != FakeAWS(seed=8).ids.uuid()



def test_reset_empties_the_account_and_keeps_bound_clients_working() -> None:
    aws = FakeAWS(seed=3)
    sqs = aws.client("sqs")
    sqs.create_queue(QueueName="orders")
    aws.clock.advance(60)
    aws.reset()
    assert aws.clock.now() == FakeAWS().clock.now()
    assert aws.ids.uuid() == FakeAWS(seed=3).ids.uuid()
    assert sqs.list_queues().get("QueueUrls", []) == []
    sqs.create_queue(QueueName="orders")
    assert aws.sqs.queue_names() == ["orders"]

class CountdownPump:
    def __init__(self, env: FakeAWS, items: int, every: float) -> None:
        self.env, self.items, self.every = env, items, every
        self.ready_at = env.clock.now()
        self.done: list[float] = []

    def pump(self) -> bool:
        if self.items and self.env.clock.now() >= self.ready_at:
            self.items -= 1
            self.done.append(self.env.clock.now())
            self.ready_at = self.env.clock.now() + self.every
            return True
        return False

    def next_wakeup(self) -> float | None:
        return self.ready_at if self.items else None


def test_run_until_idle_jumps_the_clock_to_each_wakeup() -> None:
    env = FakeAWS()
    start = env.clock.now()
    pump = CountdownPump(env, items=3, every=60)
    env.add_pump(pump)
    env.run_until_idle()
    assert [t - start for t in pump.done] == [0, 60, 120]


def test_run_until_idle_reports_a_step_limit_instead_of_stopping_silently() -> None:
    env = FakeAWS()
    env.add_pump(CountdownPump(env, items=100, every=1))
    with pytest.raises(StepLimitExceeded, match="after 10 steps"):
        env.run_until_idle(max_steps=10)


def test_background_timers_do_not_keep_the_environment_busy() -> None:
    env = FakeAWS()
    fired: list[str] = []
    env.clock.call_later(3600, lambda: fired.append("ttl"), background=True)
    env.run_until_idle()
    assert fired == []
