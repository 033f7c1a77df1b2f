"""SSM Parameter Store: types, versions, labels, paths, filters, history, tags, Powertools."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from aws_lambda_powertools.utilities import parameters as powertools
from botocore.exceptions import ClientError


def _code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


@pytest.fixture
def ssm(aws: Any) -> Any:
    return aws.client("ssm")


def test_a_string_parameter_reads_back_with_version_1_and_its_arn(ssm: Any) -> None:
    assert ssm.put_parameter(Name="/app/url", Value="https://x", Type="String")["Version"] == 1
    parameter = ssm.get_parameter(Name="/app/url")["Parameter"]
    assert (parameter["Value"], parameter["Type"], parameter["Version"]) == ("https://x", "String", 1)
    assert parameter["ARN"] == "arn:aws:ssm:us-east-1:123456789012:parameter/app/url"


def test_a_missing_parameter_is_parameter_not_found(ssm: Any) -> None:
    with pytest.raises(ClientError) as error:
        ssm.get_parameter(Name="/nope")
    assert _code(error) == "ParameterNotFound"


def test_putting_an_existing_name_needs_overwrite(ssm: Any) -> None:
    ssm.put_parameter(Name="/app/size", Value="1", Type="String")
    with pytest.raises(ClientError) as error:
        ssm.put_parameter(Name="/app/size", Value="2", Type="String")
    assert _code(error) == "ParameterAlreadyExists"
    assert ssm.put_parameter(Name="/app/size", Value="2", Type="String", Overwrite=True)["Version"] == 2
    assert ssm.get_parameter(Name="/app/size")["Parameter"]["Value"] == "2"


def test_a_string_list_keeps_its_commas(ssm: Any) -> None:
    ssm.put_parameter(Name="/app/hosts", Value="a,b,c", Type="StringList")
    parameter = ssm.get_parameter(Name="/app/hosts")["Parameter"]
    assert (parameter["Type"], parameter["Value"].split(",")) == ("StringList", ["a", "b", "c"])


@pytest.mark.fakes_only  # moto returns "kms:<key>:<plaintext>"; AWS returns the KMS ciphertext:
# https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-securestring.html
def test_a_secure_string_is_plaintext_only_with_decryption(ssm: Any) -> None:
    ssm.put_parameter(Name="/app/password", Value="hunter2", Type="SecureString", KeyId="alias/app")
    assert ssm.get_parameter(Name="/app/password", WithDecryption=True)["Parameter"]["Value"] == "hunter2"
    hidden = ssm.get_parameter(Name="/app/password", WithDecryption=False)["Parameter"]["Value"]
    assert hidden != "hunter2" and "hunter2" not in hidden


@pytest.mark.fakes_only  # moto leaves out Selector, which AWS returns for name:version reads:
# https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_Parameter.html
def test_an_older_version_is_read_with_a_version_selector(ssm: Any) -> None:
    ssm.put_parameter(Name="/app/flag", Value="off", Type="String")
    ssm.put_parameter(Name="/app/flag", Value="on", Type="String", Overwrite=True)
    parameter = ssm.get_parameter(Name="/app/flag:1")["Parameter"]
    assert (parameter["Value"], parameter["Version"], parameter["Selector"]) == ("off", 1, ":1")
    with pytest.raises(ClientError) as error:
        ssm.get_parameter(Name="/app/flag:7")
    assert _code(error) == "ParameterVersionNotFound"


def test_a_label_selects_its_version_and_moves_when_relabelled(ssm: Any) -> None:
    ssm.put_parameter(Name="/app/mode", Value="blue", Type="String")
    ssm.put_parameter(Name="/app/mode", Value="green", Type="String", Overwrite=True)
    ssm.label_parameter_version(Name="/app/mode", ParameterVersion=1, Labels=["prod"])
    assert ssm.get_parameter(Name="/app/mode:prod")["Parameter"]["Value"] == "blue"
    ssm.label_parameter_version(Name="/app/mode", ParameterVersion=2, Labels=["prod"])
    assert ssm.get_parameter(Name="/app/mode:prod")["Parameter"]["Value"] == "green"
    history = ssm.get_parameter_history(Name="/app/mode")["Parameters"]
    assert [entry["Labels"] for entry in history] == [[], ["prod"]]


def test_labels_aws_refuses_come_back_as_invalid_labels(ssm: Any) -> None:
    ssm.put_parameter(Name="/app/l", Value="x", Type="String")
    response = ssm.label_parameter_version(Name="/app/l", Labels=["awsLabel", "1abc", "ok"])
    assert sorted(response["InvalidLabels"]) == ["1abc", "awsLabel"]
    assert ssm.get_parameter(Name="/app/l:ok")["Parameter"]["Value"] == "x"


def test_get_parameters_reports_the_unknown_names(ssm: Any) -> None:
    ssm.put_parameter(Name="/p/a", Value="1", Type="String")
    response = ssm.get_parameters(Names=["/p/a", "/p/missing"])
    assert [p["Name"] for p in response["Parameters"]] == ["/p/a"]
    assert response["InvalidParameters"] == ["/p/missing"]


def _tree(ssm: Any) -> None:
    for name in ("/svc/db/host", "/svc/db/port", "/svc/name", "/svc/db/replica/host", "/other/x"):
        ssm.put_parameter(Name=name, Value=name.rsplit("/", 1)[-1], Type="String")


def test_by_path_lists_direct_children_unless_recursive(ssm: Any) -> None:
    _tree(ssm)
    flat = ssm.get_parameters_by_path(Path="/svc/db")["Parameters"]
    assert sorted(p["Name"] for p in flat) == ["/svc/db/host", "/svc/db/port"]
    deep = ssm.get_parameters_by_path(Path="/svc", Recursive=True)["Parameters"]
    assert sorted(p["Name"] for p in deep) == [
        "/svc/db/host", "/svc/db/port", "/svc/db/replica/host", "/svc/name"
    ]


def test_by_path_pages_with_max_results(ssm: Any) -> None:
    for n in range(7):
        ssm.put_parameter(Name=f"/paged/p{n}", Value=str(n), Type="String")
    paginator = ssm.get_paginator("get_parameters_by_path")
    pages = list(paginator.paginate(Path="/paged", PaginationConfig={"PageSize": 3}))
    assert [len(page["Parameters"]) for page in pages] == [3, 3, 1]
    assert sorted(p["Value"] for page in pages for p in page["Parameters"]) == [str(n) for n in range(7)]


def test_by_path_filters_on_type(ssm: Any) -> None:
    ssm.put_parameter(Name="/f/plain", Value="a", Type="String")
    ssm.put_parameter(Name="/f/secret", Value="b", Type="SecureString")
    found = ssm.get_parameters_by_path(
        Path="/f", ParameterFilters=[{"Key": "Type", "Option": "Equals", "Values": ["SecureString"]}],
        WithDecryption=True,
    )["Parameters"]
    assert [(p["Name"], p["Value"]) for p in found] == [("/f/secret", "b")]


@pytest.mark.fakes_only  # moto ignores the Label filter; AWS returns the labelled version:
# https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParametersByPath.html
def test_by_path_filters_on_label_and_refuses_other_keys(ssm: Any) -> None:
    ssm.put_parameter(Name="/lab/a", Value="old", Type="String")
    ssm.put_parameter(Name="/lab/a", Value="new", Type="String", Overwrite=True)
    ssm.put_parameter(Name="/lab/b", Value="b", Type="String")
    ssm.label_parameter_version(Name="/lab/a", ParameterVersion=1, Labels=["stable"])
    found = ssm.get_parameters_by_path(
        Path="/lab", ParameterFilters=[{"Key": "Label", "Option": "Equals", "Values": ["stable"]}]
    )["Parameters"]
    assert [(p["Name"], p["Value"]) for p in found] == [("/lab/a", "old")]
    with pytest.raises(ClientError) as error:
        ssm.get_parameters_by_path(Path="/lab", ParameterFilters=[{"Key": "Name", "Values": ["x"]}])
    assert _code(error) == "InvalidFilterKey"


def test_history_lists_every_version_in_order(ssm: Any) -> None:
    for value in ("a", "b", "c"):
        ssm.put_parameter(Name="/h", Value=value, Type="String", Overwrite=True)
    history = ssm.get_parameter_history(Name="/h")["Parameters"]
    assert [(e["Version"], e["Value"]) for e in history] == [(1, "a"), (2, "b"), (3, "c")]


def test_deleting_removes_and_a_second_delete_fails(ssm: Any) -> None:
    ssm.put_parameter(Name="/d/one", Value="1", Type="String")
    ssm.put_parameter(Name="/d/two", Value="2", Type="String")
    ssm.delete_parameter(Name="/d/one")
    with pytest.raises(ClientError) as error:
        ssm.delete_parameter(Name="/d/one")
    assert _code(error) == "ParameterNotFound"
    response = ssm.delete_parameters(Names=["/d/two", "/d/ghost"])
    assert (response["DeletedParameters"], response["InvalidParameters"]) == (["/d/two"], ["/d/ghost"])


def test_describe_parameters_filters_by_name_prefix_without_values(ssm: Any) -> None:
    _tree(ssm)
    found = ssm.describe_parameters(
        ParameterFilters=[{"Key": "Name", "Option": "BeginsWith", "Values": ["/svc/db"]}]
    )["Parameters"]
    assert sorted(p["Name"] for p in found) == ["/svc/db/host", "/svc/db/port", "/svc/db/replica/host"]
    assert all("Value" not in p for p in found)


@pytest.mark.fakes_only  # moto accepts these; AWS's naming rules refuse them:
# https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html
@pytest.mark.parametrize("name", ["/aws/reserved", "ssm-thing", "has space", "a/b"])
def test_names_parameter_store_refuses(ssm: Any, name: str) -> None:
    with pytest.raises(ClientError) as error:
        ssm.put_parameter(Name=name, Value="x", Type="String")
    assert _code(error) == "ValidationException"


def test_tags_are_set_listed_and_removed_and_cannot_come_with_overwrite(ssm: Any) -> None:
    ssm.put_parameter(Name="/t", Value="x", Type="String", Tags=[{"Key": "team", "Value": "a"}])
    ssm.add_tags_to_resource(ResourceType="Parameter", ResourceId="/t", Tags=[{"Key": "env", "Value": "dev"}])
    ssm.remove_tags_from_resource(ResourceType="Parameter", ResourceId="/t", TagKeys=["team"])
    tags = ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId="/t")["TagList"]
    assert tags == [{"Key": "env", "Value": "dev"}]
    with pytest.raises(ClientError) as error:
        ssm.put_parameter(Name="/t", Value="y", Type="String", Overwrite=True, Tags=[{"Key": "k", "Value": "v"}])
    assert _code(error) == "ValidationException"


@pytest.mark.fakes_only  # moto does not check AllowedPattern; AWS does:
# https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html
def test_allowed_pattern_rejects_a_value_that_does_not_match(ssm: Any) -> None:
    with pytest.raises(ClientError) as error:
        ssm.put_parameter(Name="/num", Value="abc", Type="String", AllowedPattern=r"^\d+$")
    assert _code(error) == "ParameterPatternMismatchException"


def test_powertools_parameters_utility_reads_values_and_paths(aws: Any, ssm: Any) -> None:
    ssm.put_parameter(Name="/pt/db/url", Value="postgres://x", Type="String")
    ssm.put_parameter(Name="/pt/db/password", Value="s3cret", Type="SecureString")
    ssm.put_parameter(Name="/pt/db/extra/flag", Value="1", Type="String")
    provider = powertools.SSMProvider(boto3_client=ssm)
    assert provider.get("/pt/db/url", force_fetch=True) == "postgres://x"
    assert provider.get("/pt/db/password", decrypt=True, force_fetch=True) == "s3cret"
    values = provider.get_multiple("/pt/db", recursive=True, decrypt=True, force_fetch=True)
    assert values == {"url": "postgres://x", "password": "s3cret", "extra/flag": "1"}


@pytest.mark.fakes_only  # moto accepts it silently; the fake refuses what it does not model
def test_the_fake_refuses_parameters_it_does_not_model(ssm: Any) -> None:
    with pytest.raises(ClientError) as error:
        ssm.put_parameter(Name="/x", Value="1", Type="String", Policies="[]")
    assert _code(error) == "UnsupportedParameter"


def test_powertools_top_level_get_parameter_and_get_parameters(
    aws: Any, ssm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    ssm.put_parameter(Name="/top/a", Value="1", Type="String")
    ssm.put_parameter(Name="/top/b", Value="2", Type="SecureString")
    powertools.base.DEFAULT_PROVIDERS.clear()  # providers cache their boto3 client
    bound = aws.env.patch_boto3() if hasattr(aws, "env") else contextlib.nullcontext()
    with bound:
        assert powertools.get_parameter("/top/a", force_fetch=True) == "1"
        assert powertools.get_parameters("/top", decrypt=True, force_fetch=True) == {"a": "1", "b": "2"}
    powertools.base.DEFAULT_PROVIDERS.clear()
