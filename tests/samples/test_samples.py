"""Two sample SAM applications run from their templates alone: no provisioning code at all.

The tests only put work in (a message, an invocation) and read results out.
"""

from __future__ import annotations

import json
from pathlib import Path

from eventproof_fakes import FakeAWS

SAMPLES = Path(__file__).parent


def test_the_sqs_chain_fulfils_orders_filters_notes_and_dead_letters_what_fails() -> None:
    aws = FakeAWS.from_template(SAMPLES / "sqs_chain" / "template.yaml", parameters={"Environment": "ci"})
    stack = aws.cloudformation.stack()
    assert not stack.report, stack.report.lines()
    sqs = aws.client("sqs")
    intake = stack.outputs["IntakeQueueUrl"]
    assert intake.endswith("/ci-intake")
    for body in (
        {"type": "order", "orderId": "o-1", "sku": "abc", "quantity": 2},
        {"type": "note", "text": "not an order"},
        {"type": "order", "sku": "no-id"},
        {"type": "order", "orderId": "o-2", "sku": "xyz", "quantity": 0},
    ):
        sqs.send_message(QueueUrl=intake, MessageBody=json.dumps(body))
    aws.run_until_idle()

    fulfilled = aws.resource("dynamodb").Table(stack.outputs["FulfilledTableName"]).scan()["Items"]
    fulfil_function = stack.physical_id("FulfilFunction")
    assert fulfilled == [{"orderId": "o-1", "sku": "ABC", "quantity": 2, "fulfilledBy": fulfil_function}]
    ingested = [json.loads(r["body"]) for i in aws.invocations(stack.physical_id("IngestFunction")) for r in i.event["Records"]]
    assert all(body["type"] == "order" for body in ingested)  # the filter kept the note away

    def dead_letters(output: str) -> list[dict[str, object]]:
        messages = sqs.receive_message(QueueUrl=stack.outputs[output], MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(m["Body"]) for m in messages]

    assert dead_letters("IntakeDLQUrl") == [{"type": "order", "sku": "no-id"}]
    assert dead_letters("FulfilmentDLQUrl") == [{"orderId": "o-2", "sku": "XYZ", "quantity": 0}]


def test_the_orders_api_stores_publishes_and_notifies_with_the_api_reported_until_it_is_modelled() -> None:
    aws = FakeAWS.from_template(SAMPLES / "orders_api" / "template.yaml")
    stack = aws.cloudformation.stack()
    reported = {entry.logical_id: entry for entry in stack.report.entries}
    if "ServerlessRestApi" in stack.resources:  # the fakes answer API Gateway: all of it is built
        assert not reported, stack.report.lines()
    else:  # until then the API, its deployment, stage and permission are reported, at the Api event
        assert set(reported) == {
            "ServerlessRestApi", "ServerlessRestApiProdStage", "CreateOrderFunctionCreateOrderPermissionProd",
        } | {name for name in reported if name.startswith("ServerlessRestApiDeployment")}
        assert "no service 'apigateway'" in reported["ServerlessRestApi"].detail
        assert reported["ServerlessRestApi"].line == 65
    lambda_client = aws.client("lambda")

    def post(order: dict[str, object]) -> dict[str, object]:
        event = {"httpMethod": "POST", "path": "/orders", "body": json.dumps(order)}
        answer = lambda_client.invoke(FunctionName=stack.outputs["CreateOrderFunction"], Payload=json.dumps(event))
        aws.run_until_idle()
        return dict(json.loads(answer["Payload"].read()))

    small = post({"customer": "ann", "lines": [{"price": 9.5, "quantity": 2}]})
    large = post({"customer": "bob", "lines": [{"price": 60, "quantity": 2}]})
    assert (small["statusCode"], large["statusCode"]) == (201, 201)
    assert post({"customer": "eve"})["statusCode"] == 400
    ids = {json.loads(str(a["body"]))["orderId"]: name for a, name in ((small, "ann"), (large, "bob"))}

    dynamodb = aws.resource("dynamodb")
    orders = dynamodb.Table(stack.outputs["OrdersTableName"]).scan()["Items"]
    assert {o["orderId"]: o["customer"] for o in orders} == ids
    notes = dynamodb.Table(stack.outputs["NotificationsTableName"]).scan()["Items"]
    assert {n["orderId"]: n["message"] for n in notes} == {i: f"Thanks {name}!" for i, name in ids.items()}
    audit = aws.client("sqs").receive_message(QueueUrl=stack.outputs["AuditQueueUrl"], MaxNumberOfMessages=10)["Messages"]
    assert [json.loads(m["Body"])["customer"] for m in audit] == ["bob"]


def test_the_media_ingest_reads_ssm_writes_s3_consumes_kinesis_logs_and_mails() -> None:
    aws = FakeAWS.from_template(SAMPLES / "media_ingest" / "template.yaml")
    stack = aws.cloudformation.stack()
    assert not stack.report, stack.report.lines()
    kinesis = aws.client("kinesis")
    for upload, size in (("u-1", 1200), ("u-2", 5_000_000), ("u-3", 10)):
        kinesis.put_record(StreamName=stack.outputs["StreamName"], PartitionKey=upload,
                           Data=json.dumps({"uploadId": upload, "size": size}).encode())
    aws.run_until_idle()

    s3 = aws.client("s3")
    stored = s3.list_objects_v2(Bucket=stack.outputs["BucketName"])["Contents"]
    assert sorted(o["Key"] for o in stored) == ["notices/u-1.json", "notices/u-3.json"]
    body = s3.get_object(Bucket=stack.outputs["BucketName"], Key="notices/u-1.json")["Body"].read()
    assert json.loads(body) == {"uploadId": "u-1", "size": 1200}
    [mail] = aws.ses.sent()
    assert (mail.source, mail.to, mail.subject) == (
        "media@example.com", ["ops@example.com"], "Upload u-2 is too large")
    function = stack.physical_id("IngestFunction")
    logged = [json.loads(line) for line in aws.logs(function) if line.startswith("{")]
    assert {(entry["message"], entry["uploadId"]) for entry in logged} == {
        ("notice stored", "u-1"), ("notice stored", "u-3"), ("upload over the limit", "u-2")}
    assert all(entry["service"] == "media-ingest" for entry in logged)
