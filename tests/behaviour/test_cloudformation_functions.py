"""Template cases for Lambda: plain and SAM functions, every event source, mappings, invoke configs.

SAM templates are expanded by AWS's own aws-sam-translator; what it makes
(roles, mappings, rules, subscriptions, permissions) is read back via boto3.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.behaviour.cloudformation_harness import (
    Deployed,
    deployed,
    mappings_of,
    queue_attributes,
    write_template,
)

CASES: list[Any] = []
SAM = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n"
FUNCTION = """
  F:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.lambda_handler
      Runtime: python3.12
"""


def case(name: str, text: str, check: Any, *, fakes_only: str | None = None) -> None:
    marks = [pytest.mark.fakes_only] if fakes_only else []
    CASES.append(pytest.param(text, check, id=name, marks=marks))


def configuration(d: Deployed, logical_id: str = "F") -> dict[str, Any]:
    return dict(d.client("lambda").get_function_configuration(FunctionName=d.physical[logical_id]))


def _plain(d: Deployed) -> None:
    config = configuration(d)
    assert (config["Handler"], config["Timeout"], config["MemorySize"]) == ("index.handler", 20, 256)
    assert config["Environment"]["Variables"] == {"TABLE": "orders"}
    assert d.outputs["Arn"] == config["FunctionArn"]


case("lambda-function-inline-code", """
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}
  F:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Timeout: 20
      MemorySize: 256
      Environment: {Variables: {TABLE: orders}}
      Code:
        ZipFile: |
          def handler(event, context):
              return event
Outputs:
  Arn: {Value: !GetAtt F.Arn}
""", _plain)

case("sam-function-reserved-concurrency", SAM + "Resources:" + FUNCTION + "      ReservedConcurrentExecutions: 3\n",
     lambda d: d.client("lambda").get_function_concurrency(FunctionName=d.physical["F"])[
         "ReservedConcurrentExecutions"] == 3 or pytest.fail("concurrency"))

case("sam-function-dead-letter-queue", SAM + "Resources:\n  Dlq: {Type: AWS::SQS::Queue}" + FUNCTION
     + "      DeadLetterQueue: {Type: SQS, TargetArn: !GetAtt Dlq.Arn}\n",
     lambda d: configuration(d)["DeadLetterConfig"]["TargetArn"] == queue_attributes(d, "Dlq")["QueueArn"]
     or pytest.fail("dlq"),
     # moto's GetFunctionConfiguration leaves DeadLetterConfig out; AWS returns it:
     # https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConfiguration.html
     fakes_only="moto omits DeadLetterConfig")

case("sam-globals-apply-to-every-function", SAM + """Globals:
  Function:
    Timeout: 12
    Environment: {Variables: {STAGE: test}}
Resources:""" + FUNCTION, lambda d: (configuration(d)["Timeout"] == 12
                                    and configuration(d)["Environment"]["Variables"] == {"STAGE": "test"})
     or pytest.fail(str(configuration(d))))

case("lambda-layers-are-reported", SAM + "Resources:" + FUNCTION + "      Layers: [arn:aws:lambda:us-east-1:123456789012:layer:x:1]\n",
     lambda d: d.reported("F") == ["property Layers: layers are not modelled: put shared code in the function's folder"]
     or pytest.fail(str(d.report.lines())))


def _sqs_event(d: Deployed) -> None:
    (mapping,) = mappings_of(d, "F")
    assert mapping["EventSourceArn"] == queue_attributes(d, "Q")["QueueArn"]
    assert mapping["BatchSize"] == 5
    assert json.loads(mapping["FilterCriteria"]["Filters"][0]["Pattern"]) == {"body": {"kind": ["order"]}}
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


case("sam-sqs-event-with-filter-and-partial-batch", SAM + "Resources:\n  Q: {Type: AWS::SQS::Queue}" + FUNCTION + """      Events:
        In:
          Type: SQS
          Properties:
            Queue: !GetAtt Q.Arn
            BatchSize: 5
            FunctionResponseTypes: [ReportBatchItemFailures]
            FilterCriteria: {Filters: [{Pattern: '{"body": {"kind": ["order"]}}'}]}
""", _sqs_event)


def _stream_event(d: Deployed) -> None:
    (mapping,) = mappings_of(d, "F")
    assert mapping["EventSourceArn"] == d.client("dynamodb").describe_table(TableName=d.physical["T"])["Table"]["LatestStreamArn"]
    assert (mapping["StartingPosition"], mapping["BisectBatchOnFunctionError"], mapping["MaximumRetryAttempts"]) == ("TRIM_HORIZON", True, 2)
    assert mapping["DestinationConfig"]["OnFailure"]["Destination"] == queue_attributes(d, "Dlq")["QueueArn"]


case("sam-dynamodb-event-with-bisect-and-failure-destination", SAM + """Resources:
  Dlq: {Type: AWS::SQS::Queue}
  T:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      StreamSpecification: {StreamViewType: NEW_IMAGE}""" + FUNCTION + """      Events:
        Changes:
          Type: DynamoDB
          Properties:
            Stream: !GetAtt T.StreamArn
            StartingPosition: TRIM_HORIZON
            BatchSize: 10
            BisectBatchOnFunctionError: true
            MaximumRetryAttempts: 2
            DestinationConfig: {OnFailure: {Destination: !GetAtt Dlq.Arn}}
""", _stream_event)


def _sns_event(d: Deployed) -> None:
    sns = d.client("sns")
    (subscription,) = sns.list_subscriptions_by_topic(TopicArn=d.physical["T"])["Subscriptions"]
    assert subscription["Protocol"] == "lambda" and subscription["Endpoint"] == configuration(d)["FunctionArn"]
    attributes = sns.get_subscription_attributes(SubscriptionArn=subscription["SubscriptionArn"])["Attributes"]
    assert json.loads(attributes["FilterPolicy"]) == {"kind": ["refund"]}


case("sam-sns-event-with-filter-policy", SAM + "Resources:\n  T: {Type: AWS::SNS::Topic}" + FUNCTION + """      Events:
        Notes:
          Type: SNS
          Properties: {Topic: !Ref T, FilterPolicy: {kind: [refund]}}
""", _sns_event)


def _rule_targets_function(rule_logical_id: str, pattern: dict[str, Any] | None = None, schedule: str | None = None) -> Any:
    def check(d: Deployed) -> None:
        events = d.client("events")
        name = d.physical[rule_logical_id].rsplit("|", 1)[-1]
        rule = events.describe_rule(Name=name)
        if pattern is not None:
            assert json.loads(rule["EventPattern"]) == pattern
        if schedule is not None:
            assert rule["ScheduleExpression"] == schedule
        arns = [t["Arn"] for t in events.list_targets_by_rule(Rule=name)["Targets"]]
        assert arns == [configuration(d)["FunctionArn"]]

    return check


case("sam-eventbridge-rule-event", SAM + "Resources:" + FUNCTION + """      Events:
        Placed:
          Type: EventBridgeRule
          Properties: {Pattern: {source: [shop], detail-type: [OrderPlaced]}}
""", _rule_targets_function("FPlaced", {"source": ["shop"], "detail-type": ["OrderPlaced"]}))
case("sam-cloudwatch-event", SAM + "Resources:" + FUNCTION + """      Events:
        Old:
          Type: CloudWatchEvent
          Properties: {Pattern: {source: [legacy]}}
""", _rule_targets_function("FOld", {"source": ["legacy"]}))
case("sam-schedule-event", SAM + "Resources:" + FUNCTION + """      Events:
        Tick:
          Type: Schedule
          Properties: {Schedule: rate(1 hour)}
""", _rule_targets_function("FTick", schedule="rate(1 hour)"))


def _invoke_config(d: Deployed) -> None:
    config = d.client("lambda").get_function_event_invoke_config(FunctionName=d.physical["F"])
    assert config["MaximumRetryAttempts"] == 1 and config["MaximumEventAgeInSeconds"] == 600
    assert config["DestinationConfig"]["OnSuccess"]["Destination"] == d.physical["T"]
    assert config["DestinationConfig"]["OnFailure"]["Destination"] == queue_attributes(d, "Q")["QueueArn"]


case("sam-event-invoke-config-with-destinations", SAM + "Resources:\n  T: {Type: AWS::SNS::Topic}\n  Q: {Type: AWS::SQS::Queue}"
     + FUNCTION + """      EventInvokeConfig:
        MaximumRetryAttempts: 1
        MaximumEventAgeInSeconds: 600
        DestinationConfig:
          OnSuccess: {Type: SNS, Destination: !Ref T}
          OnFailure: {Type: SQS, Destination: !GetAtt Q.Arn}
""", _invoke_config)


def _plain_mapping(d: Deployed) -> None:
    (mapping,) = mappings_of(d, "F")
    assert mapping["BatchSize"] == 3 and mapping["UUID"] == d.physical["M"]
    assert mapping["MaximumBatchingWindowInSeconds"] == 2


case("lambda-event-source-mapping-and-permission", SAM + "Resources:\n  Q: {Type: AWS::SQS::Queue}" + FUNCTION + """
  M:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {FunctionName: !Ref F, EventSourceArn: !GetAtt Q.Arn, BatchSize: 3, MaximumBatchingWindowInSeconds: 2}
  P:
    Type: AWS::Lambda::Permission
    Properties: {FunctionName: !Ref F, Action: lambda:InvokeFunction, Principal: sqs.amazonaws.com}
""", _plain_mapping)

case("lambda-event-invoke-config-resource", SAM + "Resources:" + FUNCTION + """
  C:
    Type: AWS::Lambda::EventInvokeConfig
    Properties: {FunctionName: !Ref F, Qualifier: $LATEST, MaximumRetryAttempts: 0}
""", lambda d: d.client("lambda").get_function_event_invoke_config(FunctionName=d.physical["F"])[
    "MaximumRetryAttempts"] == 0 or pytest.fail("config"))


def _not_on_fakes_yet(logical_id: str, service: str) -> Any:
    """Built where the target answers the service, reported by logical id where it does not."""

    def check(d: Deployed) -> None:
        if d.backend == "fakes" and logical_id not in d.physical:
            assert any(service in line for line in d.reported(logical_id)), d.report.lines()
        else:
            assert logical_id in d.physical, d.not_built

    return check


case("sam-kinesis-event", SAM + "Resources:\n  S: {Type: AWS::Kinesis::Stream, Properties: {ShardCount: 1}}" + FUNCTION + """      Events:
        K: {Type: Kinesis, Properties: {Stream: !GetAtt S.Arn, StartingPosition: LATEST}}
""", _not_on_fakes_yet("S", "kinesis"))
case("sam-s3-event", SAM + "Resources:\n  B: {Type: AWS::S3::Bucket}" + FUNCTION + """      Events:
        Up: {Type: S3, Properties: {Bucket: !Ref B, Events: s3:ObjectCreated:*}}
""", _not_on_fakes_yet("B", "s3"))
case("sam-api-event", SAM + "Resources:" + FUNCTION + """      Events:
        Get: {Type: Api, Properties: {Path: /orders, Method: get}}
""", _not_on_fakes_yet("ServerlessRestApi", "apigateway"),
     # moto 5.2's ImportRestApi raises KeyError on the OpenAPI body SAM generates (no info.description).
     fakes_only="moto's ImportRestApi fails on SAM's body")

case("sam-http-api-event", SAM + "Resources:" + FUNCTION + """      Events:
        Get: {Type: HttpApi, Properties: {Path: /orders, Method: get}}
""", _not_on_fakes_yet("ServerlessHttpApi", "apigatewayv2"),
     # moto 5.2 has no ImportApi for HTTP APIs (NotImplementedError); AWS has:
     # https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis.html
     fakes_only="moto lacks apigatewayv2 ImportApi")
case("sam-schedule-v2-event", SAM + "Resources:" + FUNCTION + """      Events:
        Nightly: {Type: ScheduleV2, Properties: {ScheduleExpression: cron(0 2 * * ? *)}}
""", _not_on_fakes_yet("FNightly", "scheduler"))

case("pipes-stream-to-function-with-filter-and-template", SAM + """Resources:
  T:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      StreamSpecification: {StreamViewType: NEW_IMAGE}""" + FUNCTION + """
  P:
    Type: AWS::Pipes::Pipe
    Properties:
      RoleArn: arn:aws:iam::123456789012:role/pipes
      Source: !GetAtt T.StreamArn
      SourceParameters:
        DynamoDBStreamParameters: {StartingPosition: LATEST, BatchSize: 1}
        FilterCriteria: {Filters: [{Pattern: '{"eventName": ["INSERT"]}'}]}
      Target: !GetAtt F.Arn
      TargetParameters: {InputTemplate: '{"id": <$.dynamodb.NewImage.id.S>}'}
""", lambda d: d.client("pipes").describe_pipe(Name=d.physical["P"])["TargetParameters"]["InputTemplate"]
     == '{"id": <$.dynamodb.NewImage.id.S>}' or pytest.fail("pipe"))


@pytest.mark.parametrize(("text", "check"), CASES)
def test_a_function_case_provisions_what_boto3_reads_back(aws_backend: str, tmp_path: Path, text: str, check: Any) -> None:
    with deployed(aws_backend, write_template(tmp_path, text)) as d:
        check(d)


def test_a_template_built_function_runs_its_own_code_with_its_own_variables(tmp_path: Path) -> None:
    """Two functions, each an app.py with lambda_handler in its own folder, each seeing its own STAGE."""
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "helper.py").write_text(f"WHO = {name!r}\n")
        (tmp_path / name / "app.py").write_text(
            "import os\nfrom helper import WHO\n\ndef lambda_handler(event, context):\n"
            "    return {'who': WHO, 'stage': os.environ['STAGE'], 'name': os.environ['AWS_LAMBDA_FUNCTION_NAME']}\n"
        )
    text = SAM + "Resources:\n" + "".join(
        f"  {name.title()}:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        f"      CodeUri: {name}/\n      Handler: app.lambda_handler\n      Runtime: python3.12\n"
        f"      FunctionName: fn-{name}\n      Environment: {{Variables: {{STAGE: stage-{name}}}}}\n"
        for name in ("one", "two")
    )
    path = tmp_path / "template.yaml"
    path.write_text(text)
    with deployed("fakes", path) as d:
        lambda_client = d.client("lambda")
        for name in ("one", "two"):
            payload = json.loads(lambda_client.invoke(FunctionName=f"fn-{name}")["Payload"].read())
            assert payload == {"who": name, "stage": f"stage-{name}", "name": f"fn-{name}"}


def test_cdk_output_runs_the_asset_folder_of_each_function(tmp_path: Path) -> None:
    """cdk synth writes cdk.out/<Stack>.template.json and asset.<hash>/ folders; Metadata names each one."""
    out = tmp_path / "cdk.out"
    (out / "asset.abc123").mkdir(parents=True)
    (out / "asset.abc123" / "index.py").write_text("def handler(event, context):\n    return {'cdk': event['n'] + 1}\n")
    template = {
        "Resources": {
            "FnServiceRole1": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": []}}},
            "Fn9270CBC0": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Code": {"S3Bucket": {"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"},
                             "S3Key": "abc123.zip"},
                    "Role": {"Fn::GetAtt": ["FnServiceRole1", "Arn"]},
                    "Handler": "index.handler",
                    "Runtime": "python3.12",
                },
                "DependsOn": ["FnServiceRole1"],
                "Metadata": {"aws:cdk:path": "Stack/Fn/Resource", "aws:asset:path": "asset.abc123",
                             "aws:asset:is-bundled": False, "aws:asset:property": "Code"},
            },
        },
        "Outputs": {"Name": {"Value": {"Ref": "Fn9270CBC0"}}},
    }
    path = out / "Stack.template.json"
    path.write_text(json.dumps(template, indent=1))
    with deployed("fakes", path) as d:
        answer = d.client("lambda").invoke(FunctionName=d.outputs["Name"], Payload=b'{"n": 41}')
        assert json.loads(answer["Payload"].read()) == {"cdk": 42}
