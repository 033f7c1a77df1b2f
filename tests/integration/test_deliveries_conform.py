"""Every record the fakes deliver satisfies AWS's own contracts in contracts/aws/.

Realistic flows run through every service's boto3 API; the ``aws`` fixture
(conftest) checks each delivery the environment recorded against its
contract when the test ends. Each test also asserts that the kinds it
drives were recorded, so a delivery point that stops reporting fails here.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from eventproof_fakes import FakeAWS, observe
from eventproof_fakes.observe import DeliveryLog
from tests.integration.delivery_contracts import messages_of, nonconformities, splitters

ROLE = "arn:aws:iam::123456789012:role/pipes"


def kinds(aws: FakeAWS) -> set[str]:
    return {d.kind for d in aws.deliveries}


def queue(aws: FakeAWS, name: str, **attributes: str) -> tuple[str, str]:
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]


def streamed_table(aws: FakeAWS, name: str) -> str:
    created = aws.client("dynamodb").create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    arn: str = created["TableDescription"]["LatestStreamArn"]
    return arn


def test_sqs_records_to_lambda_conform_on_standard_and_fifo_queues(aws: FakeAWS) -> None:
    sqs = aws.client("sqs")
    aws.lambda_.register("consumer", lambda event, context: None)
    for name, extra in (("orders", {}), ("orders.fifo", {"FifoQueue": "true"})):
        url, arn = queue(aws, name, **extra)
        aws.client("lambda").create_event_source_mapping(
            EventSourceArn=arn, FunctionName="consumer"
        )
        fifo = {"MessageGroupId": "g", "MessageDeduplicationId": "1"} if extra else {}
        sqs.send_message(
            QueueUrl=url,
            MessageBody=json.dumps({"orderId": 1}),
            MessageAttributes={"kind": {"DataType": "String", "StringValue": "order"}},
            **fifo,
        )
    aws.run_until_idle()
    assert len(aws.deliveries.of_kind(observe.LAMBDA_SQS_EVENT)) == 2


def test_stream_records_and_the_on_failure_record_conform(aws: FakeAWS) -> None:
    stream_arn = streamed_table(aws, "orders")
    _, failures = queue(aws, "stream-failures")

    def handler(event: Any, context: Any) -> None:
        if any(r["eventName"] == "REMOVE" for r in event["Records"]):
            raise RuntimeError("cannot handle removals")

    aws.lambda_.register("consumer", handler)
    aws.client("lambda").create_event_source_mapping(
        EventSourceArn=stream_arn,
        FunctionName="consumer",
        StartingPosition="TRIM_HORIZON",
        BatchSize=2,
        MaximumRetryAttempts=1,
        DestinationConfig={"OnFailure": {"Destination": failures}},
    )
    dynamodb = aws.client("dynamodb")
    dynamodb.put_item(
        TableName="orders",
        Item={
            "pk": {"S": "a"},
            "amount": {"N": "12.5"},
            "tags": {"SS": ["x", "y"]},
            "raw": {"B": b"\x00\x01"},
            "lines": {
                "L": [{"M": {"sku": {"S": "s1"}, "gift": {"BOOL": True}, "note": {"NULL": True}}}]
            },
        },
    )
    dynamodb.update_item(
        TableName="orders",
        Key={"pk": {"S": "a"}},
        UpdateExpression="SET amount = :t",
        ExpressionAttributeValues={":t": {"N": "13"}},
    )
    dynamodb.delete_item(TableName="orders", Key={"pk": {"S": "a"}})
    aws.run_until_idle()
    assert {observe.LAMBDA_STREAM_EVENT, observe.STREAM_BATCH_INFO} <= kinds(aws)


def test_kinesis_records_and_the_on_failure_record_conform(aws: FakeAWS) -> None:
    from eventproof_fakes.kinesis.lambda_source import KINESIS_BATCH_INFO, KINESIS_EVENT

    kinesis = aws.client("kinesis")
    kinesis.create_stream(StreamName="clicks", ShardCount=3)
    _, failures = queue(aws, "kinesis-failures")

    def handler(event: Any, context: Any) -> None:
        if any(r["kinesis"]["partitionKey"] == "poison" for r in event["Records"]):
            raise RuntimeError("cannot handle poison")

    aws.lambda_.register("consumer", handler)
    aws.client("lambda").create_event_source_mapping(
        EventSourceArn=aws.arn("kinesis", "stream/clicks"),
        FunctionName="consumer",
        StartingPosition="TRIM_HORIZON",
        BatchSize=2,
        MaximumRetryAttempts=1,
        ParallelizationFactor=2,
        DestinationConfig={"OnFailure": {"Destination": failures}},
    )
    kinesis.put_records(
        StreamName="clicks",
        Records=[
            {"Data": json.dumps({"n": n}).encode(), "PartitionKey": f"user-{n}"} for n in range(6)
        ]
        + [{"Data": b"\x00\xff", "PartitionKey": "poison"}, {"Data": b"", "PartitionKey": "e"}],
    )
    aws.run_until_idle()
    assert {KINESIS_EVENT, KINESIS_BATCH_INFO} <= kinds(aws)


def test_sns_envelopes_and_lambda_records_conform(aws: FakeAWS) -> None:
    sns = aws.client("sns")
    topic = sns.create_topic(Name="orders")["TopicArn"]
    _, queue_arn = queue(aws, "subscriber")
    _, raw_arn = queue(aws, "raw-subscriber")
    aws.lambda_.register("listener", lambda event, context: None)
    function_arn = aws.lambda_.function("listener").arn
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    sns.subscribe(
        TopicArn=topic, Protocol="sqs", Endpoint=raw_arn, Attributes={"RawMessageDelivery": "true"}
    )
    sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=function_arn)
    sns.publish(TopicArn=topic, Message=json.dumps({"orderId": 1}))
    sns.publish(
        TopicArn=topic,
        Message="plain",
        Subject="hello",
        MessageAttributes={
            "store": {"DataType": "String", "StringValue": "s"},
            "price": {"DataType": "Number", "StringValue": "1.5"},
            "blob": {"DataType": "Binary", "BinaryValue": b"\x01"},
        },
    )
    aws.run_until_idle()
    assert len(aws.deliveries.of_kind(observe.SNS_SQS_ENVELOPE)) == 2  # raw delivery has none
    assert len(aws.deliveries.of_kind(observe.SNS_LAMBDA_EVENT)) == 2


def test_sns_fifo_envelopes_conform(aws: FakeAWS) -> None:
    sns = aws.client("sns")
    topic = sns.create_topic(Name="orders.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
    _, queue_arn = queue(aws, "subscriber.fifo", FifoQueue="true")
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    sns.publish(TopicArn=topic, Message="m", MessageGroupId="g", MessageDeduplicationId="d")
    found = nonconformities(aws.deliveries)
    aws.deliveries.clear()  # checked here: the fixture's own check would fail it a second time
    assert found == []


def test_eventbridge_events_at_every_kind_of_target_conform(aws: FakeAWS) -> None:
    events = aws.client("events")
    _, queue_arn = queue(aws, "events-target")
    aws.lambda_.register("listener", lambda event, context: None)
    events.put_rule(Name="orders", EventPattern=json.dumps({"source": ["shop"]}))
    events.put_targets(
        Rule="orders",
        Targets=[
            {"Id": "queue", "Arn": queue_arn},
            {"Id": "function", "Arn": aws.lambda_.function("listener").arn},
            {
                "Id": "shaped",
                "Arn": queue_arn,
                "InputTransformer": {
                    "InputPathsMap": {"id": "$.detail.id"},
                    "InputTemplate": '{"order": <id>}',
                },
            },
        ],
    )
    events.put_events(
        Entries=[
            {
                "Source": "shop",
                "DetailType": "OrderPlaced",
                "Detail": json.dumps({"id": 1}),
                "Resources": ["arn:aws:s3:::bucket"],
            },
            {"Source": "shop", "DetailType": "OrderPlaced", "Detail": json.dumps({"id": 2})},
        ]
    )
    aws.run_until_idle()
    assert len(aws.deliveries.of_kind(observe.EVENTBRIDGE_EVENT)) == 4  # the transformed ones: no


def test_destination_records_conform_at_sqs_sns_lambda_and_eventbridge(aws: FakeAWS) -> None:
    client = aws.client("lambda")
    _, success_queue = queue(aws, "on-success")
    topic = aws.client("sns").create_topic(Name="failures")["TopicArn"]
    aws.client("events").put_rule(Name="results", EventPattern=json.dumps({"source": ["lambda"]}))
    _, results_queue = queue(aws, "results")
    aws.client("events").put_targets(Rule="results", Targets=[{"Id": "q", "Arn": results_queue}])
    aws.lambda_.register("audit", lambda event, context: None)

    def fails(event: Any, context: Any) -> None:
        raise ValueError("always")

    aws.lambda_.register("works", lambda event, context: {"ok": True})
    aws.lambda_.register("fails", fails)
    aws.lambda_.register("fails-to-lambda", fails)
    bus = aws.arn("events", "event-bus/default")
    client.put_function_event_invoke_config(
        FunctionName="works", DestinationConfig={"OnSuccess": {"Destination": success_queue}}
    )
    client.put_function_event_invoke_config(
        FunctionName="fails",
        MaximumRetryAttempts=0,
        DestinationConfig={"OnFailure": {"Destination": bus}},
    )
    client.put_function_event_invoke_config(
        FunctionName="fails-to-lambda",
        DestinationConfig={"OnFailure": {"Destination": aws.lambda_.function("audit").arn}},
    )
    client.update_function_event_invoke_config(
        FunctionName="works",
        DestinationConfig={
            "OnSuccess": {"Destination": success_queue},
            "OnFailure": {"Destination": topic},
        },
    )
    for name in ("works", "fails", "fails-to-lambda"):
        client.invoke(FunctionName=name, InvocationType="Event", Payload=json.dumps({"n": name}))
    aws.run_until_idle()
    records = [d.payload for d in aws.deliveries.of_kind(observe.DESTINATION_RECORD)]
    assert sorted(r["requestContext"]["condition"] for r in records) == [
        "RetriesExhausted",
        "RetriesExhausted",
        "Success",
    ]
    [wrapped] = [d.payload for d in aws.deliveries.of_kind(observe.EVENTBRIDGE_EVENT)]
    assert wrapped["detail"]["requestContext"]["condition"] == "RetriesExhausted"


def test_pipes_pass_on_source_records_that_conform(aws: FakeAWS) -> None:
    stream_arn = streamed_table(aws, "outbox")
    url, queue_arn = queue(aws, "pipe-source")
    aws.lambda_.register("target", lambda event, context: None)
    target = aws.lambda_.function("target").arn
    pipes = aws.client("pipes")
    pipes.create_pipe(
        Name="from-stream",
        RoleArn=ROLE,
        Source=stream_arn,
        Target=target,
        SourceParameters={
            "DynamoDBStreamParameters": {"StartingPosition": "TRIM_HORIZON"},
            "FilterCriteria": {"Filters": [{"Pattern": json.dumps({"eventName": ["INSERT"]})}]},
        },
    )
    pipes.create_pipe(Name="from-queue", RoleArn=ROLE, Source=queue_arn, Target=target)
    aws.client("dynamodb").put_item(TableName="outbox", Item={"pk": {"S": "e1"}, "n": {"N": "1"}})
    aws.client("sqs").send_message(QueueUrl=url, MessageBody="hello")
    aws.run_until_idle()
    payloads = [d.payload for d in aws.deliveries.of_kind(observe.PIPE_SOURCE_RECORDS)]
    assert sorted(p[0]["eventSource"] for p in payloads) == ["aws:dynamodb", "aws:sqs"]


def test_api_gateway_proxy_events_of_both_payload_versions_conform(aws: FakeAWS) -> None:
    arn = aws.lambda_.register("api", lambda event, context: {"statusCode": 200, "body": "ok"})
    uri = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{arn}/invocations"
    rest = aws.client("apigateway")
    api = rest.create_rest_api(name="rest")
    resource = rest.create_resource(
        restApiId=api["id"], parentId=api["rootResourceId"], pathPart="{proxy+}"
    )
    rest.put_method(
        restApiId=api["id"], resourceId=resource["id"], httpMethod="ANY", authorizationType="NONE"
    )
    rest.put_integration(
        restApiId=api["id"],
        resourceId=resource["id"],
        httpMethod="ANY",
        type="AWS_PROXY",
        integrationHttpMethod="POST",
        uri=uri,
    )
    rest.create_deployment(restApiId=api["id"], stageName="prod", variables={"v": "1"})
    http = aws.client("apigatewayv2")
    for version in ("1.0", "2.0"):
        api_id = http.create_api(Name=f"http-{version}", ProtocolType="HTTP")["ApiId"]
        integration = http.create_integration(
            ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=arn, PayloadFormatVersion=version
        )
        http.create_route(
            ApiId=api_id,
            RouteKey="ANY /{proxy+}",
            Target=f"integrations/{integration['IntegrationId']}",
        )
        http.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    for name in ("rest", "http-1.0", "http-2.0"):
        aws.apigateway.request(
            "POST",
            "/a/b?x=1&x=2",
            api=name,
            json={"n": 1},
            headers=[("Cookie", "c=1"), ("X-Two", "a"), ("X-Two", "b")],
        )
        aws.apigateway.request("GET", "/a", api=name, body=b"\x00\xff", headers={"Content-Type": "image/png"})
    events = [d.payload for d in aws.deliveries.of_kind(observe.APIGATEWAY_PROXY_EVENT)]
    assert [e.get("version") for e in events] == [None, None, "1.0", "1.0", "2.0", "2.0"]


# --- the check itself -----------------------------------------------------------------------
def test_a_record_that_breaks_its_contract_is_reported_with_where_and_why() -> None:
    log = DeliveryLog()
    broken = {"Records": [{"messageId": "not-a-uuid", "body": {"not": "a string"}}]}
    log.record(
        observe.LAMBDA_SQS_EVENT, "arn:aws:lambda:us-east-1:123456789012:function:f", broken, 0.0
    )
    [found] = nonconformities(log)
    assert (found.contract, found.pointer) == ("SqsRecord", "/Records/0")
    rendered = found.render()
    assert "/body" in rendered and "contracts/aws/SqsRecord" in rendered


def test_every_delivery_kind_the_fakes_record_has_a_contract_mapping() -> None:
    import eventproof_fakes.kinesis  # noqa: F401  # a service that registers its own event source

    assert set(splitters()) == set(observe.kinds())
    assert {"lambda:kinesis", "lambda:kinesis-batch-info"} <= set(observe.kinds())
    log = DeliveryLog()
    log.record("sqs:something-new", "somewhere", {}, 0.0)
    with pytest.raises(KeyError, match="no AWS contract mapping"):
        messages_of(log[0])
