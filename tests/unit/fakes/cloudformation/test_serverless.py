"""Reading a Serverless Framework service: variables, functions and their events, and refusals with their line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventproof_fakes import FakeAWS
from eventproof_fakes.cloudformation import TemplateError
from eventproof_fakes.cloudformation.serverless import serverless_template

HANDLER = """\
import json
import os

import boto3


def handler(event, context):
    table = boto3.resource("dynamodb").Table(os.environ["TABLE"])
    for record in event.get("Records", []):
        body = json.loads(record["body"]) if "body" in record else json.loads(record["Sns"]["Message"])
        table.put_item(Item={"id": body["id"], "stage": os.environ["STAGE"]})
"""

SERVICE = """\
service: orders
provider:
  name: aws
  runtime: python3.12
  stage: ${opt:stage, 'dev'}
  environment:
    STAGE: ${sls:stage}
    TABLE: ${self:custom.table}
custom:
  table: orders-${sls:stage}
functions:
  record:
    handler: src/app.handler
    timeout: 10
    events:
      - sqs: {arn: !GetAtt Intake.Arn, batchSize: 5, functionResponseType: ReportBatchItemFailures}
      - sns: order-events
      - schedule: rate(5 minutes)
resources:
  Resources:
    Intake:
      Type: AWS::SQS::Queue
      Properties: {QueueName: '${self:service}-intake-${sls:stage}'}
    Orders:
      Type: AWS::DynamoDB::Table
      Properties:
        TableName: ${self:custom.table}
        BillingMode: PAY_PER_REQUEST
        AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
        KeySchema: [{AttributeName: id, KeyType: HASH}]
"""


def service(tmp_path: Path, text: str = SERVICE) -> Path:
    (tmp_path / "src").mkdir(exist_ok=True)
    (tmp_path / "src" / "app.py").write_text(HANDLER)
    path = tmp_path / "serverless.yml"
    path.write_text(text)
    return path


def test_the_service_deploys_with_its_variables_functions_and_events(tmp_path: Path) -> None:
    aws = FakeAWS.from_template(service(tmp_path), parameters={"stage": "test"})
    assert aws.cloudformation.stack().name == "orders-test"
    function = aws.client("lambda").get_function(FunctionName="orders-test-record")["Configuration"]
    assert function["Handler"] == "src.app.handler" and function["Timeout"] == 10
    assert function["Environment"]["Variables"] == {"STAGE": "test", "TABLE": "orders-test"}
    mapping = aws.client("lambda").list_event_source_mappings(FunctionName="orders-test-record")
    assert [(m["BatchSize"], m["FunctionResponseTypes"]) for m in mapping["EventSourceMappings"]] == [
        (5, ["ReportBatchItemFailures"])]
    sqs, sns = aws.client("sqs"), aws.client("sns")
    sqs.send_message(QueueUrl=sqs.get_queue_url(QueueName="orders-intake-test")["QueueUrl"],
                     MessageBody=json.dumps({"id": "from-sqs"}))
    topic = next(t["TopicArn"] for t in sns.list_topics()["Topics"] if t["TopicArn"].endswith(":order-events"))
    sns.publish(TopicArn=topic, Message=json.dumps({"id": "from-sns"}))
    aws.run_until_idle()
    items = aws.resource("dynamodb").Table("orders-test").scan()["Items"]
    assert sorted((i["id"], i["stage"]) for i in items) == [("from-sns", "test"), ("from-sqs", "test")]
    rules = aws.client("events").list_rules()["Rules"]
    assert [r["ScheduleExpression"] for r in rules] == ["rate(5 minutes)"]


def test_the_stage_defaults_as_the_service_says(tmp_path: Path) -> None:
    text, stack = serverless_template(service(tmp_path))
    template = json.loads(text)
    assert stack == "orders-dev"
    function = template["Resources"]["RecordLambdaFunction"]["Properties"]
    assert function["FunctionName"] == "orders-dev-record"
    assert function["Environment"]["Variables"]["TABLE"] == "orders-dev"


@pytest.mark.parametrize(("change", "line", "message"), [
    (("custom:\n", "plugins: [serverless-offline]\ncustom:\n"), 9, "'plugins' is not modelled"),
    (("${self:custom.table}\n", "${ssm:/orders/table}\n"), 8, "the source 'ssm' is not modelled"),
    (("      - schedule: rate(5 minutes)\n", "      - alexaSkill: amzn1.ask.skill.x\n"), 18,
     "event type 'alexaSkill' is not modelled"),
    (("batchSize: 5,", "batchSize: 5, startingPosition: LATEST,"), 16, "sqs.startingPosition is not modelled"),
    (("    timeout: 10\n", "    timeout: 10\n    layers: [arn:aws:lambda:us-east-1:1:layer:x:1]\n"), 15,
     "functions.record.layers is not modelled"),
    (("  stage: ${opt:stage, 'dev'}\n", "  stage: ${opt:stage, 'dev'}\n  vpc: {}\n"), 6, "provider.vpc is not modelled"),
])
def test_what_is_not_understood_is_refused_with_its_line(
        tmp_path: Path, change: tuple[str, str], line: int, message: str) -> None:
    path = service(tmp_path, SERVICE.replace(*change, 1))
    with pytest.raises(TemplateError) as refused:
        serverless_template(path)
    assert refused.value.line == line and message in refused.value.message, refused.value.describe()
