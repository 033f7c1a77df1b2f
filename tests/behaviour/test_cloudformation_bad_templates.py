"""Bad templates: a clear error with the file, the line and what was expected; nothing left behind.

These are template checks (the same code runs for every backend), so they run on the fakes and
read back through boto3 that a failed stack left no resource.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eventproof_fakes import FakeAWS
from eventproof_fakes.cloudformation import StrictModeError, TemplateError
from tests.behaviour.cloudformation_harness import write_template

CASES = [
    pytest.param("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: [unclosed\n",
                 6, "not valid YAML", id="malformed-yaml"),
    pytest.param("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: {QueueName: !Reff X}\n",
                 4, "unknown tag !Reff", id="unknown-short-form-tag"),
    pytest.param("Resources:\n  Q: {Type: AWS::SQS::Queue}\n  Q: {Type: AWS::SNS::Topic}\n",
                 3, "duplicate key 'Q'", id="duplicate-logical-id"),
    pytest.param("Description: nothing\n", 1, "expected a Resources section", id="no-resources"),
    pytest.param("Resource:\n  Q: {Type: AWS::SQS::Queue}\n", 1, "unknown top-level section 'Resource'", id="misspelt-section"),
    pytest.param("Resources:\n  Q:\n    Properties: {}\n", 2, "needs a Type", id="resource-without-type"),
    pytest.param("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueNme: x\n",
                 5, "has no property 'QueueNme'", id="unknown-property"),
    pytest.param("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Ref Missing\n",
                 2, "refers to 'Missing'", id="dangling-ref"),
    pytest.param("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !GetAtt Missing.Arn\n",
                 2, "refers to 'Missing'", id="dangling-getatt"),
    pytest.param("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub '${Missing}-q'\n",
                 2, "refers to 'Missing'", id="dangling-sub"),
    pytest.param("Resources:\n  A: {Type: AWS::SQS::Queue, DependsOn: B}\n  B: {Type: AWS::SQS::Queue, DependsOn: A}\n",
                 2, "circular dependency between resources: A -> B -> A", id="circular-depends-on"),
    pytest.param("Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Properties: {QueueName: !GetAtt B.QueueName}\n"
                 "  B:\n    Type: AWS::SQS::Queue\n    Properties: {QueueName: !GetAtt A.QueueName}\n",
                 2, "circular dependency between resources: A -> B -> A", id="circular-ref"),
    pytest.param("Resources:\n  A: {Type: AWS::SQS::Queue, DependsOn: Nope}\n", 2, "DependsOn names 'Nope'", id="depends-on-unknown"),
    pytest.param("Resources:\n  Q: {Type: AWS::SQS::Queue}\n  T:\n    Type: AWS::SNS::Topic\n    Properties: {TopicName: !GetAtt Q.Colour}\n",
                 5, "has no attribute 'Colour'", id="unknown-attribute"),
    pytest.param("Resources:\n  S:\n    Type: AWS::SNS::Subscription\n    Properties: {Protocol: sqs}\n",
                 2, "needs the property TopicArn", id="missing-required-property"),
    pytest.param("Parameters:\n  Stage: {Type: String}\nResources:\n  Q: {Type: AWS::SQS::Queue, Properties: {QueueName: !Ref Stage}}\n",
                 2, "parameter Stage has no Default", id="parameter-without-value"),
    pytest.param("Parameters:\n  Stage: {Type: String, Default: qa, AllowedValues: [dev, prod]}\nResources:\n  Q: {Type: AWS::SQS::Queue}\n",
                 2, "'qa' is not one of", id="parameter-not-allowed"),
    pytest.param("Parameters:\n  N: {Type: Number, Default: 12, MaxValue: 10}\nResources:\n  Q: {Type: AWS::SQS::Queue}\n",
                 2, "above MaxValue", id="parameter-above-max"),
    pytest.param("Resources:\n  Q: {Type: AWS::SQS::Queue, Properties: {QueueName: !ImportValue nowhere}}\n",
                 2, "no export named 'nowhere'", id="import-value-not-given"),
    pytest.param("Resources:\n  Q: {Type: AWS::SQS::Queue, Properties: {QueueName: !FindInMap [M, a, b]}}\n",
                 2, "no M/a/b in Mappings", id="find-in-map-missing"),
    pytest.param("Resources:\n  Q: {Type: AWS::SQS::Queue, Properties: {VisibilityTimeout: 999999}}\n",
                 2, "creating AWS::SQS::Queue failed", id="aws-refuses-a-value"),
]


@pytest.mark.parametrize(("text", "line", "message"), CASES)
def test_a_bad_template_names_the_file_the_line_and_what_was_expected(
    tmp_path: Path, text: str, line: int | None, message: str
) -> None:
    path = write_template(tmp_path, text)
    aws = FakeAWS()
    with pytest.raises(TemplateError) as raised:
        aws.cloudformation.deploy(path)
    error = raised.value
    assert message in error.message
    assert error.line == line
    assert error.describe().startswith(f"{path}:{line}:" if line else f"{path}:")
    assert aws.client("sqs").list_queues().get("QueueUrls", []) == []


def test_an_undeclared_parameter_override_is_refused(tmp_path: Path) -> None:
    path = write_template(tmp_path, "Resources:\n  Q: {Type: AWS::SQS::Queue}\n")
    with pytest.raises(TemplateError, match="parameter 'Stag' is not declared"):
        FakeAWS().cloudformation.deploy(path, parameters={"Stag": "dev"})


def test_an_unknown_type_is_reported_with_its_line_and_refused_in_strict_mode(tmp_path: Path) -> None:
    path = write_template(tmp_path, "Resources:\n  Q: {Type: AWS::SQS::Queue}\n  Db:\n    Type: AWS::RDS::DBInstance\n")
    aws = FakeAWS()
    stack = aws.cloudformation.deploy(path)
    assert stack.report.lines() == [f"{path}:3: Db: resource type: AWS::RDS::DBInstance is not modelled by eventproof's CloudFormation"]
    assert len(aws.client("sqs").list_queues()["QueueUrls"]) == 1
    with pytest.raises(StrictModeError, match="AWS::RDS::DBInstance") as raised:
        FakeAWS().cloudformation.deploy(path, strict=True)
    assert raised.value.line == 3


def test_an_intrinsic_that_is_not_modelled_is_reported_and_its_property_left_out(tmp_path: Path) -> None:
    path = write_template(tmp_path, "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n"
                                    "      Tags: [{Key: c, Value: !Select [0, !Cidr [10.0.0.0/16, 2, 8]]}]\n")
    aws = FakeAWS()
    stack = aws.cloudformation.deploy(path)
    assert [(e.logical_id, e.line, e.what) for e in stack.report.entries] == [("Q", 5, "property Tags")]
    assert "Fn::Cidr" in stack.report.entries[0].detail
    assert aws.client("sqs").list_queue_tags(QueueUrl=stack.physical_id("Q")).get("Tags", {}) == {}


def test_a_ref_to_a_resource_that_was_not_built_is_reported_not_invented(tmp_path: Path) -> None:
    path = write_template(tmp_path, "Resources:\n  Db: {Type: AWS::RDS::DBInstance}\n"
                                    "  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags: [{Key: db, Value: !Ref Db}]\n")
    stack = FakeAWS().cloudformation.deploy(path)
    assert [(e.logical_id, e.line) for e in stack.report.entries] == [("Db", 2), ("Q", 6)]
    assert "Db was not created" in stack.report.entries[1].detail


def test_a_5_mb_template_is_refused_at_once_with_cloudformations_limit(tmp_path: Path) -> None:
    body = "Resources:\n" + "".join(
        f"  Queue{i}:\n    Type: AWS::SQS::Queue\n    Properties: {{QueueName: queue-{i:07d}-{'x' * 30}}}\n"
        for i in range(60_000)
    )
    assert len(body) > 5_000_000
    path = write_template(tmp_path, body)
    with pytest.raises(TemplateError, match="CloudFormation accepts at most 1,048,576"):
        FakeAWS().cloudformation.deploy(path)


def test_a_template_just_under_the_limit_with_500_resources_deploys(tmp_path: Path) -> None:
    body = "Resources:\n" + "".join(
        f"  Queue{i}:\n    Type: AWS::SQS::Queue\n    Properties: {{QueueName: q{i}, Tags: [{{Key: pad, Value: {'p' * 1500}}}]}}\n"
        for i in range(500)
    )
    assert 700_000 < len(body) < 1_048_576
    aws = FakeAWS()
    aws.cloudformation.deploy(write_template(tmp_path, body))
    assert len(aws.client("sqs").list_queues(MaxResults=1000)["QueueUrls"]) == 500


def test_more_than_500_resources_are_refused(tmp_path: Path) -> None:
    body = "Resources:\n" + "".join(f"  Q{i}: {{Type: AWS::SQS::Queue}}\n" for i in range(501))
    with pytest.raises(TemplateError, match="501 resources; CloudFormation accepts at most 500") as raised:
        FakeAWS().cloudformation.deploy(write_template(tmp_path, body))
    assert raised.value.line == 1


def test_the_sam_transform_refusing_a_function_names_its_line(tmp_path: Path) -> None:
    path = write_template(tmp_path, "Transform: AWS::Serverless-2016-10-31\nResources:\n  Orders:\n"
                                    "    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.h\n"
                                    "      Runtime: python3.12\n      CodeUri: src/\n"
                                    "      Events:\n        In: {Type: SQS, Properties: {BatchSize: 3}}\n")
    with pytest.raises(TemplateError, match=r"Missing required property 'Queue'") as raised:
        FakeAWS().cloudformation.deploy(path)
    assert raised.value.line == 3
