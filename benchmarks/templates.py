"""Load and provision a 50-resource template: the fakes' CloudFormation vs moto's ``create_stack``.

The template (plain CloudFormation, YAML with short-form tags) has 10 dead-letter
queues, 10 queues with a RedrivePolicy (GetAtt), 10 topics, 10 queue subscriptions,
5 tables with streams and 5 EventBridge rules targeting queues, names built with
``!Sub``. Each round, each side starts from an empty account:

- fakes: ``FakeAWS()`` + ``cloudformation.deploy(path)``: read and parse the file,
  resolve, provision through boto3 clients bound to the fakes (their creation included);
- moto: inside a fresh ``mock_aws()``, a CloudFormation client and ``create_stack``
  with the same text as ``TemplateBody``.

Rounds alternate between the two; the figures are medians of wall-clock times, and
the ratio is the median of the per-round ratios.

    python benchmarks/templates.py [--rounds N]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

import boto3
from moto import mock_aws  # imported first: moto hooks sessions created after it

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eventproof_fakes import FakeAWS
from eventproof_fakes.cloudformation.template import clear_template_cache, read_template

REGION = "us-east-1"
# One session for the whole run, as for the fakes (a new session costs ~100 ms).
MOTO_SESSION = boto3.session.Session(aws_access_key_id="t", aws_secret_access_key="t", region_name=REGION)


def template() -> str:
    parts = ["AWSTemplateFormatVersion: '2010-09-09'", "Parameters:",
             "  Stage: {Type: String, Default: bench}", "Resources:"]
    for i in range(10):
        parts += [
            f"  Dlq{i}:", "    Type: AWS::SQS::Queue",
            f"    Properties: {{QueueName: !Sub '${{Stage}}-dlq-{i}'}}",
            f"  Queue{i}:", "    Type: AWS::SQS::Queue", "    Properties:",
            f"      QueueName: !Sub '${{Stage}}-queue-{i}'", "      VisibilityTimeout: 60",
            f"      RedrivePolicy: {{deadLetterTargetArn: !GetAtt Dlq{i}.Arn, maxReceiveCount: 3}}",
            f"  Topic{i}:", "    Type: AWS::SNS::Topic",
            f"    Properties: {{TopicName: !Sub '${{Stage}}-topic-{i}'}}",
            f"  Subscription{i}:", "    Type: AWS::SNS::Subscription",
            f"    Properties: {{TopicArn: !Ref Topic{i}, Protocol: sqs, Endpoint: !GetAtt Queue{i}.Arn}}",
        ]
    for i in range(5):
        parts += [
            f"  Table{i}:", "    Type: AWS::DynamoDB::Table", "    Properties:",
            f"      TableName: !Sub '${{Stage}}-table-{i}'", "      BillingMode: PAY_PER_REQUEST",
            "      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]",
            "      KeySchema: [{AttributeName: id, KeyType: HASH}]",
            "      StreamSpecification: {StreamViewType: NEW_IMAGE}",
            f"  Rule{i}:", "    Type: AWS::Events::Rule", "    Properties:",
            f"      EventPattern: {{source: [bench], detail-type: [Kind{i}]}}",
            f"      Targets: [{{Id: q, Arn: !GetAtt Queue{i}.Arn}}]",
        ]
    parts += ["Outputs:", "  FirstQueue: {Value: !Ref Queue0}"]
    return "\n".join(parts) + "\n"


def on_fakes(path: Path, aws: FakeAWS | None = None, *, cached: bool = False) -> float:
    """A new environment (and so new clients), or ``aws`` reset: its clients stay bound.

    ``cached``: the template was read before in this process (a suite deploying it per test).
    """
    if not cached:
        clear_template_cache()
    start = time.perf_counter()
    if aws is None:
        aws = FakeAWS(region=REGION)
    else:
        aws.reset()
    stack = aws.cloudformation.deploy(path, stack_name="bench")
    elapsed = time.perf_counter() - start
    assert len(stack.resources) == 50 and not stack.report, stack.report.lines()
    return elapsed


def reading(body: str, folder: Path) -> float:
    """Only reading the template (YAML, checks): what a new environment pays before any call."""
    clear_template_cache()
    start = time.perf_counter()
    read_template(body, source="template.yaml", base_dir=folder)
    return time.perf_counter() - start


def on_moto(body: str) -> float:
    with mock_aws():
        start = time.perf_counter()
        cloudformation = MOTO_SESSION.client("cloudformation")
        cloudformation.create_stack(StackName="bench", TemplateBody=body)
        elapsed = time.perf_counter() - start
        resources = cloudformation.list_stack_resources(StackName="bench")["StackResourceSummaries"]
        assert len(resources) == 50, len(resources)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    body = template()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "template.yaml"
        path.write_text(body)
        warm = FakeAWS(region=REGION)
        on_fakes(path), on_fakes(path, warm), on_moto(body)  # warm-up: imports, botocore models
        # What the warm-up left (moto's models, botocore's, ours) is long-lived: out of the
        # collector's way, so neither side pays for scanning the other's heap.
        gc.collect()
        gc.freeze()
        cold, reset, cached, moto, read = [], [], [], [], []
        cold_ratios, reset_ratios, cached_ratios = [], [], []
        for _ in range(args.rounds):
            cold_time, reset_time = on_fakes(path), on_fakes(path, warm)
            cached_time, moto_time = on_fakes(path, warm, cached=True), on_moto(body)
            read.append(reading(body, path.parent))
            cold.append(cold_time)
            reset.append(reset_time)
            cached.append(cached_time)
            moto.append(moto_time)
            cold_ratios.append(moto_time / cold_time)
            reset_ratios.append(moto_time / reset_time)
            cached_ratios.append(moto_time / cached_time)
    print(f"50-resource template ({len(body):,} bytes), {args.rounds} rounds, medians:")
    print(f"  fakes, new FakeAWS + deploy:   {statistics.median(cold) * 1000:8.1f} ms  "
          f"(moto/fakes {statistics.median(cold_ratios):.1f}x)")
    print(f"  fakes, reset FakeAWS + deploy: {statistics.median(reset) * 1000:8.1f} ms  "
          f"(moto/fakes {statistics.median(reset_ratios):.1f}x)")
    print(f"  fakes, reset + deploy, template read before: {statistics.median(cached) * 1000:5.1f} ms  "
          f"(moto/fakes {statistics.median(cached_ratios):.1f}x)")
    print(f"  moto, create_stack:            {statistics.median(moto) * 1000:8.1f} ms")
    print(f"  of the fakes' cold deploy, reading the template: {statistics.median(read) * 1000:.1f} ms; "
          "the rest is ~55 calls through botocore clients (validation) into the fakes")


if __name__ == "__main__":
    main()
