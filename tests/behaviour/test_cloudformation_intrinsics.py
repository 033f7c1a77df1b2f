"""Template cases for intrinsics, parameters, conditions, mappings, imports and outputs, on the fakes and moto.

Each resolved value lands in a queue's name or tag (or an output), and is read back through boto3.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from tests.behaviour.cloudformation_harness import Deployed, deployed, write_template

CASES: list[Any] = []


def case(name: str, text: str, expected: dict[str, str], *, parameters: dict[str, str] | None = None,
         imports: dict[str, str] | None = None) -> None:
    """``expected``: output name -> value; ``Tagged`` outputs are read back from the queue's tags."""
    CASES.append(pytest.param(text, expected, parameters, imports, id=name))


def tagged(value: str, extra: str = "") -> str:
    """A template whose queue carries ``value`` as its ``v`` tag, read back through ListQueueTags."""
    return extra + f"""Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      Tags: [{{Key: v, Value: {value}}}]
"""


case("ref-parameter-default", tagged("!Ref Stage", "Parameters:\n  Stage: {Type: String, Default: dev}\n"), {"v": "dev"})
case("parameter-override", tagged("!Ref Stage", "Parameters:\n  Stage: {Type: String, Default: dev, AllowedValues: [dev, prod]}\n"),
     {"v": "prod"}, parameters={"Stage": "prod"})
case("number-parameter", tagged("!Ref Size", "Parameters:\n  Size: {Type: Number, Default: 3, MinValue: 1, MaxValue: 9}\n"),
     {"v": "3"})
case("comma-list-parameter-and-select", tagged("!Select [1, !Ref Names]", "Parameters:\n  Names: {Type: CommaDelimitedList, Default: 'a,b,c'}\n"),
     {"v": "b"})
case("pseudo-parameters", tagged("!Sub '${AWS::Region}/${AWS::AccountId}/${AWS::StackName}/${AWS::Partition}/${AWS::URLSuffix}'"),
     {"v": "us-east-1/123456789012/cases/aws/amazonaws.com"})
case("sub-with-variables", tagged("!Sub ['${a}-${b}', {a: x, b: !Ref AWS::Region}]"), {"v": "x-us-east-1"})
case("nested-sub-join-and-select", tagged(
    "!Sub ['${head}-${tail}', {head: !Join ['.', [!Select [0, !Split ['/', 'p/q/r']], !Sub '${AWS::Region}']], tail: !Sub ['${x}', {x: z}]}]"),
    {"v": "p.us-east-1-z"})
case("sub-escaped-literal", tagged("!Sub '${!NotAVariable}-${AWS::Region}'"), {"v": "${NotAVariable}-us-east-1"})
case("join", tagged("!Join [':', [a, b, c]]"), {"v": "a:b:c"})
case("split-and-select", tagged("!Select [2, !Split [',', 'x,y,z']]"), {"v": "z"})
case("getazs-and-select", tagged("!Select [0, !GetAZs '']"), {"v": "us-east-1a"})
case("base64", tagged("!Base64 hello"), {"v": base64.b64encode(b"hello").decode()})
case("find-in-map", tagged("!FindInMap [Sizes, !Ref Stage, Memory]", """Parameters:
  Stage: {Type: String, Default: prod}
Mappings:
  Sizes:
    dev: {Memory: '128'}
    prod: {Memory: '1024'}
"""), {"v": "1024"})
case("import-value-from-imports", tagged("!ImportValue shared-bus-name"), {"v": "central"}, imports={"shared-bus-name": "central"})
_CONDITIONS = """Parameters:
  Stage: {Type: String, Default: dev}
  Region: {Type: String, Default: eu}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsEu: !Equals [eu, !Ref Region]
  ProdInEu: !And [!Condition IsProd, !Condition IsEu]
  DevOrEu: !Or [!Not [!Condition IsProd], !Condition IsEu]
"""
case("if-false-branch", tagged("!If [IsProd, big, small]", _CONDITIONS), {"v": "small"})
case("if-true-branch", tagged("!If [IsProd, big, small]", _CONDITIONS), {"v": "big"}, parameters={"Stage": "prod"})
case("and-or-not-conditions", tagged("!Join ['-', [!If [ProdInEu, a, b], !If [DevOrEu, c, d]]]", _CONDITIONS), {"v": "b-c"})
case("get-att-queue-name", tagged("!GetAtt Other.QueueName") + "  Other: {Type: AWS::SQS::Queue, Properties: {QueueName: other}}\n",
     {"v": "other"})
case("depends-on-and-ref-url", tagged("!Ref Other") + "  Other: {Type: AWS::SQS::Queue, Properties: {QueueName: other}}\n",
     {"v": "https://sqs.us-east-1.amazonaws.com/123456789012/other"})


@pytest.mark.parametrize(("text", "expected", "parameters", "imports"), CASES)
def test_an_intrinsic_resolves_to_what_boto3_reads_back(
    aws_backend: str, tmp_path: Path, text: str, expected: dict[str, str],
    parameters: dict[str, str] | None, imports: dict[str, str] | None,
) -> None:
    with deployed(aws_backend, write_template(tmp_path, text), parameters=parameters, imports=imports) as d:
        tags = d.client("sqs").list_queue_tags(QueueUrl=d.physical["Q"]).get("Tags", {})
        assert {k: tags.get(k) for k in expected} == expected


def _built_names(d: Deployed) -> list[str]:
    return sorted(url.rsplit("/", 1)[1] for url in d.client("sqs").list_queues().get("QueueUrls", []))


def test_a_resource_whose_condition_is_false_is_not_built_and_no_value_drops_a_property(aws_backend: str, tmp_path: Path) -> None:
    text = """Parameters:
  Stage: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Always:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: always
      DelaySeconds: !If [IsProd, 5, !Ref AWS::NoValue]
  ProdOnly:
    Type: AWS::SQS::Queue
    Condition: IsProd
    Properties: {QueueName: prod-only}
Outputs:
  Picked: {Value: !If [IsProd, !Ref ProdOnly, none]}
  ProdUrl: {Condition: IsProd, Value: !Ref ProdOnly}
"""
    with deployed(aws_backend, write_template(tmp_path, text)) as d:
        assert _built_names(d) == ["always"]
        attributes = d.client("sqs").get_queue_attributes(QueueUrl=d.physical["Always"], AttributeNames=["DelaySeconds"])
        assert attributes["Attributes"]["DelaySeconds"] == "0"
        assert d.outputs == {"Picked": "none"}
        assert d.not_built == {"ProdOnly": "condition IsProd is false"}


def test_depends_on_orders_creation_even_without_a_reference(aws_backend: str, tmp_path: Path) -> None:
    text = """Resources:
  Late: {Type: AWS::SQS::Queue, DependsOn: [Middle], Properties: {QueueName: late}}
  Middle: {Type: AWS::SQS::Queue, DependsOn: Early, Properties: {QueueName: middle}}
  Early: {Type: AWS::SQS::Queue, Properties: {QueueName: early}}
"""
    with deployed(aws_backend, write_template(tmp_path, text)) as d:
        assert list(d.physical) == ["Early", "Middle", "Late"]
        assert _built_names(d) == ["early", "late", "middle"]


def test_outputs_and_exports_are_computed(aws_backend: str, tmp_path: Path) -> None:
    text = """Resources:
  Q: {Type: AWS::SQS::Queue, Properties: {QueueName: orders}}
Outputs:
  Url: {Value: !Ref Q, Description: the queue, Export: {Name: !Sub '${AWS::StackName}-url'}}
  Arn: {Value: !GetAtt Q.Arn}
"""
    with deployed(aws_backend, write_template(tmp_path, text)) as d:
        arn = d.client("sqs").get_queue_attributes(QueueUrl=d.outputs["Url"], AttributeNames=["QueueArn"])
        assert d.outputs["Arn"] == arn["Attributes"]["QueueArn"]
