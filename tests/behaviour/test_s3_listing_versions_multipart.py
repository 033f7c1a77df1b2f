"""S3 listings (v2, v1, versions), versioning with delete markers, multipart uploads."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.behaviour.s3_helpers import BUCKET, error_of, put_keys

MIB = 1024 * 1024


@pytest.fixture
def s3(aws: Any) -> Any:
    client = aws.client("s3")
    client.create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture
def versioned(s3: Any) -> Any:
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    return s3


def keys_of(page: dict[str, Any]) -> list[str]:
    return [item["Key"] for item in page.get("Contents", [])]


# --- ListObjectsV2 --------------------------------------------------------------
def test_list_v2_returns_keys_in_order_with_sizes(s3: Any) -> None:
    put_keys(s3, "b", "a", "c/d")
    page = s3.list_objects_v2(Bucket=BUCKET)
    assert keys_of(page) == ["a", "b", "c/d"]
    assert [item["Size"] for item in page["Contents"]] == [1, 1, 3]
    assert page["KeyCount"] == 3 and page["IsTruncated"] is False


def test_list_v2_filters_by_prefix(s3: Any) -> None:
    put_keys(s3, "orders/1", "orders/2", "refunds/1")
    assert keys_of(s3.list_objects_v2(Bucket=BUCKET, Prefix="orders/")) == ["orders/1", "orders/2"]


def test_a_delimiter_rolls_keys_up_into_common_prefixes(s3: Any) -> None:
    put_keys(s3, "2026/01/a", "2026/01/b", "2026/02/a", "2026/readme", "top")
    page = s3.list_objects_v2(Bucket=BUCKET, Prefix="2026/", Delimiter="/")
    assert keys_of(page) == ["2026/readme"]
    assert page["CommonPrefixes"] == [{"Prefix": "2026/01/"}, {"Prefix": "2026/02/"}]
    assert page["KeyCount"] == 3


def test_max_keys_and_continuation_tokens_page_through_everything(s3: Any) -> None:
    put_keys(s3, *[f"k{i:02d}" for i in range(7)])
    first = s3.list_objects_v2(Bucket=BUCKET, MaxKeys=3)
    assert keys_of(first) == ["k00", "k01", "k02"] and first["IsTruncated"] is True
    second = s3.list_objects_v2(
        Bucket=BUCKET, MaxKeys=3, ContinuationToken=first["NextContinuationToken"]
    )
    assert keys_of(second) == ["k03", "k04", "k05"]


def test_the_paginator_walks_every_page(s3: Any) -> None:
    put_keys(s3, *[f"k{i:02d}" for i in range(12)])
    pages = s3.get_paginator("list_objects_v2").paginate(
        Bucket=BUCKET, PaginationConfig={"PageSize": 5}
    )
    assert [keys_of(p) for p in pages] == [
        [f"k{i:02d}" for i in range(0, 5)],
        [f"k{i:02d}" for i in range(5, 10)],
        ["k10", "k11"],
    ]


def test_pages_with_a_delimiter_never_repeat_a_common_prefix(s3: Any) -> None:
    put_keys(s3, "a/1", "a/2", "a/3", "b", "c/1", "c/2", "d")
    seen: list[str] = []
    token = None
    while True:
        extra = {"ContinuationToken": token} if token else {}
        page = s3.list_objects_v2(Bucket=BUCKET, Delimiter="/", MaxKeys=2, **extra)
        seen += [p["Prefix"] for p in page.get("CommonPrefixes", [])] + keys_of(page)
        if not page["IsTruncated"]:
            break
        token = page["NextContinuationToken"]
    assert sorted(seen) == ["a/", "b", "c/", "d"]


def test_start_after_skips_keys_up_to_and_including_it(s3: Any) -> None:
    put_keys(s3, "a", "b", "c")
    assert keys_of(s3.list_objects_v2(Bucket=BUCKET, StartAfter="a")) == ["b", "c"]


def test_keys_with_spaces_and_plus_signs_survive_url_encoding(s3: Any) -> None:
    put_keys(s3, "a b+c.txt", "dir/ü.txt")
    assert keys_of(s3.list_objects_v2(Bucket=BUCKET)) == ["a b+c.txt", "dir/ü.txt"]


@pytest.mark.fakes_only  # moto does not truncate at MaxKeys with a delimiter; AWS: https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html (NextMarker)
def test_list_objects_v1_pages_with_markers(s3: Any) -> None:
    put_keys(s3, "a/1", "a/2", "b/1", "c")
    page = s3.list_objects(Bucket=BUCKET, Delimiter="/", MaxKeys=2)
    assert page["CommonPrefixes"] == [{"Prefix": "a/"}, {"Prefix": "b/"}]
    assert page["IsTruncated"] is True and page["NextMarker"] == "b/"
    rest = s3.list_objects(Bucket=BUCKET, Delimiter="/", Marker=page["NextMarker"])
    assert keys_of(rest) == ["c"]


# --- versioning -----------------------------------------------------------------
def test_versioning_is_unset_until_enabled(s3: Any) -> None:
    assert "Status" not in s3.get_bucket_versioning(Bucket=BUCKET)
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    assert s3.get_bucket_versioning(Bucket=BUCKET)["Status"] == "Enabled"


def test_each_put_makes_a_version_that_stays_readable(versioned: Any) -> None:
    first = versioned.put_object(Bucket=BUCKET, Key="k", Body=b"v1")["VersionId"]
    second = versioned.put_object(Bucket=BUCKET, Key="k", Body=b"v2")["VersionId"]
    assert first != second
    old = versioned.get_object(Bucket=BUCKET, Key="k", VersionId=first)
    assert old["Body"].read() == b"v1" and old["VersionId"] == first
    assert versioned.get_object(Bucket=BUCKET, Key="k")["Body"].read() == b"v2"


def test_a_delete_without_version_leaves_a_delete_marker(versioned: Any) -> None:
    version = versioned.put_object(Bucket=BUCKET, Key="k", Body=b"v1")["VersionId"]
    deleted = versioned.delete_object(Bucket=BUCKET, Key="k")
    assert deleted["DeleteMarker"] is True and deleted["VersionId"] != version
    with pytest.raises(ClientError) as excinfo:
        versioned.get_object(Bucket=BUCKET, Key="k")
    assert error_of(excinfo)["Code"] == "NoSuchKey"
    assert versioned.get_object(Bucket=BUCKET, Key="k", VersionId=version)["Body"].read() == b"v1"
    assert versioned.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


def test_deleting_the_delete_marker_restores_the_object(versioned: Any) -> None:
    versioned.put_object(Bucket=BUCKET, Key="k", Body=b"v1")
    marker = versioned.delete_object(Bucket=BUCKET, Key="k")["VersionId"]
    versioned.delete_object(Bucket=BUCKET, Key="k", VersionId=marker)
    assert versioned.get_object(Bucket=BUCKET, Key="k")["Body"].read() == b"v1"


def test_list_object_versions_shows_versions_newest_first_and_markers(versioned: Any) -> None:
    first = versioned.put_object(Bucket=BUCKET, Key="k", Body=b"v1")["VersionId"]
    second = versioned.put_object(Bucket=BUCKET, Key="k", Body=b"v2")["VersionId"]
    marker = versioned.delete_object(Bucket=BUCKET, Key="k")["VersionId"]
    listed = versioned.list_object_versions(Bucket=BUCKET)
    assert [(v["VersionId"], v["IsLatest"]) for v in listed["Versions"]] == [
        (second, False), (first, False)
    ]
    assert [(m["VersionId"], m["IsLatest"]) for m in listed["DeleteMarkers"]] == [(marker, True)]


def test_an_unversioned_bucket_lists_null_versions(s3: Any) -> None:
    put_keys(s3, "k")
    versions = s3.list_object_versions(Bucket=BUCKET)["Versions"]
    assert [(v["Key"], v["VersionId"], v["IsLatest"]) for v in versions] == [("k", "null", True)]


@pytest.mark.fakes_only  # moto drops the earlier versions; AWS keeps them: https://docs.aws.amazon.com/AmazonS3/latest/userguide/AddingObjectstoVersionSuspendedBuckets.html
def test_a_suspended_bucket_overwrites_the_null_version(versioned: Any) -> None:
    kept = versioned.put_object(Bucket=BUCKET, Key="k", Body=b"v1")["VersionId"]
    versioned.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Suspended"})
    versioned.put_object(Bucket=BUCKET, Key="k", Body=b"v2")
    versioned.put_object(Bucket=BUCKET, Key="k", Body=b"v3")
    ids = [v["VersionId"] for v in versioned.list_object_versions(Bucket=BUCKET)["Versions"]]
    assert ids == ["null", kept]


@pytest.mark.fakes_only  # moto answers 404; AWS: 405 MethodNotAllowed, https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeleteMarker.html
def test_getting_a_delete_marker_by_version_is_method_not_allowed(versioned: Any) -> None:
    versioned.put_object(Bucket=BUCKET, Key="k", Body=b"v1")
    marker = versioned.delete_object(Bucket=BUCKET, Key="k")["VersionId"]
    with pytest.raises(ClientError) as excinfo:
        versioned.get_object(Bucket=BUCKET, Key="k", VersionId=marker)
    assert error_of(excinfo)["Code"] == "MethodNotAllowed"


# --- multipart ------------------------------------------------------------------
def upload(s3: Any, key: str, parts: list[bytes]) -> tuple[str, list[dict[str, Any]]]:
    upload_id = s3.create_multipart_upload(Bucket=BUCKET, Key=key)["UploadId"]
    done = []
    for number, data in enumerate(parts, start=1):
        etag = s3.upload_part(
            Bucket=BUCKET, Key=key, UploadId=upload_id, PartNumber=number, Body=data
        )["ETag"]
        done.append({"ETag": etag, "PartNumber": number})
    return upload_id, done


def test_a_completed_upload_joins_its_parts_with_a_dash_n_etag(s3: Any) -> None:
    parts = [b"a" * (5 * MIB), b"b" * 10]
    upload_id, done = upload(s3, "big.bin", parts)
    result = s3.complete_multipart_upload(
        Bucket=BUCKET, Key="big.bin", UploadId=upload_id, MultipartUpload={"Parts": done}
    )
    digests = b"".join(hashlib.md5(p).digest() for p in parts)
    assert result["ETag"] == f'"{hashlib.md5(digests).hexdigest()}-2"'
    got = s3.get_object(Bucket=BUCKET, Key="big.bin")
    assert got["ContentLength"] == 5 * MIB + 10
    assert got["Body"].read()[-10:] == b"b" * 10


def test_a_part_below_five_mib_that_is_not_last_is_entity_too_small(s3: Any) -> None:
    upload_id, done = upload(s3, "small.bin", [b"a" * 100, b"b" * 100])
    with pytest.raises(ClientError) as excinfo:
        s3.complete_multipart_upload(
            Bucket=BUCKET, Key="small.bin", UploadId=upload_id, MultipartUpload={"Parts": done}
        )
    assert error_of(excinfo)["Code"] == "EntityTooSmall"


def test_a_wrong_part_etag_is_invalid_part(s3: Any) -> None:
    upload_id, done = upload(s3, "k", [b"a" * 10])
    done[0]["ETag"] = '"00000000000000000000000000000000"'
    with pytest.raises(ClientError) as excinfo:
        s3.complete_multipart_upload(
            Bucket=BUCKET, Key="k", UploadId=upload_id, MultipartUpload={"Parts": done}
        )
    assert error_of(excinfo)["Code"] == "InvalidPart"


def test_list_parts_and_uploads_show_the_upload_in_progress(s3: Any) -> None:
    upload_id, _ = upload(s3, "k", [b"a" * 10, b"b" * 20])
    parts = s3.list_parts(Bucket=BUCKET, Key="k", UploadId=upload_id)["Parts"]
    assert [(p["PartNumber"], p["Size"]) for p in parts] == [(1, 10), (2, 20)]
    uploads = s3.list_multipart_uploads(Bucket=BUCKET)["Uploads"]
    assert [(u["Key"], u["UploadId"]) for u in uploads] == [("k", upload_id)]


def test_an_aborted_upload_is_gone(s3: Any) -> None:
    upload_id, _ = upload(s3, "k", [b"a"])
    s3.abort_multipart_upload(Bucket=BUCKET, Key="k", UploadId=upload_id)
    with pytest.raises(ClientError) as excinfo:
        s3.list_parts(Bucket=BUCKET, Key="k", UploadId=upload_id)
    assert error_of(excinfo)["Code"] == "NoSuchUpload"
    assert "Uploads" not in s3.list_multipart_uploads(Bucket=BUCKET)


def test_upload_fileobj_above_the_threshold_goes_multipart(s3: Any) -> None:
    import io

    from boto3.s3.transfer import TransferConfig

    data = bytes(range(256)) * (12 * 4096)  # 12 MiB
    config = TransferConfig(multipart_threshold=8 * MIB, multipart_chunksize=5 * MIB)
    s3.upload_fileobj(io.BytesIO(data), BUCKET, "big.bin", Config=config)
    head = s3.head_object(Bucket=BUCKET, Key="big.bin")
    assert head["ETag"].endswith('-3"') and head["ContentLength"] == len(data)
    target = io.BytesIO()
    s3.download_fileobj(BUCKET, "big.bin", target, Config=config)
    assert target.getvalue() == data


def test_the_resource_layer_lists_and_batch_deletes(aws: Any, s3: Any) -> None:
    bucket = aws.resource("s3").Bucket(BUCKET)
    for key in ("x/1", "x/2", "y/1"):
        bucket.put_object(Key=key, Body=b"1")
    assert [o.key for o in bucket.objects.filter(Prefix="x/")] == ["x/1", "x/2"]
    bucket.objects.all().delete()
    assert list(bucket.objects.all()) == []
