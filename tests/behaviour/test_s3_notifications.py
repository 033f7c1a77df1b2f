"""S3 event notifications to SQS, SNS, Lambda and EventBridge, with AWS's record shapes.

https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
Every record is also parsed with Powertools' models, as a handler would.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from aws_lambda_powertools.utilities.parser.models import (
    S3EventNotificationEventBridgeModel,
    S3Model,
    S3SqsEventNotificationModel,
)
from botocore.exceptions import ClientError

from tests.behaviour.s3_helpers import BUCKET, error_of

MIB = 1024 * 1024


@pytest.fixture
def s3(aws: Any) -> Any:
    client = aws.client("s3")
    client.create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture
def sqs(aws: Any) -> Any:
    return aws.client("sqs")


def make_queue(sqs: Any, name: str = "uploads") -> tuple[str, str]:
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    return url, arn


def queue_config(arn: str, events: list[str], prefix: str = "", suffix: str = "",
                 config_id: str = "uploads") -> dict[str, Any]:
    config: dict[str, Any] = {"Id": config_id, "QueueArn": arn, "Events": events}
    rules = [{"Name": n, "Value": v} for n, v in (("prefix", prefix), ("suffix", suffix)) if v]
    if rules:
        config["Filter"] = {"Key": {"FilterRules": rules}}
    return config


def notify_queue(s3: Any, sqs: Any, events: list[str], **filters: str) -> str:
    url, arn = make_queue(sqs)
    s3.put_bucket_notification_configuration(
        Bucket=BUCKET,
        NotificationConfiguration={"QueueConfigurations": [queue_config(arn, events, **filters)]},
    )
    drain(sqs, url)  # the s3:TestEvent
    return url


def drain(sqs: Any, url: str) -> list[dict[str, Any]]:
    bodies = []
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return bodies
        for message in messages:
            bodies.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def records(sqs: Any, url: str) -> list[dict[str, Any]]:
    return [r for body in drain(sqs, url) for r in body.get("Records", [])]


# --- configuration ----------------------------------------------------------------
def test_the_configuration_reads_back(s3: Any, sqs: Any) -> None:
    _, arn = make_queue(sqs)
    s3.put_bucket_notification_configuration(
        Bucket=BUCKET,
        NotificationConfiguration={
            "QueueConfigurations": [queue_config(arn, ["s3:ObjectCreated:*"], prefix="in/")]
        },
    )
    stored = s3.get_bucket_notification_configuration(Bucket=BUCKET)["QueueConfigurations"]
    assert [(c["Id"], c["QueueArn"], c["Events"]) for c in stored] == [
        ("uploads", arn, ["s3:ObjectCreated:*"])
    ]
    rules = stored[0]["Filter"]["Key"]["FilterRules"]
    assert [(r["Name"].lower(), r["Value"]) for r in rules] == [("prefix", "in/")]


def test_a_bucket_without_configuration_reads_back_empty(s3: Any) -> None:
    stored = s3.get_bucket_notification_configuration(Bucket=BUCKET)
    assert not any(k.endswith("Configurations") for k in stored)


def test_a_queue_gets_the_s3_test_event_when_configured(s3: Any, sqs: Any) -> None:
    url, arn = make_queue(sqs)
    s3.put_bucket_notification_configuration(
        Bucket=BUCKET,
        NotificationConfiguration={"QueueConfigurations": [queue_config(arn, ["s3:ObjectCreated:*"])]},
    )
    [test_event] = drain(sqs, url)
    assert test_event["Event"] == "s3:TestEvent"
    assert test_event["Bucket"] == BUCKET
    assert test_event["Service"] == "Amazon S3"


@pytest.mark.fakes_only  # moto does not check overlaps; AWS: https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html
def test_overlapping_configurations_are_refused(s3: Any, sqs: Any) -> None:
    _, arn = make_queue(sqs)
    configs = [
        queue_config(arn, ["s3:ObjectCreated:*"], prefix="images/", config_id="a"),
        queue_config(arn, ["s3:ObjectCreated:Put"], prefix="images/raw/", config_id="b"),
    ]
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_notification_configuration(
            Bucket=BUCKET, NotificationConfiguration={"QueueConfigurations": configs}
        )
    assert error_of(excinfo)["Code"] == "InvalidArgument"
    assert "overlap" in error_of(excinfo)["Message"]


def test_disjoint_prefixes_with_the_same_event_are_accepted(s3: Any, sqs: Any) -> None:
    _, arn = make_queue(sqs)
    configs = [
        queue_config(arn, ["s3:ObjectCreated:*"], prefix="images/", config_id="a"),
        queue_config(arn, ["s3:ObjectCreated:*"], prefix="videos/", config_id="b"),
    ]
    s3.put_bucket_notification_configuration(
        Bucket=BUCKET, NotificationConfiguration={"QueueConfigurations": configs}
    )
    stored = s3.get_bucket_notification_configuration(Bucket=BUCKET)["QueueConfigurations"]
    assert len(stored) == 2


@pytest.mark.fakes_only  # moto does not validate destinations; AWS: https://docs.aws.amazon.com/AmazonS3/latest/userguide/ways-to-add-notification-config-to-bucket.html
def test_a_missing_destination_queue_is_refused(s3: Any) -> None:
    missing = "arn:aws:sqs:us-east-1:123456789012:nowhere"
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_notification_configuration(
            Bucket=BUCKET,
            NotificationConfiguration={"QueueConfigurations": [queue_config(missing, ["s3:ObjectCreated:*"])]},
        )
    assert error_of(excinfo)["Code"] == "InvalidArgument"
    assert error_of(excinfo)["Message"] == "Unable to validate the following destination configurations"


def test_an_unknown_event_type_is_refused(s3: Any, sqs: Any) -> None:
    _, arn = make_queue(sqs)
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_notification_configuration(
            Bucket=BUCKET,
            NotificationConfiguration={"QueueConfigurations": [queue_config(arn, ["s3:ObjectMoved:*"])]},
        )
    assert error_of(excinfo)["Code"] == "InvalidArgument"


# --- records to SQS -----------------------------------------------------------------
def test_a_put_sends_an_object_created_put_record(s3: Any, sqs: Any) -> None:
    url = notify_queue(s3, sqs, ["s3:ObjectCreated:*"])
    s3.put_object(Bucket=BUCKET, Key="order.json", Body=b"{}")
    [record] = records(sqs, url)
    assert record["eventVersion"] == "2.1"
    assert record["eventSource"] == "aws:s3"
    assert record["eventName"] == "ObjectCreated:Put"
    assert record["awsRegion"] == "us-east-1"
    assert record["s3"]["configurationId"] == "uploads"
    assert record["s3"]["bucket"]["name"] == BUCKET
    assert record["s3"]["bucket"]["arn"] == f"arn:aws:s3:::{BUCKET}"
    obj = record["s3"]["object"]
    assert (obj["key"], obj["size"]) == ("order.json", 2)
    assert obj["eTag"] == hashlib.md5(b"{}").hexdigest()


# moto encodes "/" as %2F; AWS form-encodes the key ("red flower.jpg" -> "red+flower.jpg",
# notification-content-structure.html) but leaves "/" as is (observed on AWS, minio/minio#11665)
@pytest.mark.fakes_only
def test_the_key_in_a_record_is_url_encoded(s3: Any, sqs: Any) -> None:
    url = notify_queue(s3, sqs, ["s3:ObjectCreated:*"])
    s3.put_object(Bucket=BUCKET, Key="photos/red flower.jpg", Body=b"x")
    [record] = records(sqs, url)
    assert record["s3"]["object"]["key"] == "photos/red+flower.jpg"


@pytest.mark.fakes_only  # moto has no sequencer; AWS: notification-content-structure.html ("sequencer")
def test_sequencers_increase_for_later_events_on_a_key(s3: Any, sqs: Any) -> None:
    url = notify_queue(s3, sqs, ["s3:ObjectCreated:*"])
    for content in (b"1", b"2", b"3"):
        s3.put_object(Bucket=BUCKET, Key="k", Body=content)
    sequencers = [r["s3"]["object"]["sequencer"] for r in records(sqs, url)]
    assert len(sequencers) == 3
    assert sequencers == sorted(sequencers, key=lambda s: s.rjust(32, "0"))
    assert len(set(sequencers)) == 3


def test_prefix_and_suffix_rules_filter_the_keys(s3: Any, sqs: Any) -> None:
    url = notify_queue(s3, sqs, ["s3:ObjectCreated:*"], prefix="images-", suffix=".jpg")
    for key in ("images-a.jpg", "images-b.png", "docs-c.jpg"):
        s3.put_object(Bucket=BUCKET, Key=key, Body=b"x")
    assert [r["s3"]["object"]["key"] for r in records(sqs, url)] == ["images-a.jpg"]


def test_an_event_type_not_configured_sends_nothing(s3: Any, sqs: Any) -> None:
    url = notify_queue(s3, sqs, ["s3:ObjectRemoved:*"])
    s3.put_object(Bucket=BUCKET, Key="k", Body=b"x")
    assert records(sqs, url) == []


def test_a_delete_sends_object_removed_delete(s3: Any, sqs: Any) -> None:
    url = notify_queue(s3, sqs, ["s3:ObjectRemoved:*"])
    s3.put_object(Bucket=BUCKET, Key="k", Body=b"x")
    s3.delete_object(Bucket=BUCKET, Key="k")
    [record] = records(sqs, url)
    assert record["eventName"] == "ObjectRemoved:Delete"
    assert record["s3"]["object"]["key"] == "k"


@pytest.mark.fakes_only  # moto sends nothing; AWS: s3:ObjectRemoved:DeleteMarkerCreated, https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html
def test_a_versioned_delete_sends_delete_marker_created(s3: Any, sqs: Any) -> None:
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    url = notify_queue(s3, sqs, ["s3:ObjectRemoved:*"])
    s3.put_object(Bucket=BUCKET, Key="k", Body=b"x")
    marker = s3.delete_object(Bucket=BUCKET, Key="k")["VersionId"]
    [record] = records(sqs, url)
    assert record["eventName"] == "ObjectRemoved:DeleteMarkerCreated"
    assert record["s3"]["object"]["versionId"] == marker


def test_copy_and_multipart_have_their_own_event_names(s3: Any, sqs: Any) -> None:
    url = notify_queue(s3, sqs, ["s3:ObjectCreated:Copy", "s3:ObjectCreated:CompleteMultipartUpload"])
    s3.put_object(Bucket=BUCKET, Key="src", Body=b"x")
    s3.copy_object(Bucket=BUCKET, Key="copy", CopySource=f"{BUCKET}/src")
    upload_id = s3.create_multipart_upload(Bucket=BUCKET, Key="big")["UploadId"]
    etag = s3.upload_part(Bucket=BUCKET, Key="big", UploadId=upload_id, PartNumber=1,
                          Body=b"y" * MIB)["ETag"]
    s3.complete_multipart_upload(Bucket=BUCKET, Key="big", UploadId=upload_id,
                                 MultipartUpload={"Parts": [{"ETag": etag, "PartNumber": 1}]})
    assert [(r["eventName"], r["s3"]["object"]["key"]) for r in records(sqs, url)] == [
        ("ObjectCreated:Copy", "copy"),
        ("ObjectCreated:CompleteMultipartUpload", "big"),
    ]


# --- SNS, Lambda, EventBridge -----------------------------------------------------------
def test_a_topic_destination_publishes_the_records_with_s3s_subject(s3: Any, sqs: Any, aws: Any) -> None:
    sns = aws.client("sns")
    topic = sns.create_topic(Name="uploads")["TopicArn"]
    url, arn = make_queue(sqs, "subscriber")
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
    s3.put_bucket_notification_configuration(
        Bucket=BUCKET,
        NotificationConfiguration={"TopicConfigurations": [
            {"Id": "t", "TopicArn": topic, "Events": ["s3:ObjectCreated:*"]}
        ]},
    )
    s3.put_object(Bucket=BUCKET, Key="k", Body=b"x")
    envelopes = drain(sqs, url)
    messages = [json.loads(e["Message"]) for e in envelopes]
    created = [m for m in messages if "Records" in m]
    assert [m["Records"][0]["eventName"] for m in created] == ["ObjectCreated:Put"]


@pytest.mark.fakes_only  # moto publishes without a subject; AWS sets "Amazon S3 Notification" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ways-to-add-notification-config-to-bucket.html)
def test_s3_publishes_to_a_topic_with_its_subject_and_powertools_parses_the_message(
    s3: Any, sqs: Any, aws: Any
) -> None:
    sns = aws.client("sns")
    topic = sns.create_topic(Name="uploads")["TopicArn"]
    url, arn = make_queue(sqs, "subscriber")
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
    s3.put_bucket_notification_configuration(
        Bucket=BUCKET,
        NotificationConfiguration={"TopicConfigurations": [
            {"Id": "t", "TopicArn": topic, "Events": ["s3:ObjectCreated:*"]}
        ]},
    )
    s3.put_object(Bucket=BUCKET, Key="k", Body=b"x")
    test_event, created = drain(sqs, url)
    assert json.loads(test_event["Message"])["Event"] == "s3:TestEvent"
    assert {test_event["Subject"], created["Subject"]} == {"Amazon S3 Notification"}
    S3Model.model_validate(json.loads(created["Message"]))


@pytest.mark.fakes_only  # moto leaves out userIdentity, requestParameters, responseElements and ownerIdentity; AWS: notification-content-structure.html
def test_every_record_parses_with_powertools_s3_model(s3: Any, sqs: Any) -> None:
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    url = notify_queue(s3, sqs, ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"])
    s3.put_object(Bucket=BUCKET, Key="a b.txt", Body=b"x")
    s3.copy_object(Bucket=BUCKET, Key="c", CopySource=f"{BUCKET}/a b.txt")
    version = s3.delete_object(Bucket=BUCKET, Key="c")["VersionId"]
    s3.delete_object(Bucket=BUCKET, Key="c", VersionId=version)
    found = records(sqs, url)
    assert [r["eventName"] for r in found] == [
        "ObjectCreated:Put", "ObjectCreated:Copy", "ObjectRemoved:DeleteMarkerCreated",
        "ObjectRemoved:Delete",
    ]
    parsed = S3Model.model_validate({"Records": found})
    assert parsed.Records[0].s3.object.size == 1
    assert parsed.Records[0].userIdentity.principalId


@pytest.mark.fakes_only  # moto runs Lambda handlers only in Docker
def test_a_function_destination_is_invoked_asynchronously_with_the_records(s3: Any, aws: Any) -> None:
    env = aws.env
    seen: list[Any] = []
    arn = env.lambda_.register("thumbnails", lambda event, context: seen.append(event))
    s3.put_bucket_notification_configuration(
        Bucket=BUCKET,
        NotificationConfiguration={"LambdaFunctionConfigurations": [
            {"Id": "thumbs", "LambdaFunctionArn": arn, "Events": ["s3:ObjectCreated:*"],
             "Filter": {"Key": {"FilterRules": [{"Name": "suffix", "Value": ".png"}]}}}
        ]},
    )
    s3.put_object(Bucket=BUCKET, Key="a.png", Body=b"x")
    s3.put_object(Bucket=BUCKET, Key="a.txt", Body=b"x")
    assert seen == []  # asynchronous: nothing runs until the environment is driven
    env.run_until_idle()
    [event] = seen
    parsed = S3Model.model_validate(event)
    assert parsed.Records[0].s3.object.key == "a.png"


@pytest.mark.fakes_only  # moto runs Lambda handlers only in Docker
def test_an_sqs_mapping_hands_s3_records_that_powertools_parses(s3: Any, sqs: Any, aws: Any) -> None:
    env = aws.env
    seen: list[Any] = []
    env.lambda_.register("consumer", lambda event, context: seen.append(event))
    url, arn = make_queue(sqs)
    s3.put_bucket_notification_configuration(
        Bucket=BUCKET,
        NotificationConfiguration={"QueueConfigurations": [queue_config(arn, ["s3:ObjectCreated:*"])]},
    )
    drain(sqs, url)
    aws.client("lambda").create_event_source_mapping(EventSourceArn=arn, FunctionName="consumer")
    s3.put_object(Bucket=BUCKET, Key="k", Body=b"x")
    env.run_until_idle()
    [event] = seen
    parsed = S3SqsEventNotificationModel.model_validate(event)
    assert parsed.Records[0].body.Records[0].eventName == "ObjectCreated:Put"


@pytest.mark.fakes_only  # moto adds an "Object Tags Added" event, says reason "ObjectCreated", spells eTag; AWS: https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
def test_eventbridge_gets_object_created_and_deleted_events(s3: Any, sqs: Any, aws: Any) -> None:
    events = aws.client("events")
    url, arn = make_queue(sqs, "bus-target")
    events.put_rule(Name="s3", EventPattern=json.dumps({"source": ["aws.s3"]}))
    events.put_targets(Rule="s3", Targets=[{"Id": "q", "Arn": arn}])
    s3.put_bucket_notification_configuration(
        Bucket=BUCKET, NotificationConfiguration={"EventBridgeConfiguration": {}}
    )
    s3.put_object(Bucket=BUCKET, Key="red flower.jpg", Body=b"abc")
    s3.delete_object(Bucket=BUCKET, Key="red flower.jpg")
    created, deleted = drain(sqs, url)
    assert created["detail-type"] == "Object Created"
    assert created["resources"] == [f"arn:aws:s3:::{BUCKET}"]
    assert created["detail"]["object"]["key"] == "red flower.jpg"
    assert created["detail"]["reason"] == "PutObject"
    assert deleted["detail-type"] == "Object Deleted"
    assert deleted["detail"]["deletion-type"] == "Permanently Deleted"
    for event in (created, deleted):
        S3EventNotificationEventBridgeModel.model_validate(event)


def test_a_recreated_bucket_has_no_notification_configuration(s3: Any, sqs: Any) -> None:
    url = notify_queue(s3, sqs, ["s3:ObjectCreated:*"])
    s3.delete_bucket(Bucket=BUCKET)
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="k", Body=b"x")
    assert records(sqs, url) == []
    stored = s3.get_bucket_notification_configuration(Bucket=BUCKET)
    assert "QueueConfigurations" not in stored


def test_an_empty_configuration_turns_notifications_off(s3: Any, sqs: Any) -> None:
    url = notify_queue(s3, sqs, ["s3:ObjectCreated:*"])
    s3.put_bucket_notification_configuration(Bucket=BUCKET, NotificationConfiguration={})
    s3.put_object(Bucket=BUCKET, Key="k", Body=b"x")
    assert records(sqs, url) == []


@pytest.mark.fakes_only  # moto sends nothing; AWS answers 204 and notifies (minio mirrors it: minio/minio#19037)
def test_deleting_a_missing_key_still_notifies(s3: Any, sqs: Any) -> None:
    url = notify_queue(s3, sqs, ["s3:ObjectRemoved:*"])
    s3.delete_object(Bucket=BUCKET, Key="never-there")
    assert [r["eventName"] for r in records(sqs, url)] == ["ObjectRemoved:Delete"]
