"""Lambda code and environment: what CreateFunction/UpdateFunctionCode report, and what runs.

Control-plane cases run on the fakes and on moto. Running a team's code
is fakes only (moto needs Docker to run handlers); AWS documents it in
https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html and
https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from eventproof_fakes.lambda_.code import package


def role(aws: Any) -> str:
    if hasattr(aws, "env"):
        return "arn:aws:iam::123456789012:role/lambda-role"
    return str(aws.client("iam").create_role(
        RoleName="lambda-role",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
    )["Role"]["Arn"])


def folder(tmp_path: Path, name: str, source: str) -> Path:
    path = tmp_path / name
    path.mkdir()
    (path / "app.py").write_text(source)
    return path


def create(aws: Any, name: str, code: bytes, **options: Any) -> dict[str, Any]:
    return dict(aws.client("lambda").create_function(
        FunctionName=name, Runtime="python3.12", Role=role(aws), Handler="app.lambda_handler",
        Code={"ZipFile": code}, **options))


def test_code_sha256_and_size_describe_the_zip(aws: Any, tmp_path: Path) -> None:
    code = package(folder(tmp_path, "f", "def lambda_handler(e, c):\n    return 1\n"))
    response = create(aws, "f", code)
    assert response["CodeSha256"] == base64.b64encode(hashlib.sha256(code).digest()).decode()
    assert response["CodeSize"] == len(code)
    configuration = aws.client("lambda").get_function(FunctionName="f")["Configuration"]
    assert configuration["CodeSha256"] == response["CodeSha256"]


def test_update_function_code_reports_the_new_zip(aws: Any, tmp_path: Path) -> None:
    create(aws, "f", package(folder(tmp_path, "v1", "def lambda_handler(e, c):\n    return 1\n")))
    new = package(folder(tmp_path, "v2", "def lambda_handler(e, c):\n    return 2\n"))
    response = aws.client("lambda").update_function_code(FunctionName="f", ZipFile=new)
    assert response["CodeSha256"] == base64.b64encode(hashlib.sha256(new).digest()).decode()


def test_environment_variables_are_stored_as_given(aws: Any, tmp_path: Path) -> None:
    code = package(folder(tmp_path, "f", "def lambda_handler(e, c):\n    return 1\n"))
    create(aws, "f", code, Environment={"Variables": {"TABLE": "Orders"}})
    configuration = aws.client("lambda").get_function(FunctionName="f")["Configuration"]
    assert configuration["Environment"] == {"Variables": {"TABLE": "Orders"}}


@pytest.mark.fakes_only  # moto accepts it; AWS refuses reserved keys (configuration-envvars.html)
def test_a_reserved_variable_is_refused(aws: Any, tmp_path: Path) -> None:
    code = package(folder(tmp_path, "f", ""))
    with pytest.raises(ClientError) as caught:
        create(aws, "f", code, Environment={"Variables": {"AWS_LAMBDA_FUNCTION_NAME": "x"}})
    assert caught.value.response["Error"]["Code"] == "InvalidParameterValueException"


@pytest.mark.fakes_only  # moto accepts any bytes; AWS: "Could not unzip uploaded file"
def test_bytes_that_are_not_a_zip_are_refused(aws: Any) -> None:
    with pytest.raises(ClientError) as caught:
        create(aws, "f", b"not a zip")
    assert caught.value.response["Error"]["Code"] == "InvalidParameterValueException"


@pytest.mark.fakes_only
def test_two_sam_style_functions_each_run_their_own_app_module_with_their_own_variables(
    aws: Any, tmp_path: Path
) -> None:
    source = (
        "import os\nfrom helpers import label\n\n"
        "def lambda_handler(event, context):\n"
        "    return [label(), os.environ['STAGE'], os.environ['AWS_LAMBDA_FUNCTION_NAME']]\n"
    )
    for name in ("orders", "payments"):
        path = folder(tmp_path, name, source)
        (path / "helpers.py").write_text(f"def label():\n    return {name!r}\n")
        create(aws, name, package(path), Environment={"Variables": {"STAGE": f"{name}-stage"}})
    client = aws.client("lambda")
    for name in ("orders", "payments", "orders"):
        result = json.loads(client.invoke(FunctionName=name, Payload=b"{}")["Payload"].read())
        assert result == [name, f"{name}-stage", name]


@pytest.mark.fakes_only
def test_a_handler_that_calls_sys_exit_fails_with_runtime_exit_error(
    aws: Any, tmp_path: Path
) -> None:
    create(aws, "f", package(folder(tmp_path, "f",
                                    "import sys\n\ndef lambda_handler(e, c):\n    sys.exit(1)\n")))
    response = aws.client("lambda").invoke(FunctionName="f", Payload=b"{}")
    payload = json.loads(response["Payload"].read())
    assert response["FunctionError"] == "Unhandled"
    assert payload["errorType"] == "Runtime.ExitError"
    assert payload["errorMessage"].endswith("Error: Runtime exited with error: exit status 1")


def test_function_tags_are_kept_listed_and_changed(aws: Any, tmp_path: Path) -> None:
    client = aws.client("lambda")
    code = package(folder(tmp_path, "t", "def lambda_handler(e, c):\n    return 1\n"))
    arn = create(aws, "tagged", code, Tags={"lambda:createdBy": "SAM", "team": "payments"})["FunctionArn"]
    assert client.list_tags(Resource=arn)["Tags"] == {"lambda:createdBy": "SAM", "team": "payments"}
    client.tag_resource(Resource=arn, Tags={"stage": "test"})
    client.untag_resource(Resource=arn, TagKeys=["team"])
    assert client.get_function(FunctionName="tagged")["Tags"] == {
        "lambda:createdBy": "SAM", "stage": "test"}
