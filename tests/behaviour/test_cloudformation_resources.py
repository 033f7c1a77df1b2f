"""Template cases, one per resource type and property family, deployed on the fakes and on moto.

Each case deploys a small template through ``eventproof_fakes.cloudformation`` (on the
fakes: their CloudFormation; on moto: the same provisioner with moto's
clients) and reads what was built back through boto3 only.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.behaviour.cloudformation_harness import (
    Deployed,
    deployed,
    queue_attributes,
    write_template,
)

Check = Callable[[Deployed], None]
CASES: list[Any] = []


def case(name: str, resources: str, check: Check, *, fakes_only: str | None = None, head: str = "") -> None:
    """``fakes_only``: why moto cannot run it (with AWS's documentation for what the fakes do)."""
    text = "AWSTemplateFormatVersion: '2010-09-09'\n" + head + "Resources:\n" + resources
    marks = [pytest.mark.fakes_only] if fakes_only else []
    CASES.append(pytest.param(text, check, id=name, marks=marks))


# --- SQS -----------------------------------------------------------------------------
case("sqs-queue-named-with-attributes", """
  Q:
    Type: AWS::SQS::Queue
    Properties: {QueueName: orders, VisibilityTimeout: 45, DelaySeconds: 2, MessageRetentionPeriod: 3600}
""", lambda d: (
    d.physical["Q"].endswith("/orders")
    and queue_attributes(d, "Q")["VisibilityTimeout"] == "45"
    and queue_attributes(d, "Q")["DelaySeconds"] == "2"
    and queue_attributes(d, "Q")["MessageRetentionPeriod"] == "3600"
) or pytest.fail(str(queue_attributes(d, "Q"))))

case("sqs-queue-generated-name", """
  Q: {Type: AWS::SQS::Queue}
""", lambda d: d.physical["Q"].rsplit("/", 1)[1].startswith("cases-Q-") or pytest.fail(d.physical["Q"]))


def _redrive(d: Deployed) -> None:
    policy = json.loads(queue_attributes(d, "Work")["RedrivePolicy"])
    assert policy["deadLetterTargetArn"] == queue_attributes(d, "Dlq")["QueueArn"]
    assert int(policy["maxReceiveCount"]) == 4


case("sqs-redrive-policy", """
  Dlq: {Type: AWS::SQS::Queue}
  Work:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy: {deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 4}
""", _redrive)


def _fifo(d: Deployed) -> None:
    attributes = queue_attributes(d, "F")
    assert d.physical["F"].endswith(".fifo")
    assert attributes["FifoQueue"] == "true"
    assert attributes["ContentBasedDeduplication"] == "true"


case("sqs-fifo-generated-name", """
  F:
    Type: AWS::SQS::Queue
    Properties: {FifoQueue: true, ContentBasedDeduplication: true}
""", _fifo)

case("sqs-queue-policy", """
  Q: {Type: AWS::SQS::Queue}
  P:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Q]
      PolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: events.amazonaws.com}, Action: sqs:SendMessage, Resource: !GetAtt Q.Arn}]
""", lambda d: json.loads(queue_attributes(d, "Q")["Policy"])["Statement"][0]["Action"] == "sqs:SendMessage"
   or pytest.fail("no policy"))

case("sqs-tags", """
  Q:
    Type: AWS::SQS::Queue
    Properties: {Tags: [{Key: team, Value: payments}]}
""", lambda d: d.client("sqs").list_queue_tags(QueueUrl=d.physical["Q"])["Tags"] == {"team": "payments"}
   or pytest.fail("tags"))

# --- SNS -----------------------------------------------------------------------------


def _topic(d: Deployed) -> None:
    attributes = d.client("sns").get_topic_attributes(TopicArn=d.physical["T"])["Attributes"]
    assert d.physical["T"].endswith(":alerts")
    assert attributes["DisplayName"] == "Alerts"
    assert d.outputs["Name"] == "alerts"


case("sns-topic", """
  T:
    Type: AWS::SNS::Topic
    Properties: {TopicName: alerts, DisplayName: Alerts}
Outputs:
  Name: {Value: !GetAtt T.TopicName}
""", _topic)

case("sns-fifo-topic", """
  T:
    Type: AWS::SNS::Topic
    Properties: {TopicName: events.fifo, FifoTopic: true, ContentBasedDeduplication: true}
""", lambda d: d.client("sns").get_topic_attributes(TopicArn=d.physical["T"])["Attributes"]["FifoTopic"] == "true"
   or pytest.fail("not fifo"))


def _subscription(d: Deployed) -> None:
    attributes = d.client("sns").get_subscription_attributes(SubscriptionArn=d.physical["S"])["Attributes"]
    assert attributes["RawMessageDelivery"] == "true"
    assert json.loads(attributes["FilterPolicy"]) == {"kind": ["refund"]}
    assert attributes["Endpoint"] == queue_attributes(d, "Q")["QueueArn"]


case("sns-subscription-raw-delivery-and-filter", """
  T: {Type: AWS::SNS::Topic}
  Q: {Type: AWS::SQS::Queue}
  S:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref T
      Protocol: sqs
      Endpoint: !GetAtt Q.Arn
      RawMessageDelivery: true
      FilterPolicy: {kind: [refund]}
""", _subscription)

case("sns-subscription-filter-on-body", """
  T: {Type: AWS::SNS::Topic}
  Q: {Type: AWS::SQS::Queue}
  S:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref T
      Protocol: sqs
      Endpoint: !GetAtt Q.Arn
      FilterPolicyScope: MessageBody
      FilterPolicy: '{"amount": [{"numeric": [">", 100]}]}'
""", lambda d: d.client("sns").get_subscription_attributes(SubscriptionArn=d.physical["S"])["Attributes"][
    "FilterPolicyScope"] == "MessageBody" or pytest.fail("scope"))

case("sns-topic-inline-subscription", """
  Q: {Type: AWS::SQS::Queue}
  T:
    Type: AWS::SNS::Topic
    Properties:
      Subscription: [{Protocol: sqs, Endpoint: !GetAtt Q.Arn}]
""", lambda d: [s["Endpoint"] for s in d.client("sns").list_subscriptions_by_topic(TopicArn=d.physical["T"])[
    "Subscriptions"]] == [queue_attributes(d, "Q")["QueueArn"]] or pytest.fail("no subscription"))

case("sns-data-protection-is-reported", """
  T:
    Type: AWS::SNS::Topic
    Properties: {DataProtectionPolicy: {Name: p}}
""", lambda d: d.reported("T") == ["property DataProtectionPolicy: message data protection is not modelled"]
   or pytest.fail(str(d.report.lines())))

# --- DynamoDB --------------------------------------------------------------------------
_TABLE = """
  T:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}, {AttributeName: sk, AttributeType: S}{extra_attributes}]
      KeySchema: [{AttributeName: pk, KeyType: HASH}, {AttributeName: sk, KeyType: RANGE}]
"""


def table(extra: str = "", extra_attributes: str = "") -> str:
    return _TABLE.replace("{extra_attributes}", extra_attributes) + extra


def describe(d: Deployed, logical_id: str = "T") -> dict[str, Any]:
    return dict(d.client("dynamodb").describe_table(TableName=d.physical[logical_id])["Table"])


case("dynamodb-keys", table(), lambda d: [k["AttributeName"] for k in describe(d)["KeySchema"]] == ["pk", "sk"]
     or pytest.fail("keys"))
case("dynamodb-gsi", table("""      GlobalSecondaryIndexes:
        - {IndexName: byStatus, KeySchema: [{AttributeName: status, KeyType: HASH}], Projection: {ProjectionType: ALL}}
""", ", {AttributeName: status, AttributeType: S}"),
     lambda d: [i["IndexName"] for i in describe(d)["GlobalSecondaryIndexes"]] == ["byStatus"] or pytest.fail("gsi"))
case("dynamodb-lsi", table("""      LocalSecondaryIndexes:
        - IndexName: byDate
          KeySchema: [{AttributeName: pk, KeyType: HASH}, {AttributeName: date, KeyType: RANGE}]
          Projection: {ProjectionType: KEYS_ONLY}
""", ", {AttributeName: date, AttributeType: S}"),
     lambda d: [i["IndexName"] for i in describe(d)["LocalSecondaryIndexes"]] == ["byDate"] or pytest.fail("lsi"))


def _stream(d: Deployed) -> None:
    table_description = describe(d)
    assert table_description["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert d.outputs["Stream"] == table_description["LatestStreamArn"]


case("dynamodb-stream", table("""      StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
Outputs:
  Stream: {Value: !GetAtt T.StreamArn}
"""), _stream)
case("dynamodb-ttl", table("""      TimeToLiveSpecification: {AttributeName: expiresAt, Enabled: true}
"""), lambda d: d.client("dynamodb").describe_time_to_live(TableName=d.physical["T"])["TimeToLiveDescription"][
    "AttributeName"] == "expiresAt" or pytest.fail("ttl"))
case("dynamodb-provisioned-throughput", """
  T:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: Orders
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 7}
""", lambda d: (describe(d)["ProvisionedThroughput"]["WriteCapacityUnits"] == 7 and d.physical["T"] == "Orders")
     or pytest.fail("throughput"))
case("dynamodb-sse-is-reported", table("""      SSESpecification: {SSEEnabled: true}
"""), lambda d: d.reported("T") == ["property SSESpecification: encryption at rest is not modelled"]
     or pytest.fail(str(d.report.lines())))

# --- EventBridge -----------------------------------------------------------------------


def targets(d: Deployed, rule: str, bus: str | None = None) -> list[dict[str, Any]]:
    name = d.physical[rule].rsplit("|", 1)[-1]
    options = {"EventBusName": bus} if bus else {}
    return list(d.client("events").list_targets_by_rule(Rule=name, **options)["Targets"])


def _bus_rule(d: Deployed) -> None:
    assert d.physical["R"] == "orders|order-placed"
    rule = d.client("events").describe_rule(Name="order-placed", EventBusName="orders")
    assert json.loads(rule["EventPattern"]) == {"source": ["shop"], "detail-type": ["OrderPlaced"]}
    assert [t["Arn"] for t in targets(d, "R", "orders")] == [queue_attributes(d, "Q")["QueueArn"]]


case("events-bus-rule-and-queue-target", """
  Bus: {Type: AWS::Events::EventBus, Properties: {Name: orders}}
  Q: {Type: AWS::SQS::Queue}
  R:
    Type: AWS::Events::Rule
    Properties:
      Name: order-placed
      EventBusName: !Ref Bus
      EventPattern: {source: [shop], detail-type: [OrderPlaced]}
      Targets: [{Id: q, Arn: !GetAtt Q.Arn}]
""", _bus_rule)


def _transformer(d: Deployed) -> None:
    (target,) = targets(d, "R")
    assert target["InputTransformer"]["InputPathsMap"] == {"id": "$.detail.id"}
    assert target["InputTransformer"]["InputTemplate"] == '{"orderId": <id>}'


case("events-rule-input-transformer", """
  Q: {Type: AWS::SQS::Queue}
  R:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {source: [shop]}
      Targets:
        - Id: q
          Arn: !GetAtt Q.Arn
          InputTransformer: {InputPathsMap: {id: $.detail.id}, InputTemplate: '{"orderId": <id>}'}
""", _transformer)
case("events-rule-input-path", """
  Q: {Type: AWS::SQS::Queue}
  R:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {source: [shop]}
      Targets: [{Id: q, Arn: !GetAtt Q.Arn, InputPath: $.detail}]
""", lambda d: targets(d, "R")[0]["InputPath"] == "$.detail" or pytest.fail("input path"))


def _retry(d: Deployed) -> None:
    (target,) = targets(d, "R")
    assert target["RetryPolicy"] == {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 120}
    assert target["DeadLetterConfig"]["Arn"] == queue_attributes(d, "Dlq")["QueueArn"]


case("events-rule-retry-policy-and-dlq", """
  Q: {Type: AWS::SQS::Queue}
  Dlq: {Type: AWS::SQS::Queue}
  R:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {source: [shop]}
      Targets:
        - Id: q
          Arn: !GetAtt Q.Arn
          RetryPolicy: {MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 120}
          DeadLetterConfig: {Arn: !GetAtt Dlq.Arn}
""", _retry)
case("events-rule-schedule", """
  Q: {Type: AWS::SQS::Queue}
  R:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(5 minutes)
      Targets: [{Id: q, Arn: !GetAtt Q.Arn}]
""", lambda d: d.client("events").describe_rule(Name=d.physical["R"])["ScheduleExpression"] == "rate(5 minutes)"
     or pytest.fail("schedule"))
case("events-bus-policy-is-reported", """
  Bus: {Type: AWS::Events::EventBus, Properties: {Name: b, Policy: {Statement: []}}}
""", lambda d: (d.client("events").describe_event_bus(Name="b")["Name"] == "b"
                and d.reported("Bus") == ["property Policy: bus resource policies are not modelled (permissions are not enforced)"])
     or pytest.fail(str(d.report.lines())))



def _parameter(d: Deployed) -> None:
    parameter = d.client("ssm").get_parameter(Name="/shop/test/limit")["Parameter"]
    assert (parameter["Type"], parameter["Value"]) == ("String", "42")
    assert d.outputs["Limit"] == "42" and d.physical["P"] == "/shop/test/limit"


case("ssm-parameter-ref-and-getatt", """
  P: {Type: AWS::SSM::Parameter, Properties: {Name: /shop/test/limit, Type: String, Value: "42"}}
Outputs:
  Limit: {Value: !GetAtt P.Value}
""", _parameter)


def _secret(d: Deployed) -> None:
    value = d.client("secretsmanager").get_secret_value(SecretId=d.physical["S"])["SecretString"]
    assert value == '{"password": "hunter2"}'
    assert d.physical["S"].startswith("arn:aws:secretsmanager:")


case("secretsmanager-secret", """
  S: {Type: AWS::SecretsManager::Secret, Properties: {Name: db, SecretString: '{"password": "hunter2"}'}}
""", _secret)
case("secretsmanager-generated-secret-is-reported", """
  S: {Type: AWS::SecretsManager::Secret, Properties: {Name: db2, GenerateSecretString: {PasswordLength: 20}}}
""", lambda d: d.reported("S") == [
    "property GenerateSecretString: generated secret values are not modelled: give SecretString"]
    or pytest.fail(str(d.report.lines())))
case("ses-email-identity", """
  I: {Type: AWS::SES::EmailIdentity, Properties: {EmailIdentity: shop@example.com}}
""", lambda d: d.client("sesv2").get_email_identity(EmailIdentity="shop@example.com")["IdentityType"]
    == "EMAIL_ADDRESS" or pytest.fail("no identity"))


@pytest.mark.parametrize(("text", "check"), CASES)
def test_a_template_case_provisions_what_boto3_reads_back(aws_backend: str, tmp_path: Path, text: str, check: Check) -> None:
    with deployed(aws_backend, write_template(tmp_path, text)) as d:
        check(d)
