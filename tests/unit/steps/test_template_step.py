"""The library's template step: a team's feature deploys its own SAM template, with no Python of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

pytest_plugins = ["pytester"]

TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: {Type: String, AllowedValues: [test, prod]}
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub 'orders-${Stage}'
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
  Intake:
    Type: AWS::SQS::Queue
    Properties: {QueueName: !Sub 'intake-${Stage}'}
  Recorder:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      FunctionName: !Sub 'recorder-${Stage}'
      CodeUri: code/
      Handler: app.handler
      Environment: {Variables: {TABLE: !Ref Orders}}
      Events:
        Intake: {Type: SQS, Properties: {Queue: !GetAtt Intake.Arn}}
"""

HANDLER = """\
import json
import os

import boto3

table = boto3.resource("dynamodb").Table(os.environ["TABLE"])  # at import time, as teams write it


def handler(event, context):
    for record in event["Records"]:
        table.put_item(Item={"id": json.loads(record["body"])["id"]})
"""

FEATURE = """\
Feature: the team's own system, from its template
  Scenario: an order sent to the intake queue is recorded
    Given the system is deployed from the template "template.yaml" with Stage=test
    And a "Order" message with:
      \"\"\"
      {"id": "o-1"}
      \"\"\"
    When it is sent to the "intake-test" queue
    And the system settles
    Then the "orders-test" table holds 1 item

  Scenario: a parameter the template does not allow
    Given the system is deployed from the template "template.yaml" with Stage=staging
"""


def test_a_feature_deploys_the_template_and_runs_on_it(pytester: pytest.Pytester) -> None:
    pytester.makeconftest('pytest_plugins = ["eventproof.steps"]\n')
    pytester.makefile(".yaml", template=TEMPLATE)
    (pytester.path / "code").mkdir()
    (pytester.path / "code" / "app.py").write_text(HANDLER)
    pytester.makefile(".feature", team=FEATURE)
    pytester.makepyfile(test_team='from pytest_bdd import scenarios\n\nscenarios("team.feature")\n')
    result = pytester.runpytest("-p", "no:randomly", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "*step failed: the template does not deploy*Stage*",
        "*team.feature, line 13*",
    ])


MOTO_FEATURE = """\
Feature: the team's own system, from its template, on moto
  Scenario: an order sent to the intake queue is recorded
    Given the system is deployed from the template "template.yaml" with Stage=test
    And a "Order" message with:
      \"\"\"
      {"id": "o-1"}
      \"\"\"
    When it is sent to the "intake-test" queue
    And the "intake-test" queue is consumed by the "recorder-test" function
    Then the "orders-test" table holds 1 item
"""


def test_on_moto_the_template_is_deployed_and_its_function_runs_in_process(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EVENTPROOF_BACKEND", "moto")
    pytester.makeconftest('pytest_plugins = ["eventproof.steps"]\n')
    pytester.makefile(".yaml", template=TEMPLATE)
    (pytester.path / "code").mkdir()
    (pytester.path / "code" / "app.py").write_text(HANDLER)
    pytester.makefile(".feature", team=MOTO_FEATURE)
    pytester.makepyfile(test_team='from pytest_bdd import scenarios\n\nscenarios("team.feature")\n')
    result = pytester.runpytest("-p", "no:randomly", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
