"""PutObject, GetObject, HeadObject, CopyObject, DeleteObject(s) and object tagging."""

from __future__ import annotations

import hashlib
import io
from typing import Any
from urllib.parse import unquote

from botocore.response import StreamingBody

from eventproof_fakes.operations import operation
from eventproof_fakes.s3.checksums import (
    CHECKSUM_PARAMETERS,
    object_checksums,
    response_checksums,
    verify_content_md5,
)
from eventproof_fakes.s3.common import http_timestamp, timestamp, unmodelled
from eventproof_fakes.s3.conditions import byte_range, check_read_conditions, check_write_conditions
from eventproof_fakes.s3.errors import (
    head_error,
    invalid_argument,
    invalid_request,
    malformed_xml,
    method_not_allowed,
    no_such_key,
    no_such_version,
    s3_error,
)
from eventproof_fakes.s3.model import Bucket, ObjectVersion
from eventproof_fakes.s3.writing import Writing, apply_headers, object_headers, parse_tagging

_WRITE_HEADERS = (
    "Bucket", "Key", "ACL", "CacheControl", "ContentDisposition", "ContentEncoding",
    "ContentLanguage", "ContentType", "Expires", "Metadata", "ServerSideEncryption",
    "StorageClass", "Tagging", "ExpectedBucketOwner", "ChecksumAlgorithm", "IfMatch",
    "IfNoneMatch",
)
_READ = (
    "Bucket", "Key", "VersionId", "Range", "IfMatch", "IfNoneMatch", "IfModifiedSince",
    "IfUnmodifiedSince", "ChecksumMode", "ExpectedBucketOwner", "ResponseCacheControl",
    "ResponseContentDisposition", "ResponseContentEncoding", "ResponseContentLanguage",
    "ResponseContentType", "ResponseExpires",
)
_COPY = (
    *_WRITE_HEADERS, "CopySource", "MetadataDirective", "TaggingDirective",
    "CopySourceIfMatch", "CopySourceIfNoneMatch", "CopySourceIfModifiedSince",
    "CopySourceIfUnmodifiedSince", "ExpectedSourceBucketOwner",
)
_SSE = {"ServerSideEncryption": "AES256"}  # every object is encrypted with SSE-S3 by default
MAX_DELETE_OBJECTS = 1000


def read_body(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes | bytearray):
        return bytes(body)
    if isinstance(body, str):
        return body.encode()
    data = body.read()
    return data.encode() if isinstance(data, str) else bytes(data)


class ObjectOperations(Writing):
    # --- writes -------------------------------------------------------------
    @operation(refuses=unmodelled("PutObject", *_WRITE_HEADERS, "Body", "ContentLength",
                                  "ContentMD5", *CHECKSUM_PARAMETERS))
    def put_object(self, params: dict[str, Any]) -> dict[str, Any]:
        self._check_owner(params)
        bucket = self._bucket(params["Bucket"])
        key = params["Key"]
        data = read_body(params.get("Body"))
        length = params.get("ContentLength")
        if length is not None and length != len(data):
            raise s3_error(
                "IncompleteBody",
                "You did not provide the number of bytes specified by the Content-Length "
                "HTTP header",
            )
        verify_content_md5(params, data)
        version = self._version_template(params, key)
        version.checksums = object_checksums(params, data)
        check_write_conditions(params, key, bucket.current(key))
        version.data = data
        version.etag = f'"{hashlib.md5(data).hexdigest()}"'
        version.checksum_type = "FULL_OBJECT" if version.checksums else None
        self._store(bucket, version)
        self._notify(bucket, "ObjectCreated:Put", version)
        return self._write_result(bucket, version)

    def _write_result(self, bucket: Bucket, version: ObjectVersion) -> dict[str, Any]:
        result: dict[str, Any] = {"ETag": version.etag, **_SSE}
        result.update(response_checksums(version.checksums, version.checksum_type))
        if bucket.versioning == "Enabled":
            result["VersionId"] = version.version_id
        return result

    @operation(refuses=unmodelled("CopyObject", *_COPY))
    def copy_object(self, params: dict[str, Any]) -> dict[str, Any]:
        self._check_owner(params)
        bucket = self._bucket(params["Bucket"])
        source_bucket_name, source_key, source_version_id = _copy_source(params["CopySource"])
        source_bucket = self._bucket(source_bucket_name)
        source = self._readable(source_bucket, source_key, source_version_id, head=False,
                                copy=True)
        check_read_conditions(params, source, head=False, prefix="CopySource")
        directive = params.get("MetadataDirective", "COPY")
        tagging_directive = params.get("TaggingDirective", "COPY")
        for name, value in (("metadata", directive), ("tagging", tagging_directive)):
            if value not in ("COPY", "REPLACE"):
                raise invalid_argument(f"Unknown {name} directive.",
                                       f"x-amz-{name}-directive", value)
        if (
            source_bucket is bucket and source_key == params["Key"] and directive == "COPY"
            and "StorageClass" not in params and "ServerSideEncryption" not in params
        ):
            raise invalid_request(
                "This copy request is illegal because it is trying to copy an object to itself "
                "without changing the object's metadata, storage class, website redirect "
                "location or encryption attributes."
            )
        version = self._version_template(params, params["Key"])
        if directive == "COPY":
            version.content_type = source.content_type
            version.headers = dict(source.headers)
            version.metadata = dict(source.metadata)
        else:
            apply_headers(version, params)
        if tagging_directive == "COPY":
            version.tags = dict(source.tags)
        version.data = source.data
        version.etag = f'"{hashlib.md5(source.data).hexdigest()}"'
        # The copy is a new object: its checksum is computed whole, with the requested
        # algorithm or else the source's.
        algorithm = params.get("ChecksumAlgorithm") or next(iter(source.checksums), None)
        version.checksums = (
            object_checksums({"ChecksumAlgorithm": algorithm}, source.data) if algorithm else {}
        )
        version.checksum_type = "FULL_OBJECT" if version.checksums else None
        check_write_conditions(params, params["Key"], bucket.current(params["Key"]))
        self._store(bucket, version)
        self._notify(bucket, "ObjectCreated:Copy", version)
        result: dict[str, Any] = {
            "CopyObjectResult": {
                "ETag": version.etag,
                "LastModified": timestamp(version.last_modified),
                **response_checksums(version.checksums, None),
            },
            **_SSE,
        }
        if bucket.versioning == "Enabled":
            result["VersionId"] = version.version_id
        if source_bucket.versioning is not None:
            result["CopySourceVersionId"] = source.version_id
        return result

    # --- reads --------------------------------------------------------------
    def _readable(
        self, bucket: Bucket, key: str, version_id: str | None, *, head: bool, copy: bool = False
    ) -> ObjectVersion:
        if version_id is None:
            current = bucket.current(key)
            if current is None or current.delete_marker:
                raise head_error(404) if head else no_such_key(key)
            return current
        found = bucket.version(key, version_id)
        if found is None:
            raise head_error(404) if head else no_such_version(key, version_id)
        if found.delete_marker:
            if copy:
                raise invalid_request(
                    "The source of a copy request may not specifically refer to a delete "
                    "marker by version id."
                )
            raise head_error(405) if head else method_not_allowed("GET")
        return found

    @operation(refuses=unmodelled("GetObject", *_READ))
    def get_object(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._read(params, head=False)

    @operation(refuses=unmodelled("HeadObject", *_READ))
    def head_object(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._read(params, head=True)

    def _read(self, params: dict[str, Any], *, head: bool) -> dict[str, Any]:
        self._check_owner(params)
        if head and params["Bucket"] not in self.buckets:
            raise head_error(404)
        bucket = self._bucket(params["Bucket"])
        version = self._readable(bucket, params["Key"], params.get("VersionId"), head=head)
        check_read_conditions(params, version, head=head)
        data = version.data
        response: dict[str, Any] = {
            "AcceptRanges": "bytes",
            "LastModified": http_timestamp(version.last_modified),
            "ETag": version.etag,
            **object_headers(version),
            **_SSE,
        }
        if bucket.versioning is not None:
            response["VersionId"] = version.version_id
        if version.tags:
            response["TagCount"] = len(version.tags)
        if version.parts_count is not None:
            response["PartsCount"] = version.parts_count
        if version.storage_class != "STANDARD":
            response["StorageClass"] = version.storage_class
        span = byte_range(params.get("Range"), len(data))
        if span is not None:
            first, last = span
            data = data[first : last + 1]
            response["ContentRange"] = f"bytes {first}-{last}/{version.size}"
            response["_http_status"] = 206
        elif params.get("ChecksumMode") == "ENABLED":
            response.update(response_checksums(version.checksums, version.checksum_type))
        for name in ("CacheControl", "ContentDisposition", "ContentEncoding",
                     "ContentLanguage", "ContentType", "Expires"):
            override = params.get("Response" + name)
            if override is not None:
                response[name] = override
        response["ContentLength"] = len(data)
        if not head:
            response["Body"] = StreamingBody(io.BytesIO(data), len(data))
        return response

    # --- deletes ------------------------------------------------------------
    @operation(refuses=unmodelled("DeleteObject", "Bucket", "Key", "VersionId",
                                  "ExpectedBucketOwner"))
    def delete_object(self, params: dict[str, Any]) -> dict[str, Any]:
        self._check_owner(params)
        bucket = self._bucket(params["Bucket"])
        return {**self._delete(bucket, params["Key"], params.get("VersionId")), "_http_status": 204}

    @operation(refuses=unmodelled("DeleteObjects", "Bucket", "Delete", "ExpectedBucketOwner",
                                  "ChecksumAlgorithm"))
    def delete_objects(self, params: dict[str, Any]) -> dict[str, Any]:
        self._check_owner(params)
        bucket = self._bucket(params["Bucket"])
        request = params["Delete"]
        objects = request.get("Objects") or []
        if not objects or len(objects) > MAX_DELETE_OBJECTS:
            raise malformed_xml()
        deleted: list[dict[str, Any]] = []
        for entry in objects:
            unknown = set(entry) - {"Key", "VersionId"}
            if unknown:
                raise invalid_argument(
                    f"eventproof's fake s3 does not model {sorted(unknown)} in DeleteObjects",
                    sorted(unknown)[0], "",
                )
            outcome = self._delete(bucket, entry["Key"], entry.get("VersionId"))
            record: dict[str, Any] = {"Key": entry["Key"]}
            if "VersionId" in entry:
                record["VersionId"] = entry["VersionId"]
                if outcome.get("DeleteMarker"):
                    record["DeleteMarker"] = True
                    record["DeleteMarkerVersionId"] = entry["VersionId"]
            elif outcome.get("DeleteMarker"):
                record["DeleteMarker"] = True
                record["DeleteMarkerVersionId"] = outcome["VersionId"]
            deleted.append(record)
        return {} if request.get("Quiet") else {"Deleted": deleted}

    # --- tagging ------------------------------------------------------------
    @operation(refuses=unmodelled("GetObjectTagging", "Bucket", "Key", "VersionId",
                                  "ExpectedBucketOwner"))
    def get_object_tagging(self, params: dict[str, Any]) -> dict[str, Any]:
        bucket = self._bucket(params["Bucket"])
        version = self._readable(bucket, params["Key"], params.get("VersionId"), head=False)
        result: dict[str, Any] = {
            "TagSet": [{"Key": k, "Value": v} for k, v in version.tags.items()]
        }
        if bucket.versioning is not None:
            result["VersionId"] = version.version_id
        return result

    @operation(refuses=unmodelled("PutObjectTagging", "Bucket", "Key", "VersionId", "Tagging",
                                  "ExpectedBucketOwner", "ContentMD5", "ChecksumAlgorithm"))
    def put_object_tagging(self, params: dict[str, Any]) -> dict[str, Any]:
        bucket = self._bucket(params["Bucket"])
        version = self._readable(bucket, params["Key"], params.get("VersionId"), head=False)
        tags = {t["Key"]: t["Value"] for t in params["Tagging"]["TagSet"]}
        if len(tags) > 10:
            raise s3_error("BadRequest", "Object tags cannot be greater than 10")
        version.tags = tags
        self._notify(bucket, "ObjectTagging:Put", version)
        return {"VersionId": version.version_id} if bucket.versioning is not None else {}

    @operation(refuses=unmodelled("DeleteObjectTagging", "Bucket", "Key", "VersionId",
                                  "ExpectedBucketOwner"))
    def delete_object_tagging(self, params: dict[str, Any]) -> dict[str, Any]:
        bucket = self._bucket(params["Bucket"])
        version = self._readable(bucket, params["Key"], params.get("VersionId"), head=False)
        version.tags = {}
        self._notify(bucket, "ObjectTagging:Delete", version)
        result: dict[str, Any] = {"_http_status": 204}
        if bucket.versioning is not None:
            result["VersionId"] = version.version_id
        return result


def _copy_source(source: str) -> tuple[str, str, str | None]:
    """``bucket/key`` or ``bucket/key?versionId=...``, URL-encoded, as botocore sends it."""
    path, _, query = source.partition("?versionId=")
    path = unquote(path).lstrip("/")
    bucket, _, key = path.partition("/")
    if not bucket or not key:
        raise invalid_argument("Invalid copy source object key", "x-amz-copy-source", source)
    return bucket, key, unquote(query) if query else None


__all__ = ["ObjectOperations", "parse_tagging", "read_body"]
