"""Secrets Manager: versions, staging labels, listing, deletion windows, rotation, Powertools."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from aws_lambda_powertools.utilities import parameters as powertools
from botocore.exceptions import ClientError


def _code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


@pytest.fixture
def sm(aws: Any) -> Any:
    return aws.client("secretsmanager")


def _stages(sm: Any, name: str) -> dict[str, list[str]]:
    # Versions without labels are deprecated (moto still lists them, AWS does not).
    stages = sm.describe_secret(SecretId=name)["VersionIdsToStages"]
    return {version: sorted(labels) for version, labels in stages.items() if labels}


def test_a_secret_reads_back_as_awscurrent_with_a_suffixed_arn(sm: Any) -> None:
    created = sm.create_secret(Name="db/password", SecretString="s3cret")
    assert created["ARN"].startswith("arn:aws:secretsmanager:us-east-1:123456789012:secret:db/password-")
    assert len(created["ARN"].rsplit("-", 1)[1]) == 6
    value = sm.get_secret_value(SecretId="db/password")
    assert (value["SecretString"], value["VersionStages"]) == ("s3cret", ["AWSCURRENT"])
    assert value["VersionId"] == created["VersionId"]


def test_the_full_and_the_partial_arn_find_the_secret(sm: Any) -> None:
    arn = sm.create_secret(Name="api-key", SecretString="k")["ARN"]
    assert sm.get_secret_value(SecretId=arn)["SecretString"] == "k"
    assert sm.get_secret_value(SecretId=arn[:-7])["SecretString"] == "k"


def test_a_second_secret_with_the_same_name_is_refused(sm: Any) -> None:
    sm.create_secret(Name="dup", SecretString="a")
    with pytest.raises(ClientError) as error:
        sm.create_secret(Name="dup", SecretString="b")
    assert _code(error) == "ResourceExistsException"


def test_an_unknown_secret_is_resource_not_found(sm: Any) -> None:
    with pytest.raises(ClientError) as error:
        sm.get_secret_value(SecretId="nope")
    assert _code(error) == "ResourceNotFoundException"


def test_a_binary_secret_reads_back_as_bytes(sm: Any) -> None:
    sm.create_secret(Name="cert", SecretBinary=b"\x00\x01binary")
    assert sm.get_secret_value(SecretId="cert")["SecretBinary"] == b"\x00\x01binary"


def test_a_new_value_moves_awscurrent_and_awsprevious(sm: Any) -> None:
    first = sm.create_secret(Name="rot", SecretString="v1")["VersionId"]
    second = sm.put_secret_value(SecretId="rot", SecretString="v2")["VersionId"]
    assert _stages(sm, "rot") == {first: ["AWSPREVIOUS"], second: ["AWSCURRENT"]}
    third = sm.put_secret_value(SecretId="rot", SecretString="v3")["VersionId"]
    assert _stages(sm, "rot") == {second: ["AWSPREVIOUS"], third: ["AWSCURRENT"]}
    assert sm.get_secret_value(SecretId="rot", VersionStage="AWSPREVIOUS")["SecretString"] == "v2"
    assert sm.get_secret_value(SecretId="rot", VersionId=first)["SecretString"] == "v1"


def test_a_pending_value_leaves_the_current_one_alone(sm: Any) -> None:
    sm.create_secret(Name="p", SecretString="live")
    pending = sm.put_secret_value(SecretId="p", SecretString="next", VersionStages=["AWSPENDING"])
    assert pending["VersionStages"] == ["AWSPENDING"]
    assert sm.get_secret_value(SecretId="p")["SecretString"] == "live"
    assert sm.get_secret_value(SecretId="p", VersionStage="AWSPENDING")["SecretString"] == "next"


def test_a_repeated_request_token_is_idempotent_but_cannot_change_the_value(sm: Any) -> None:
    sm.create_secret(Name="idem", SecretString="a")
    token = "11111111-2222-3333-4444-555555555555"
    first = sm.put_secret_value(SecretId="idem", SecretString="b", ClientRequestToken=token)
    again = sm.put_secret_value(SecretId="idem", SecretString="b", ClientRequestToken=token)
    assert first["VersionId"] == again["VersionId"] == token
    with pytest.raises(ClientError) as error:
        sm.put_secret_value(SecretId="idem", SecretString="c", ClientRequestToken=token)
    assert _code(error) == "ResourceExistsException"


def test_update_secret_changes_the_description_and_adds_a_version(sm: Any) -> None:
    sm.create_secret(Name="u", SecretString="1", Description="old")
    response = sm.update_secret(SecretId="u", SecretString="2", Description="new")
    assert "VersionId" in response
    described = sm.describe_secret(SecretId="u")
    assert described["Description"] == "new"
    assert sm.get_secret_value(SecretId="u")["SecretString"] == "2"


def test_moving_awscurrent_by_hand_needs_the_version_it_leaves(sm: Any) -> None:
    first = sm.create_secret(Name="m", SecretString="1")["VersionId"]
    second = sm.put_secret_value(SecretId="m", SecretString="2", VersionStages=["AWSPENDING"])["VersionId"]
    with pytest.raises(ClientError) as error:
        sm.update_secret_version_stage(SecretId="m", VersionStage="AWSCURRENT", MoveToVersionId=second)
    assert _code(error) == "InvalidParameterException"
    sm.update_secret_version_stage(
        SecretId="m", VersionStage="AWSCURRENT", MoveToVersionId=second, RemoveFromVersionId=first
    )
    assert _stages(sm, "m") == {first: ["AWSPREVIOUS"], second: ["AWSCURRENT", "AWSPENDING"]}


def test_list_secrets_filters_by_name_prefix_and_pages(sm: Any) -> None:
    for n in range(5):
        sm.create_secret(Name=f"team-a/s{n}", SecretString="x")
    sm.create_secret(Name="team-b/s0", SecretString="x")
    paginator = sm.get_paginator("list_secrets")
    pages = list(paginator.paginate(
        Filters=[{"Key": "name", "Values": ["team-a/"]}], PaginationConfig={"PageSize": 2}
    ))
    names = sorted(s["Name"] for page in pages for s in page["SecretList"])
    assert names == [f"team-a/s{n}" for n in range(5)]
    assert len(pages) == 3


def test_a_deleted_secret_is_unreadable_until_restored(sm: Any) -> None:
    sm.create_secret(Name="d", SecretString="x")
    deleted = sm.delete_secret(SecretId="d", RecoveryWindowInDays=7)
    assert "DeletionDate" in deleted
    with pytest.raises(ClientError) as error:
        sm.get_secret_value(SecretId="d")
    assert _code(error) == "InvalidRequestException"
    assert "DeletedDate" in sm.describe_secret(SecretId="d")
    sm.restore_secret(SecretId="d")
    assert sm.get_secret_value(SecretId="d")["SecretString"] == "x"


@pytest.mark.fakes_only  # the recovery window runs on the virtual clock; AWS deletes at its end:
# https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html
def test_the_secret_is_gone_when_the_recovery_window_ends(aws: Any, sm: Any) -> None:
    sm.create_secret(Name="gone", SecretString="x")
    sm.delete_secret(SecretId="gone", RecoveryWindowInDays=7)
    aws.advance(7 * 86400 - 1)
    assert sm.describe_secret(SecretId="gone")["Name"] == "gone"
    aws.advance(1)
    with pytest.raises(ClientError) as error:
        sm.describe_secret(SecretId="gone")
    assert _code(error) == "ResourceNotFoundException"


def test_force_delete_is_immediate_and_excludes_a_recovery_window(sm: Any) -> None:
    sm.create_secret(Name="f", SecretString="x")
    with pytest.raises(ClientError) as error:
        sm.delete_secret(SecretId="f", ForceDeleteWithoutRecovery=True, RecoveryWindowInDays=7)
    assert _code(error) == "InvalidParameterException"
    sm.delete_secret(SecretId="f", ForceDeleteWithoutRecovery=True)
    with pytest.raises(ClientError) as error:
        sm.get_secret_value(SecretId="f")
    assert _code(error) == "ResourceNotFoundException"


def test_tags_are_added_and_removed(sm: Any) -> None:
    sm.create_secret(Name="t", SecretString="x", Tags=[{"Key": "team", "Value": "a"}])
    sm.tag_resource(SecretId="t", Tags=[{"Key": "env", "Value": "dev"}])
    sm.untag_resource(SecretId="t", TagKeys=["team"])
    assert sm.describe_secret(SecretId="t")["Tags"] == [{"Key": "env", "Value": "dev"}]


def test_random_passwords_respect_length_and_exclusions(sm: Any) -> None:
    password = sm.get_random_password(PasswordLength=40, ExcludePunctuation=True)["RandomPassword"]
    assert len(password) == 40 and password.isalnum()


def test_powertools_get_secret_reads_the_current_value(sm: Any) -> None:
    sm.create_secret(Name="pt/config", SecretString=json.dumps({"url": "https://x"}))
    provider = powertools.SecretsProvider(boto3_client=sm)
    assert provider.get("pt/config", transform="json", force_fetch=True) == {"url": "https://x"}


def test_powertools_top_level_get_secret(aws: Any, sm: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    sm.create_secret(Name="pt/token", SecretString="t0k3n")
    powertools.base.DEFAULT_PROVIDERS.clear()  # providers cache their boto3 client
    bound = aws.env.patch_boto3() if hasattr(aws, "env") else contextlib.nullcontext()
    with bound:
        assert powertools.get_secret("pt/token", force_fetch=True) == "t0k3n"
    powertools.base.DEFAULT_PROVIDERS.clear()
