"""S3 notifications conform to contracts/aws (S3EventNotification, S3TestEvent, S3EventBridgeObjectEvent)."""

from __future__ import annotations

import json

from aws_lambda_powertools.utilities.parser.models import (
    S3EventNotificationEventBridgeModel,
    S3Model,
)

from eventproof_fakes import FakeAWS, observe
from tests.integration.delivery_contracts import aws_catalog

MIB = 1024 * 1024


def queue_arn(aws: FakeAWS, name: str) -> str:
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn: str = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    return arn


def test_notifications_to_every_destination_conform(aws: FakeAWS) -> None:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="uploads")
    s3.put_bucket_versioning(Bucket="uploads", VersioningConfiguration={"Status": "Enabled"})
    topic = aws.client("sns").create_topic(Name="uploads")["TopicArn"]
    function = aws.lambda_.register("thumbnails", lambda event, context: None)
    bus_target = queue_arn(aws, "bus-target")
    aws.client("events").put_rule(Name="s3", EventPattern=json.dumps({"source": ["aws.s3"]}))
    aws.client("events").put_targets(Rule="s3", Targets=[{"Id": "q", "Arn": bus_target}])
    s3.put_bucket_notification_configuration(
        Bucket="uploads",
        NotificationConfiguration={
            "QueueConfigurations": [{"QueueArn": queue_arn(aws, "created"),
                                     "Events": ["s3:ObjectCreated:Copy",
                                                "s3:ObjectCreated:CompleteMultipartUpload"]}],
            "TopicConfigurations": [{"TopicArn": topic, "Events": ["s3:ObjectRemoved:*"]}],
            "LambdaFunctionConfigurations": [
                {"LambdaFunctionArn": function, "Events": ["s3:ObjectCreated:Put"],
                 "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "img/"}]}}}
            ],
            "EventBridgeConfiguration": {},
        },
    )
    s3.put_object(Bucket="uploads", Key="img/a b.png", Body=b"png")
    s3.copy_object(Bucket="uploads", Key="copy", CopySource="uploads/img/a b.png")
    upload = s3.create_multipart_upload(Bucket="uploads", Key="big")["UploadId"]
    etag = s3.upload_part(Bucket="uploads", Key="big", UploadId=upload, PartNumber=1,
                          Body=b"x" * MIB)["ETag"]
    s3.complete_multipart_upload(Bucket="uploads", Key="big", UploadId=upload,
                                 MultipartUpload={"Parts": [{"ETag": etag, "PartNumber": 1}]})
    s3.put_object_tagging(Bucket="uploads", Key="big", Tagging={"TagSet": [{"Key": "a", "Value": "1"}]})
    s3.delete_object_tagging(Bucket="uploads", Key="big")
    marker = s3.delete_object(Bucket="uploads", Key="copy")["VersionId"]
    s3.delete_object(Bucket="uploads", Key="copy", VersionId=marker)
    aws.run_until_idle()

    notified = aws.deliveries.of_kind(observe.S3_NOTIFICATION)
    names = [d.payload["Records"][0]["eventName"] for d in notified]
    assert names == [
        "ObjectCreated:Put", "ObjectCreated:Copy", "ObjectCreated:CompleteMultipartUpload",
        "ObjectRemoved:DeleteMarkerCreated", "ObjectRemoved:Delete",
    ]
    assert len(aws.deliveries.of_kind(observe.S3_TEST_EVENT)) == 2  # the queue and the topic
    assert [i.event["Records"][0]["s3"]["object"]["key"] for i in aws.invocations("thumbnails")] \
        == ["img/a+b.png"]
    bus_events = [d.payload for d in aws.deliveries.of_kind(observe.EVENTBRIDGE_EVENT)]
    assert [e["detail-type"] for e in bus_events] == [
        "Object Created", "Object Created", "Object Created", "Object Tags Added",
        "Object Tags Deleted", "Object Deleted", "Object Deleted",
    ]
    contract = aws_catalog()["S3EventBridgeObjectEvent"]
    for event in bus_events:
        assert contract.is_valid(event), [v.render() for v in contract.violations(event)]
        S3EventNotificationEventBridgeModel.model_validate(event)
    for delivery in notified:
        S3Model.model_validate(delivery.payload)


def test_lifecycle_expirations_conform(aws: FakeAWS) -> None:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="uploads")
    aws.client("events").put_rule(Name="s3", EventPattern=json.dumps({"source": ["aws.s3"]}))
    aws.client("events").put_targets(Rule="s3", Targets=[{"Id": "q", "Arn": queue_arn(aws, "bus")}])
    s3.put_bucket_notification_configuration(
        Bucket="uploads",
        NotificationConfiguration={
            "QueueConfigurations": [{"QueueArn": queue_arn(aws, "expired"),
                                     "Events": ["s3:LifecycleExpiration:*"]}],
            "EventBridgeConfiguration": {},
        },
    )
    s3.put_bucket_lifecycle_configuration(Bucket="uploads", LifecycleConfiguration={"Rules": [
        {"ID": "x", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 1}}]})
    s3.put_object(Bucket="uploads", Key="k", Body=b"x")
    aws.clock.advance(2 * 24 * 60 * 60)
    [notified] = aws.deliveries.of_kind(observe.S3_NOTIFICATION)
    assert notified.payload["Records"][0]["eventName"] == "LifecycleExpiration:Delete"
    deleted = aws.deliveries.of_kind(observe.EVENTBRIDGE_EVENT)[-1].payload
    assert deleted["detail"]["reason"] == "Lifecycle Expiration"
    contract = aws_catalog()["S3EventBridgeObjectEvent"]
    assert contract.is_valid(deleted), [v.render() for v in contract.violations(deleted)]
    S3EventNotificationEventBridgeModel.model_validate(deleted)
    S3Model.model_validate(notified.payload)


def test_a_removed_destination_is_recorded_as_a_failed_delivery(aws: FakeAWS) -> None:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="uploads")
    arn = queue_arn(aws, "gone")
    s3.put_bucket_notification_configuration(
        Bucket="uploads",
        NotificationConfiguration={"QueueConfigurations": [{"QueueArn": arn,
                                                             "Events": ["s3:ObjectCreated:*"]}]},
    )
    aws.client("sqs").delete_queue(QueueUrl=aws.sqs.queue_url(arn))
    s3.put_object(Bucket="uploads", Key="k", Body=b"x")
    [(bucket, target, error)] = aws.s3.failed_deliveries
    assert (bucket, target) == ("uploads", arn)
    assert "NonExistentQueue" in error or "does not exist" in error
