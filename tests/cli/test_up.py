"""``eventproof up TEMPLATE``: what was built and wired, what was not modelled; bad input exits 2."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import reference_impl
from eventproof.cli import run

PATTERNS = Path(reference_impl.__file__).parent


def cli(*argv: str | Path) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = run([str(a) for a in argv], stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def write(folder: Path, text: str) -> Path:
    path = folder / "template.yaml"
    path.write_text(text)
    return path


def test_up_prints_each_resource_with_its_physical_name_and_wiring() -> None:
    code, out, err = cli("up", PATTERNS / "command_bus" / "template.yaml", "--parameter", "MaxReceiveCount=5")
    assert (code, err) == (0, "")
    rows = {line.split()[0]: line for line in out.splitlines() if line.startswith(("Command", "PaymentProcessorFunctionCommands"))}
    assert "payment-processing" in rows["CommandQueue"]
    assert "dead letters -> payment-processing-dlq after 5 receives" in rows["CommandQueue"]
    assert "payment-processing -> payment-processor (batch 10) [FunctionResponseTypes]" in rows["PaymentProcessorFunctionCommands"]
    assert "not modelled: nothing" in out
    assert "CommandQueueUrl = https://sqs.us-east-1.amazonaws.com/123456789012/payment-processing" in out


def test_up_lists_what_is_not_modelled_with_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "Resources:\n  Q: {Type: AWS::SQS::Queue}\n  Db:\n    Type: AWS::RDS::DBInstance\n")
    code, out, _ = cli("up", path)
    assert code == 0
    assert f"{path}:3: Db: resource type: AWS::RDS::DBInstance is not modelled" in out
    assert "not built (1):\n  Db: type not modelled" in out


def test_up_strict_refuses_what_is_not_modelled(tmp_path: Path) -> None:
    path = write(tmp_path, "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n")
    code, out, err = cli("up", path, "--strict")
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {path}:2: 1 thing(s) not modelled (strict mode): Db: resource type")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: {QueueName: !Ref Nope}\n", ":2: refers to 'Nope'"),
        ("Resources:\n  Q: {Type: AWS::SQS::Queue\n", ":3: "),
        ("Resources:\n  A: {Type: AWS::SQS::Queue, DependsOn: A}\n", ":2: circular dependency between resources: A -> A"),
    ],
    ids=["dangling-ref", "malformed-yaml", "self-dependency"],
)
def test_a_bad_template_exits_2_naming_file_and_line_without_a_traceback(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    code, out, err = cli("up", path)
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {path}{expected}")
    assert "Traceback" not in err


def test_parameters_and_imports_must_be_key_value(tmp_path: Path) -> None:
    path = write(tmp_path, "Resources:\n  Q: {Type: AWS::SQS::Queue}\n")
    assert cli("up", path, "--parameter", "Stage")[0] == 2
    code, _, err = cli("up", path, "--import", "=x")
    assert code == 2 and "--import '=x': expected KEY=VALUE" in err


def test_a_missing_template_file_exits_2(tmp_path: Path) -> None:
    code, _, err = cli("up", tmp_path / "nope.yaml")
    assert code == 2 and "no such template file" in err


def test_imports_resolve_import_value(tmp_path: Path) -> None:
    path = write(tmp_path, "Resources:\n  Q: {Type: AWS::SQS::Queue, Properties: {QueueName: !ImportValue shared-name}}\n"
                           "Outputs:\n  Url: {Value: !Ref Q}\n")
    code, out, _ = cli("up", path, "--import", "shared-name=from-elsewhere")
    assert code == 0 and "Url = https://sqs.us-east-1.amazonaws.com/123456789012/from-elsewhere" in out


MISSHAPEN = [
    "Resources: [1, 2]\n",
    "Resources:\n  Q: {Type: AWS::SQS::Queue, Properties: [1]}\n",
    "Resources:\n  Q: {Type: AWS::SQS::Queue}\nOutputs: [1]\n",
    "Resources:\n  Q: {Type: AWS::SQS::Queue, DependsOn: 5}\n",
    "Parameters: [1]\nResources:\n  Q: {Type: AWS::SQS::Queue}\n",
    "Conditions:\n  C: notabool\nResources:\n  Q: {Type: AWS::SQS::Queue, Condition: C}\n",
    "Resources:\n  Q: {Type: AWS::SQS::Queue, Properties: {QueueName: {Ref: [1]}}}\n",
    "Resources:\n  Q: {Type: AWS::SQS::Queue, Properties: {QueueName: {'Fn::Join': 3}}}\n",
    "Resources:\n  Q: {Type: AWS::SQS::Queue, Properties: {QueueName: [a, b]}}\n",
    "Resources:\n  T: {Type: AWS::DynamoDB::Table, Properties: {KeySchema: 5}}\n",
    "Resources:\n  F: {Type: AWS::Lambda::Function, Properties: {Code: 5, Role: r}}\n",
    "Transform: AWS::Serverless-2016-10-31\nResources:\n  F: {Type: AWS::Serverless::Function, Properties: 5}\n",
    "Mappings: 5\nResources:\n  Q: {Type: AWS::SQS::Queue}\n",
    "Resources:\n  Q: {Type: AWS::SQS::Queue, Properties: {QueueName: !Sub [1, 2]}}\n",
    "Resources:\n  Q: {Type: AWS::SQS::Queue, Properties: {Tags: 5}}\n",
    "Resources:\n  Q: {Type: AWS::SQS::Queue, Properties: {RedrivePolicy: notjson}}\n",
]


@pytest.mark.parametrize("text", MISSHAPEN, ids=[f"misshapen-{i}" for i in range(len(MISSHAPEN))])
def test_a_misshapen_template_exits_2_with_its_file_and_line(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    code, out, err = cli("up", path)
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {path}:") and "Traceback" not in err
