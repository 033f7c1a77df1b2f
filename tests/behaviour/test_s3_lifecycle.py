"""S3 Lifecycle: configuration, and expiration on the virtual clock with its notifications.

https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html
Expiration needs time to pass: those cases run on the fakes only (moto
has no clock to advance; ``aws.advance`` skips them there).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_lambda_powertools.utilities.parser.models import S3Model
from botocore.exceptions import ClientError

from tests.behaviour.s3_helpers import BUCKET, error_of

DAY = 24 * 60 * 60


@pytest.fixture
def s3(aws: Any) -> Any:
    client = aws.client("s3")
    client.create_bucket(Bucket=BUCKET)
    return client


def expire_after(s3: Any, days: int, prefix: str = "", **actions: Any) -> None:
    rule = {"ID": "expire", "Status": "Enabled", "Filter": {"Prefix": prefix},
            "Expiration": {"Days": days}, **actions}
    s3.put_bucket_lifecycle_configuration(Bucket=BUCKET, LifecycleConfiguration={"Rules": [rule]})


def keys(s3: Any) -> list[str]:
    return [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_a_lifecycle_configuration_reads_back(s3: Any) -> None:
    expire_after(s3, 7, prefix="tmp/")
    [rule] = s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)["Rules"]
    assert (rule["ID"], rule["Status"], rule["Expiration"]["Days"]) == ("expire", "Enabled", 7)
    assert rule["Filter"]["Prefix"] == "tmp/"


def test_a_bucket_without_lifecycle_has_none_and_delete_removes_it(s3: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)
    assert error_of(excinfo)["Code"] == "NoSuchLifecycleConfiguration"
    expire_after(s3, 1)
    s3.delete_bucket_lifecycle(Bucket=BUCKET)
    with pytest.raises(ClientError):
        s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)


@pytest.mark.fakes_only  # moto accepts it; AWS: API_LifecycleExpiration ("Days ... must be a non-zero positive integer")
def test_expiration_days_must_be_positive(s3: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        expire_after(s3, 0)
    assert error_of(excinfo)["Code"] == "InvalidArgument"


def test_objects_expire_at_the_midnight_after_their_age_reaches_the_rule(aws: Any, s3: Any) -> None:
    expire_after(s3, 1, prefix="tmp/")
    aws.advance(6 * 60 * 60)  # 06:00 on day 0
    s3.put_object(Bucket=BUCKET, Key="tmp/a", Body=b"x")
    s3.put_object(Bucket=BUCKET, Key="keep/b", Body=b"x")
    aws.advance(DAY)  # 06:00 on day 1: one day old, not yet midnight
    assert keys(s3) == ["keep/b", "tmp/a"]
    aws.advance(18 * 60 * 60)  # 00:00 on day 2
    assert keys(s3) == ["keep/b"]


def test_expiry_in_a_versioned_bucket_leaves_a_delete_marker(aws: Any, s3: Any) -> None:
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    expire_after(s3, 1)
    version = s3.put_object(Bucket=BUCKET, Key="k", Body=b"x")["VersionId"]
    aws.advance(2 * DAY)
    listed = s3.list_object_versions(Bucket=BUCKET)
    assert [v["VersionId"] for v in listed["Versions"]] == [version]
    assert [m["IsLatest"] for m in listed["DeleteMarkers"]] == [True]


def test_noncurrent_versions_expire_but_the_newest_ones_kept_stay(aws: Any, s3: Any) -> None:
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    rule = {"ID": "old", "Status": "Enabled", "Filter": {},
            "NoncurrentVersionExpiration": {"NoncurrentDays": 1, "NewerNoncurrentVersions": 1}}
    s3.put_bucket_lifecycle_configuration(Bucket=BUCKET, LifecycleConfiguration={"Rules": [rule]})
    ids = [s3.put_object(Bucket=BUCKET, Key="k", Body=str(n).encode())["VersionId"]
           for n in range(4)]
    aws.advance(3 * DAY)
    remaining = [v["VersionId"] for v in s3.list_object_versions(Bucket=BUCKET)["Versions"]]
    assert remaining == [ids[3], ids[2]]  # the current one and the newest noncurrent one


def test_a_disabled_rule_expires_nothing(aws: Any, s3: Any) -> None:
    rule = {"ID": "off", "Status": "Disabled", "Filter": {}, "Expiration": {"Days": 1}}
    s3.put_bucket_lifecycle_configuration(Bucket=BUCKET, LifecycleConfiguration={"Rules": [rule]})
    s3.put_object(Bucket=BUCKET, Key="k", Body=b"x")
    aws.advance(5 * DAY)
    assert keys(s3) == ["k"]


def test_incomplete_multipart_uploads_are_aborted(aws: Any, s3: Any) -> None:
    rule = {"ID": "mpu", "Status": "Enabled", "Filter": {},
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2}}
    s3.put_bucket_lifecycle_configuration(Bucket=BUCKET, LifecycleConfiguration={"Rules": [rule]})
    s3.create_multipart_upload(Bucket=BUCKET, Key="big")
    aws.advance(3 * DAY)
    assert "Uploads" not in s3.list_multipart_uploads(Bucket=BUCKET)


def test_expiry_sends_lifecycle_expiration_not_object_removed(aws: Any, s3: Any) -> None:
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName="expired")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"]
    s3.put_bucket_notification_configuration(
        Bucket=BUCKET,
        NotificationConfiguration={"QueueConfigurations": [
            {"Id": "gone", "QueueArn": arn, "Events": ["s3:LifecycleExpiration:*"]},
            {"Id": "removed", "QueueArn": arn, "Events": ["s3:ObjectRemoved:*"]},
        ]},
    )
    expire_after(s3, 1)
    s3.put_object(Bucket=BUCKET, Key="k", Body=b"x")
    aws.advance(2 * DAY)
    bodies = [json.loads(m["Body"]) for m in
              sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]]
    [event] = [b for b in bodies if "Records" in b]
    [record] = event["Records"]
    assert (record["eventName"], record["eventVersion"]) == ("LifecycleExpiration:Delete", "2.3")
    assert record["requestParameters"]["sourceIPAddress"] == "s3.amazonaws.com"
    S3Model.model_validate(event)

