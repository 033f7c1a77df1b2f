"""S3 buckets and objects: create/delete/list, metadata, ranges, conditions, checksums, copy."""

from __future__ import annotations

import base64
import hashlib
import zlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.behaviour.s3_helpers import BUCKET, error_of, status_of


@pytest.fixture
def s3(aws: Any) -> Any:
    client = aws.client("s3")
    client.create_bucket(Bucket=BUCKET)
    return client


def body(s3: Any, key: str, **kwargs: Any) -> bytes:
    data: bytes = s3.get_object(Bucket=BUCKET, Key=key, **kwargs)["Body"].read()
    return data


# --- buckets --------------------------------------------------------------------
def test_created_buckets_are_listed_with_their_creation_date(s3: Any) -> None:
    s3.create_bucket(Bucket="eventproof-second")
    listed = s3.list_buckets()["Buckets"]
    assert [b["Name"] for b in listed] == [BUCKET, "eventproof-second"]
    assert all(isinstance(b["CreationDate"], datetime) for b in listed)


def test_head_bucket_answers_404_without_a_body_for_a_missing_bucket(s3: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        s3.head_bucket(Bucket="eventproof-missing")
    assert error_of(excinfo)["Code"] == "404"
    assert s3.head_bucket(Bucket=BUCKET)["ResponseMetadata"]["HTTPStatusCode"] == 200


@pytest.mark.fakes_only  # moto accepts it; AWS: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
def test_an_invalid_bucket_name_is_refused(s3: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        s3.create_bucket(Bucket="Upper_Case")
    assert error_of(excinfo)["Code"] == "InvalidBucketName"


def test_us_east_1_refuses_its_own_name_as_location_constraint(s3: Any) -> None:
    # https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html (us-east-1 is the default)
    with pytest.raises(ClientError) as excinfo:
        s3.create_bucket(
            Bucket="eventproof-east",
            CreateBucketConfiguration={"LocationConstraint": "us-east-1"},
        )
    assert error_of(excinfo)["Code"] == "InvalidLocationConstraint"


def test_us_east_1_lets_the_owner_create_its_bucket_again(s3: Any) -> None:
    # https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html: 200 in us-east-1 only
    s3.put_object(Bucket=BUCKET, Key="kept", Body=b"1")
    s3.create_bucket(Bucket=BUCKET)
    assert s3.get_object(Bucket=BUCKET, Key="kept")["Body"].read() == b"1"


def test_a_bucket_in_us_east_1_has_no_location_constraint(s3: Any) -> None:
    assert s3.get_bucket_location(Bucket=BUCKET)["LocationConstraint"] is None


def test_deleting_a_bucket_with_objects_is_refused(s3: Any) -> None:
    s3.put_object(Bucket=BUCKET, Key="a", Body=b"1")
    with pytest.raises(ClientError) as excinfo:
        s3.delete_bucket(Bucket=BUCKET)
    assert error_of(excinfo)["Code"] == "BucketNotEmpty"
    s3.delete_object(Bucket=BUCKET, Key="a")
    s3.delete_bucket(Bucket=BUCKET)
    assert s3.list_buckets()["Buckets"] == []


def test_bucket_tags_round_trip_and_a_missing_tag_set_is_an_error(s3: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_tagging(Bucket=BUCKET)
    assert error_of(excinfo)["Code"] == "NoSuchTagSet"
    s3.put_bucket_tagging(Bucket=BUCKET, Tagging={"TagSet": [{"Key": "team", "Value": "a"}]})
    assert s3.get_bucket_tagging(Bucket=BUCKET)["TagSet"] == [{"Key": "team", "Value": "a"}]


def test_operations_on_a_missing_bucket_raise_no_such_bucket(s3: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket="eventproof-missing", Key="k", Body=b"x")
    assert error_of(excinfo)["Code"] == "NoSuchBucket"
    assert status_of(excinfo) == 404


# --- objects --------------------------------------------------------------------
def test_put_then_get_returns_the_bytes_and_the_md5_etag(s3: Any) -> None:
    data = b'{"id": 1}'
    put = s3.put_object(Bucket=BUCKET, Key="orders/1.json", Body=data)
    assert put["ETag"] == '"' + hashlib.md5(data).hexdigest() + '"'
    got = s3.get_object(Bucket=BUCKET, Key="orders/1.json")
    assert got["Body"].read() == b'{"id": 1}'
    assert got["ETag"] == put["ETag"]
    assert got["ContentLength"] == 9


def test_content_headers_and_user_metadata_come_back(s3: Any) -> None:
    s3.put_object(
        Bucket=BUCKET, Key="report.csv", Body=b"a,b", ContentType="text/csv",
        ContentEncoding="identity", ContentDisposition='attachment; filename="r.csv"',
        CacheControl="max-age=60", Metadata={"Source": "nightly"},
    )
    head = s3.head_object(Bucket=BUCKET, Key="report.csv")
    assert head["ContentType"] == "text/csv"
    assert head["ContentEncoding"] == "identity"
    assert head["ContentDisposition"] == 'attachment; filename="r.csv"'
    assert head["CacheControl"] == "max-age=60"
    assert head["Metadata"] == {"source": "nightly"}  # x-amz-meta-* names come back in lower case


def test_the_default_content_type_is_binary_octet_stream(s3: Any) -> None:
    s3.put_object(Bucket=BUCKET, Key="blob", Body=b"\x00")
    assert s3.head_object(Bucket=BUCKET, Key="blob")["ContentType"] == "binary/octet-stream"


def test_a_missing_key_is_no_such_key_on_get_and_404_on_head(s3: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=BUCKET, Key="missing")
    assert error_of(excinfo)["Code"] == "NoSuchKey"
    with pytest.raises(ClientError) as head:
        s3.head_object(Bucket=BUCKET, Key="missing")
    assert error_of(head)["Code"] == "404"


def test_the_modelled_exception_class_catches_a_missing_key(s3: Any) -> None:
    with pytest.raises(s3.exceptions.NoSuchKey):
        s3.get_object(Bucket=BUCKET, Key="missing")


def test_deleting_a_missing_key_succeeds_with_204(s3: Any) -> None:
    response = s3.delete_object(Bucket=BUCKET, Key="never-there")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204


def test_delete_objects_reports_each_key(s3: Any) -> None:
    for key in ("a", "b"):
        s3.put_object(Bucket=BUCKET, Key=key, Body=b"1")
    deleted = s3.delete_objects(
        Bucket=BUCKET, Delete={"Objects": [{"Key": "a"}, {"Key": "b"}, {"Key": "c"}]}
    )["Deleted"]
    assert sorted(d["Key"] for d in deleted) == ["a", "b", "c"]
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


# --- ranges ---------------------------------------------------------------------
def test_a_byte_range_answers_206_with_the_content_range(s3: Any) -> None:
    s3.put_object(Bucket=BUCKET, Key="digits", Body=b"0123456789")
    got = s3.get_object(Bucket=BUCKET, Key="digits", Range="bytes=2-5")
    assert got["Body"].read() == b"2345"
    assert got["ContentRange"] == "bytes 2-5/10"
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 206


def test_open_and_suffix_ranges(s3: Any) -> None:
    s3.put_object(Bucket=BUCKET, Key="digits", Body=b"0123456789")
    assert body(s3, "digits", Range="bytes=7-") == b"789"
    assert body(s3, "digits", Range="bytes=-3") == b"789"
    assert body(s3, "digits", Range="bytes=8-100") == b"89"


def test_a_range_past_the_end_is_416_invalid_range(s3: Any) -> None:
    s3.put_object(Bucket=BUCKET, Key="digits", Body=b"0123456789")
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=BUCKET, Key="digits", Range="bytes=10-20")
    assert error_of(excinfo)["Code"] == "InvalidRange"
    assert status_of(excinfo) == 416


# --- conditional requests -------------------------------------------------------
def test_if_match_with_another_etag_is_412(s3: Any) -> None:
    s3.put_object(Bucket=BUCKET, Key="k", Body=b"v1")
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=BUCKET, Key="k", IfMatch='"0000"')
    assert error_of(excinfo)["Code"] == "PreconditionFailed"
    assert status_of(excinfo) == 412


def test_if_none_match_with_the_current_etag_is_304(s3: Any) -> None:
    etag = s3.put_object(Bucket=BUCKET, Key="k", Body=b"v1")["ETag"]
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=BUCKET, Key="k", IfNoneMatch=etag)
    assert error_of(excinfo)["Code"] == "304"
    assert body(s3, "k", IfMatch=etag) == b"v1"


def test_if_modified_since_a_later_time_is_304(s3: Any) -> None:
    s3.put_object(Bucket=BUCKET, Key="k", Body=b"v1")
    later = datetime.now(UTC) + timedelta(days=3650)
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=BUCKET, Key="k", IfModifiedSince=later)
    assert error_of(excinfo)["Code"] == "304"


def test_if_unmodified_since_an_earlier_time_is_412(s3: Any) -> None:
    s3.put_object(Bucket=BUCKET, Key="k", Body=b"v1")
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=BUCKET, Key="k", IfUnmodifiedSince=datetime(2000, 1, 1, tzinfo=UTC))
    assert error_of(excinfo)["Code"] == "PreconditionFailed"


def test_put_if_none_match_star_refuses_to_overwrite(s3: Any) -> None:
    # https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
    s3.put_object(Bucket=BUCKET, Key="lock", Body=b"first", IfNoneMatch="*")
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket=BUCKET, Key="lock", Body=b"second", IfNoneMatch="*")
    assert error_of(excinfo)["Code"] == "PreconditionFailed"
    assert body(s3, "lock") == b"first"


def test_put_if_match_replaces_only_the_expected_version(s3: Any) -> None:
    etag = s3.put_object(Bucket=BUCKET, Key="doc", Body=b"v1")["ETag"]
    s3.put_object(Bucket=BUCKET, Key="doc", Body=b"v2", IfMatch=etag)
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket=BUCKET, Key="doc", Body=b"v3", IfMatch=etag)
    assert error_of(excinfo)["Code"] == "PreconditionFailed"
    assert body(s3, "doc") == b"v2"


# --- integrity ------------------------------------------------------------------
def test_the_default_crc32_checksum_is_stored_and_returned(s3: Any) -> None:
    # botocore >= 1.36 sends a CRC32 with every PutObject (request_checksum_calculation)
    expected = base64.b64encode(zlib.crc32(b"payload").to_bytes(4, "big")).decode()
    put = s3.put_object(Bucket=BUCKET, Key="k", Body=b"payload")
    assert put["ChecksumCRC32"] == expected
    got = s3.get_object(Bucket=BUCKET, Key="k", ChecksumMode="ENABLED")
    assert got["ChecksumCRC32"] == expected


def test_a_sha256_checksum_is_computed_when_asked(s3: Any) -> None:
    put = s3.put_object(Bucket=BUCKET, Key="k", Body=b"payload", ChecksumAlgorithm="SHA256")
    assert put["ChecksumSHA256"] == base64.b64encode(hashlib.sha256(b"payload").digest()).decode()


@pytest.mark.fakes_only  # moto stores it; AWS: BadDigest, https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html (Content-MD5)
def test_a_wrong_content_md5_is_refused(s3: Any) -> None:
    wrong = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket=BUCKET, Key="k", Body=b"payload", ContentMD5=wrong)
    assert error_of(excinfo)["Code"] == "BadDigest"


# --- copy -----------------------------------------------------------------------
def test_copy_object_keeps_the_metadata_by_default(s3: Any) -> None:
    s3.put_object(Bucket=BUCKET, Key="src", Body=b"data", ContentType="text/plain",
                  Metadata={"a": "1"})
    result = s3.copy_object(Bucket=BUCKET, Key="dst", CopySource={"Bucket": BUCKET, "Key": "src"})
    assert result["CopyObjectResult"]["ETag"] == f'"{hashlib.md5(b"data").hexdigest()}"'
    head = s3.head_object(Bucket=BUCKET, Key="dst")
    assert (head["ContentType"], head["Metadata"]) == ("text/plain", {"a": "1"})
    assert body(s3, "dst") == b"data"


def test_copy_object_with_replace_takes_the_new_metadata(s3: Any) -> None:
    s3.put_object(Bucket=BUCKET, Key="src", Body=b"data", Metadata={"a": "1"})
    s3.copy_object(Bucket=BUCKET, Key="src", CopySource=f"{BUCKET}/src",
                   MetadataDirective="REPLACE", Metadata={"b": "2"})
    assert s3.head_object(Bucket=BUCKET, Key="src")["Metadata"] == {"b": "2"}


def test_copying_an_object_onto_itself_unchanged_is_refused(s3: Any) -> None:
    s3.put_object(Bucket=BUCKET, Key="src", Body=b"data")
    with pytest.raises(ClientError) as excinfo:
        s3.copy_object(Bucket=BUCKET, Key="src", CopySource=f"{BUCKET}/src")
    assert error_of(excinfo)["Code"] == "InvalidRequest"


def test_copy_from_a_missing_key_is_no_such_key(s3: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        s3.copy_object(Bucket=BUCKET, Key="dst", CopySource=f"{BUCKET}/missing")
    assert error_of(excinfo)["Code"] == "NoSuchKey"


# --- tagging, transfer, presigning -------------------------------------------------
def test_object_tags_from_put_are_readable(s3: Any) -> None:
    s3.put_object(Bucket=BUCKET, Key="k", Body=b"v", Tagging="team=a&tier=gold")
    tags = s3.get_object_tagging(Bucket=BUCKET, Key="k")["TagSet"]
    assert sorted((t["Key"], t["Value"]) for t in tags) == [("team", "a"), ("tier", "gold")]
    assert s3.get_object(Bucket=BUCKET, Key="k")["TagCount"] == 2


def test_upload_and_download_fileobj_round_trip(s3: Any) -> None:
    import io

    s3.upload_fileobj(io.BytesIO(b"x" * 1000), BUCKET, "transfer.bin")
    target = io.BytesIO()
    s3.download_fileobj(BUCKET, "transfer.bin", target)
    assert target.getvalue() == b"x" * 1000


def test_a_presigned_url_names_the_bucket_and_key(s3: Any) -> None:
    url = s3.generate_presigned_url(
        "get_object", Params={"Bucket": BUCKET, "Key": "reports/q1 final.pdf"}, ExpiresIn=60
    )
    assert url.startswith(f"https://{BUCKET}.s3.amazonaws.com/reports/q1%20final.pdf?")
    assert "Signature=" in url or "X-Amz-Signature=" in url
