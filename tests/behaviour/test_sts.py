"""STS: the fake caller, AssumeRole and GetSessionToken credentials (not enforced)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

ROLE = "arn:aws:iam::123456789012:role/app/reader"


@pytest.fixture
def sts(aws: Any) -> Any:
    return aws.client("sts")


def test_the_caller_is_a_user_of_the_fake_account(sts: Any) -> None:
    identity = sts.get_caller_identity()
    assert identity["Account"] == "123456789012"
    assert identity["Arn"].startswith("arn:aws:") and ":123456789012:user/" in identity["Arn"]
    assert identity["UserId"]


def test_assume_role_names_the_session_in_the_assumed_role_arn(sts: Any) -> None:
    response = sts.assume_role(RoleArn=ROLE, RoleSessionName="nightly-job")
    user = response["AssumedRoleUser"]
    assert user["Arn"] == "arn:aws:sts::123456789012:assumed-role/reader/nightly-job"
    assert user["AssumedRoleId"].endswith(":nightly-job")
    credentials = response["Credentials"]
    assert credentials["AccessKeyId"].startswith("ASIA") and len(credentials["AccessKeyId"]) == 20
    assert credentials["SecretAccessKey"] and credentials["SessionToken"]


@pytest.mark.fakes_only  # the fake's credentials expire on the virtual clock (moto: wall clock);
# DurationSeconds: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
def test_credentials_expire_after_the_duration_on_the_virtual_clock(aws: Any, sts: Any) -> None:
    aws.advance(120)
    now = aws.env.clock.now_datetime()
    assumed = sts.assume_role(RoleArn=ROLE, RoleSessionName="s1", DurationSeconds=900)
    assert assumed["Credentials"]["Expiration"] == now + timedelta(seconds=900)
    default = sts.get_session_token()["Credentials"]["Expiration"]
    assert default == now + timedelta(hours=12)


@pytest.mark.fakes_only  # moto accepts any duration; AWS's maximum is 12 hours (API reference above)
def test_a_duration_beyond_12_hours_is_refused(sts: Any) -> None:
    with pytest.raises(ClientError) as error:
        sts.assume_role(RoleArn=ROLE, RoleSessionName="long", DurationSeconds=43201)
    assert error.value.response["Error"]["Code"] == "ValidationError"


def test_get_session_token_returns_temporary_credentials(sts: Any) -> None:
    credentials = sts.get_session_token(DurationSeconds=3600)["Credentials"]
    assert credentials["AccessKeyId"] and credentials["SessionToken"]


@pytest.mark.fakes_only  # nothing to compare on moto: the fake refuses MFA it does not model
def test_mfa_parameters_are_refused(sts: Any) -> None:
    with pytest.raises(ClientError) as error:
        sts.get_session_token(SerialNumber="arn:aws:iam::123456789012:mfa/me", TokenCode="123456")
    assert error.value.response["Error"]["Code"] == "UnsupportedParameter"
