"""Secrets Manager rotation through the Lambda fake: the four steps and the staging labels.

Fakes only: moto runs rotation functions only inside Docker. The steps and
labels follow https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from eventproof_fakes import FakeAWS

pytestmark = pytest.mark.fakes_only


def rotation_function(env: FakeAWS, *, failing_step: str | None = None) -> Any:
    """A rotation handler written as AWS's template writes one."""
    client = env.client("secretsmanager")

    def handler(event: dict[str, Any], context: Any) -> None:
        arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
        if step == failing_step:
            raise RuntimeError(f"{step} failed")
        if step == "createSecret":
            client.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")
            try:
                client.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
            except client.exceptions.ResourceNotFoundException:
                password = client.get_random_password(ExcludePunctuation=True)["RandomPassword"]
                client.put_secret_value(
                    SecretId=arn, ClientRequestToken=token, SecretString=password,
                    VersionStages=["AWSPENDING"],
                )
        elif step == "finishSecret":
            stages = client.describe_secret(SecretId=arn)["VersionIdsToStages"]
            current = next(v for v, labels in stages.items() if "AWSCURRENT" in labels)
            if current != token:
                client.update_secret_version_stage(
                    SecretId=arn, VersionStage="AWSCURRENT", MoveToVersionId=token,
                    RemoveFromVersionId=current,
                )

    return handler


@pytest.fixture
def env(aws: Any) -> FakeAWS:
    fake: FakeAWS = aws.env
    return fake


def _setup(env: FakeAWS, failing_step: str | None = None) -> tuple[Any, str, str]:
    sm = env.client("secretsmanager")
    function = env.lambda_.register("rotator", rotation_function(env, failing_step=failing_step))
    first = sm.create_secret(Name="db", SecretString="initial")["VersionId"]
    return sm, function, first


def test_rotation_runs_the_four_steps_and_moves_the_labels(env: FakeAWS) -> None:
    sm, function, first = _setup(env)
    new = sm.rotate_secret(SecretId="db", RotationLambdaARN=function)["VersionId"]
    assert sm.get_secret_value(SecretId="db")["SecretString"] == "initial"  # asynchronous, as on AWS
    env.run_until_idle()
    steps = [i.event["Step"] for i in env.invocations("rotator")]
    assert steps == ["createSecret", "setSecret", "testSecret", "finishSecret"]
    assert all(i.event["ClientRequestToken"] == new for i in env.invocations("rotator"))
    stages = sm.describe_secret(SecretId="db")["VersionIdsToStages"]
    assert sorted(stages[new]) == ["AWSCURRENT", "AWSPENDING"] and stages[first] == ["AWSPREVIOUS"]
    assert sm.get_secret_value(SecretId="db")["SecretString"] != "initial"
    described = sm.describe_secret(SecretId="db")
    assert described["RotationEnabled"] and "LastRotatedDate" in described


def test_a_failed_step_leaves_awscurrent_and_blocks_the_next_rotation(env: FakeAWS) -> None:
    sm, function, _ = _setup(env, failing_step="testSecret")
    sm.rotate_secret(SecretId="db", RotationLambdaARN=function)
    env.run_until_idle()
    [rotation] = env.secretsmanager.rotations
    assert rotation.steps == ["createSecret", "setSecret", "testSecret"] and not rotation.succeeded
    assert sm.get_secret_value(SecretId="db")["SecretString"] == "initial"
    with pytest.raises(ClientError) as error:
        sm.rotate_secret(SecretId="db")
    assert error.value.response["Error"]["Code"] == "InvalidRequestException"


def test_automatic_rotation_follows_its_rules_on_the_virtual_clock(env: FakeAWS) -> None:
    sm, function, _ = _setup(env)
    sm.rotate_secret(
        SecretId="db", RotationLambdaARN=function, RotationRules={"AutomaticallyAfterDays": 30},
        RotateImmediately=False,
    )
    env.run_until_idle()
    assert env.invocations("rotator") == []
    env.clock.advance(30 * 86400)
    env.run_until_idle()
    assert len(env.secretsmanager.rotations) == 1 and env.secretsmanager.rotations[0].succeeded
    env.clock.advance(30 * 86400)
    env.run_until_idle()
    assert len(env.secretsmanager.rotations) == 2


def test_rotation_without_a_function_is_refused(env: FakeAWS) -> None:
    sm = env.client("secretsmanager")
    sm.create_secret(Name="plain", SecretString="x")
    with pytest.raises(ClientError) as error:
        sm.rotate_secret(SecretId="plain")
    assert error.value.response["Error"]["Code"] == "InvalidRequestException"
