"""The S3 fake's Python API, refused parameters, and what the binding does for REST calls."""

from __future__ import annotations

import base64
import zlib

import pytest
from botocore.exceptions import ClientError

from eventproof_fakes import FakeAWS


@pytest.fixture
def env() -> FakeAWS:
    return FakeAWS()


def test_the_python_api_reads_what_boto3_wrote(env: FakeAWS) -> None:
    s3 = env.client("s3")
    s3.create_bucket(Bucket="bk1")
    s3.put_bucket_versioning(Bucket="bk1", VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket="bk1", Key="k", Body=b"one")
    s3.put_object(Bucket="bk1", Key="k", Body=b"two")
    s3.put_object(Bucket="bk1", Key="gone", Body=b"x")
    s3.delete_object(Bucket="bk1", Key="gone")
    assert env.s3.object_bytes("bk1", "k") == b"two"
    etag = env.s3.put_bytes("bk1", "seeded", b"{}", content_type="application/json")
    assert s3.head_object(Bucket="bk1", Key="seeded")["ETag"] == etag
    assert env.s3.keys("bk1") == ["k", "seeded"]
    assert [v.data for v in env.s3.versions("bk1", "k")] == [b"one", b"two"]


def test_an_unmodelled_parameter_is_refused_by_name(env: FakeAWS) -> None:
    s3 = env.client("s3")
    s3.create_bucket(Bucket="bk1")
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket="bk1", Key="k", Body=b"x", SSEKMSKeyId="alias/key")
    assert excinfo.value.response["Error"]["Code"] == "UnsupportedParameter"
    assert "SSEKMSKeyId" in excinfo.value.response["Error"]["Message"]


def test_the_checksum_botocore_chose_reaches_the_fake(env: FakeAWS) -> None:
    s3 = env.client("s3")
    s3.create_bucket(Bucket="bk1")
    s3.put_object(Bucket="bk1", Key="k", Body=b"data")
    [version] = env.s3.versions("bk1", "k")
    expected = base64.b64encode(zlib.crc32(b"data").to_bytes(4, "big")).decode()
    assert version.checksums == {"CRC32": expected}


def test_a_client_that_computes_checksums_only_when_required_sends_none(env: FakeAWS) -> None:
    from botocore.config import Config

    s3 = env.client("s3", config=Config(request_checksum_calculation="when_required"))
    s3.create_bucket(Bucket="bk1")
    assert "ChecksumCRC32" not in s3.put_object(Bucket="bk1", Key="k", Body=b"data")


def test_presigned_urls_carry_their_own_bucket_after_calls_to_another(env: FakeAWS) -> None:
    s3 = env.client("s3")
    s3.create_bucket(Bucket="first-bucket")
    s3.put_object(Bucket="first-bucket", Key="k", Body=b"x")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": "second-bucket", "Key": "a/b"})
    assert url.startswith("https://second-bucket.s3.amazonaws.com/a/b?")
    post = s3.generate_presigned_post("second-bucket", "upload/${filename}")
    assert post["url"] == "https://second-bucket.s3.amazonaws.com/"
    # the bound client still answers from the fake afterwards
    assert s3.get_object(Bucket="first-bucket", Key="k")["Body"].read() == b"x"


def test_a_notification_to_a_removed_function_is_kept_as_a_failed_delivery(env: FakeAWS) -> None:
    s3 = env.client("s3")
    s3.create_bucket(Bucket="bk1")
    arn = env.lambda_.register("f", lambda event, context: None)
    s3.put_bucket_notification_configuration(
        Bucket="bk1",
        NotificationConfiguration={"LambdaFunctionConfigurations": [
            {"LambdaFunctionArn": arn, "Events": ["s3:ObjectCreated:*"]}]},
    )
    env.client("lambda").delete_function(FunctionName="f")
    s3.put_object(Bucket="bk1", Key="k", Body=b"x")
    assert [(b, t) for b, t, _ in env.s3.failed_deliveries] == [("bk1", arn)]


def test_duplicate_delivery_faults_apply_to_s3_notifications(env: FakeAWS) -> None:
    sqs = env.client("sqs")
    url = sqs.create_queue(QueueName="q")["QueueUrl"]
    s3 = env.client("s3")
    s3.create_bucket(Bucket="bk1")
    s3.put_bucket_notification_configuration(
        Bucket="bk1",
        NotificationConfiguration={"QueueConfigurations": [
            {"QueueArn": env.sqs.queue_arn(url), "Events": ["s3:ObjectCreated:*"]}]},
    )
    env.faults.duplicate("s3:bk1", times=2)
    s3.put_object(Bucket="bk1", Key="k", Body=b"x")
    bodies = [m.body for m in env.sqs.messages(url)]
    assert sum('"ObjectCreated:Put"' in b for b in bodies) == 2


def test_a_part_checksum_that_does_not_match_at_completion_is_invalid_part(env: FakeAWS) -> None:
    s3 = env.client("s3")
    s3.create_bucket(Bucket="bk1")
    upload = s3.create_multipart_upload(Bucket="bk1", Key="k", ChecksumAlgorithm="SHA256")
    part = s3.upload_part(Bucket="bk1", Key="k", UploadId=upload["UploadId"], PartNumber=1,
                          Body=b"x", ChecksumAlgorithm="SHA256")
    wrong = {"ETag": part["ETag"], "PartNumber": 1, "ChecksumSHA256": "AAAA"}
    with pytest.raises(ClientError) as excinfo:
        s3.complete_multipart_upload(Bucket="bk1", Key="k", UploadId=upload["UploadId"],
                                     MultipartUpload={"Parts": [wrong]})
    assert excinfo.value.response["Error"]["Code"] == "InvalidPart"
    right = {"ETag": part["ETag"], "PartNumber": 1, "ChecksumSHA256": part["ChecksumSHA256"]}
    done = s3.complete_multipart_upload(Bucket="bk1", Key="k", UploadId=upload["UploadId"],
                                        MultipartUpload={"Parts": [right]})
    assert done["ChecksumSHA256"].endswith("-1") and done["ChecksumType"] == "COMPOSITE"


def test_a_checksum_value_the_caller_supplies_is_checked_not_replaced(env: FakeAWS) -> None:
    import hashlib

    s3 = env.client("s3")
    s3.create_bucket(Bucket="bk1")
    digest = base64.b64encode(hashlib.sha256(b"data").digest()).decode()
    put = s3.put_object(Bucket="bk1", Key="k", Body=b"data", ChecksumSHA256=digest)
    assert put["ChecksumSHA256"] == digest and "ChecksumCRC32" not in put
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket="bk1", Key="k", Body=b"other", ChecksumSHA256=digest)
    assert excinfo.value.response["Error"]["Code"] == "BadDigest"


def test_a_bucket_outside_us_east_1_needs_its_region_as_location_constraint() -> None:
    s3 = FakeAWS(region="eu-west-1").client("s3")
    with pytest.raises(ClientError) as excinfo:
        s3.create_bucket(Bucket="bk1")
    assert excinfo.value.response["Error"]["Code"] == "IllegalLocationConstraintException"
    with pytest.raises(ClientError) as other:
        s3.create_bucket(Bucket="bk1", CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
    assert "us-west-2 location constraint is incompatible" in other.value.response["Error"]["Message"]
    s3.create_bucket(Bucket="bk1", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert s3.get_bucket_location(Bucket="bk1")["LocationConstraint"] == "eu-west-1"
    assert s3.head_bucket(Bucket="bk1")["BucketRegion"] == "eu-west-1"
    with pytest.raises(ClientError) as again:
        s3.create_bucket(Bucket="bk1", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert again.value.response["Error"]["Code"] == "BucketAlreadyOwnedByYou"


def test_us_east_1_answers_200_when_its_owner_creates_a_bucket_again(env: FakeAWS) -> None:
    # https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html (BucketAlreadyOwnedByYou)
    s3 = env.client("s3")
    s3.create_bucket(Bucket="bk1")
    s3.put_object(Bucket="bk1", Key="k", Body=b"kept")
    s3.create_bucket(Bucket="bk1")
    assert env.s3.object_bytes("bk1", "k") == b"kept"


def test_list_buckets_pages_with_max_buckets(env: FakeAWS) -> None:
    s3 = env.client("s3")
    for name in ("bk-a", "bk-b", "bk-c"):
        s3.create_bucket(Bucket=name)
    first = s3.list_buckets(MaxBuckets=2)
    assert [b["Name"] for b in first["Buckets"]] == ["bk-a", "bk-b"]
    rest = s3.list_buckets(MaxBuckets=2, ContinuationToken=first["ContinuationToken"])
    assert [b["Name"] for b in rest["Buckets"]] == ["bk-c"] and "ContinuationToken" not in rest


def test_expires_comes_back_parsed_and_as_sent(env: FakeAWS) -> None:
    from datetime import UTC, datetime

    s3 = env.client("s3")
    s3.create_bucket(Bucket="bk1")
    when = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    s3.put_object(Bucket="bk1", Key="k", Body=b"x", Expires=when)
    head = s3.head_object(Bucket="bk1", Key="k")
    assert head["Expires"] == when
    assert head["ExpiresString"] == "Wed, 02 Jan 2030 03:04:05 GMT"


def test_response_overrides_replace_the_stored_headers(env: FakeAWS) -> None:
    s3 = env.client("s3")
    s3.create_bucket(Bucket="bk1")
    s3.put_object(Bucket="bk1", Key="k", Body=b"x", ContentType="text/plain")
    got = s3.get_object(Bucket="bk1", Key="k", ResponseContentType="application/json",
                        ResponseContentDisposition="inline")
    assert (got["ContentType"], got["ContentDisposition"]) == ("application/json", "inline")


def test_lifecycle_transitions_are_refused_by_name(env: FakeAWS) -> None:
    s3 = env.client("s3")
    s3.create_bucket(Bucket="bk1")
    rule = {"ID": "cold", "Status": "Enabled", "Filter": {},
            "Transitions": [{"Days": 30, "StorageClass": "GLACIER"}]}
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_lifecycle_configuration(Bucket="bk1", LifecycleConfiguration={"Rules": [rule]})
    assert "Transitions" in excinfo.value.response["Error"]["Message"]


def test_expired_object_delete_markers_are_removed(env: FakeAWS) -> None:
    s3 = env.client("s3")
    s3.create_bucket(Bucket="bk1")
    s3.put_bucket_versioning(Bucket="bk1", VersioningConfiguration={"Status": "Enabled"})
    rule = {"ID": "tidy", "Status": "Enabled", "Filter": {},
            "Expiration": {"ExpiredObjectDeleteMarker": True},
            "NoncurrentVersionExpiration": {"NoncurrentDays": 1}}
    s3.put_bucket_lifecycle_configuration(Bucket="bk1", LifecycleConfiguration={"Rules": [rule]})
    s3.put_object(Bucket="bk1", Key="k", Body=b"x")
    s3.delete_object(Bucket="bk1", Key="k")
    env.clock.advance(3 * 24 * 60 * 60)
    assert env.s3.versions("bk1", "k") == []


def test_the_lifecycle_timer_does_not_hold_up_run_until_idle(env: FakeAWS) -> None:
    s3 = env.client("s3")
    s3.create_bucket(Bucket="bk1")
    rule = {"ID": "x", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 1}}
    s3.put_bucket_lifecycle_configuration(Bucket="bk1", LifecycleConfiguration={"Rules": [rule]})
    before = env.clock.now()
    env.run_until_idle()
    assert env.clock.now() == before


def test_tagging_an_object_notifies_object_tagging_events(env: FakeAWS) -> None:
    import json

    sqs = env.client("sqs")
    url = sqs.create_queue(QueueName="tags")["QueueUrl"]
    s3 = env.client("s3")
    s3.create_bucket(Bucket="bk1")
    s3.put_bucket_notification_configuration(
        Bucket="bk1",
        NotificationConfiguration={"QueueConfigurations": [
            {"QueueArn": env.sqs.queue_arn(url), "Events": ["s3:ObjectTagging:*"]}]},
    )
    s3.put_object(Bucket="bk1", Key="k", Body=b"x")
    s3.put_object_tagging(Bucket="bk1", Key="k", Tagging={"TagSet": [{"Key": "a", "Value": "1"}]})
    s3.delete_object_tagging(Bucket="bk1", Key="k")
    records = [json.loads(m.body)["Records"][0] for m in env.sqs.messages(url)
               if "Records" in m.body]
    assert [(r["eventName"], r["eventVersion"]) for r in records] == [
        ("ObjectTagging:Put", "2.3"), ("ObjectTagging:Delete", "2.3")
    ]
