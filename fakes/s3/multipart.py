"""Multipart upload: create, upload parts, complete, abort, list parts and uploads.

https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html (5 MiB minimum
part size except the last, parts 1-10,000). The ETag of the assembled
object is the MD5 of the concatenated binary MD5s of its parts, a dash and
the part count. An upload's parts are checksummed with the algorithm the
upload was created with; the object's checksum is then COMPOSITE
(checksum of the part checksums, "-N").
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from eventproof_fakes.operations import operation
from eventproof_fakes.s3.checksums import (
    CHECKSUM_PARAMETERS,
    b64_digest,
    check_algorithm,
    object_checksums,
    verify_content_md5,
)
from eventproof_fakes.s3.common import timestamp, unmodelled
from eventproof_fakes.s3.conditions import check_write_conditions
from eventproof_fakes.s3.errors import invalid_argument, malformed_xml, s3_error
from eventproof_fakes.s3.model import MultipartUpload, Part
from eventproof_fakes.s3.objects import _WRITE_HEADERS, read_body
from eventproof_fakes.s3.writing import Writing

MIN_PART_SIZE = 5 * 1024 * 1024
MAX_PART_NUMBER = 10_000
MAX_PARTS_LISTED = 1000


def no_such_upload(upload_id: str) -> Exception:
    return s3_error(
        "NoSuchUpload",
        "The specified upload does not exist. The upload ID may be invalid, or the upload "
        "may have been aborted or completed.",
        404,
        UploadId=upload_id,
    )


def _invalid_part() -> Exception:
    return s3_error(
        "InvalidPart",
        "One or more of the specified parts could not be found.  The part may not have been "
        "uploaded, or the specified entity tag may not have matched the part's entity tag.",
    )


class MultipartOperations(Writing):
    def _upload(self, params: dict[str, Any]) -> MultipartUpload:
        bucket = self._bucket(params["Bucket"])
        upload = bucket.uploads.get(params["UploadId"])
        if upload is None or upload.key != params["Key"]:
            raise no_such_upload(params["UploadId"])
        return upload

    @operation(refuses=unmodelled("CreateMultipartUpload", *_WRITE_HEADERS, "ChecksumType"))
    def create_multipart_upload(self, params: dict[str, Any]) -> dict[str, Any]:
        self._check_owner(params)
        bucket = self._bucket(params["Bucket"])
        template = self._version_template(params, params["Key"])
        algorithm = params.get("ChecksumAlgorithm")
        if params.get("ChecksumType", "COMPOSITE") != "COMPOSITE":
            raise invalid_argument(
                "eventproof's fake s3 models only COMPOSITE multipart checksums",
                "x-amz-checksum-type", params["ChecksumType"],
            )
        upload = MultipartUpload(
            upload_id=self.env.ids.token(64),
            key=params["Key"],
            initiated=self.env.clock.now(),
            template=template,
            checksum_algorithm=check_algorithm(algorithm) if algorithm else None,
        )
        bucket.uploads[upload.upload_id] = upload
        result: dict[str, Any] = {
            "Bucket": bucket.name, "Key": upload.key, "UploadId": upload.upload_id,
            "ServerSideEncryption": "AES256",
        }
        if upload.checksum_algorithm:
            result.update(ChecksumAlgorithm=upload.checksum_algorithm, ChecksumType="COMPOSITE")
        return result

    @operation(refuses=unmodelled("UploadPart", "Bucket", "Key", "UploadId", "PartNumber",
                                  "Body", "ContentLength", "ContentMD5", "ExpectedBucketOwner",
                                  "ChecksumAlgorithm", *CHECKSUM_PARAMETERS))
    def upload_part(self, params: dict[str, Any]) -> dict[str, Any]:
        upload = self._upload(params)
        number = params["PartNumber"]
        if not 1 <= number <= MAX_PART_NUMBER:
            raise invalid_argument("Part number must be an integer between 1 and 10000, "
                                   "inclusive", "partNumber", number)
        data = read_body(params.get("Body"))
        verify_content_md5(params, data)
        checksums = object_checksums(params, data)
        if upload.checksum_algorithm and upload.checksum_algorithm not in checksums:
            checksums = object_checksums({"ChecksumAlgorithm": upload.checksum_algorithm}, data)
        etag = f'"{hashlib.md5(data).hexdigest()}"'
        upload.parts[number] = Part(number, data, etag, self.env.clock.now(), checksums)
        result: dict[str, Any] = {"ETag": etag, "ServerSideEncryption": "AES256"}
        result.update({f"Checksum{name}": value for name, value in checksums.items()})
        return result

    @operation(refuses=unmodelled("CompleteMultipartUpload", "Bucket", "Key", "UploadId",
                                  "MultipartUpload", "ExpectedBucketOwner", "IfMatch",
                                  "IfNoneMatch"))
    def complete_multipart_upload(self, params: dict[str, Any]) -> dict[str, Any]:
        self._check_owner(params)
        bucket = self._bucket(params["Bucket"])
        upload = self._upload(params)
        requested = (params.get("MultipartUpload") or {}).get("Parts") or []
        if not requested:
            raise malformed_xml()
        numbers = [p["PartNumber"] for p in requested]
        if numbers != sorted(numbers) or len(set(numbers)) != len(numbers):
            raise s3_error("InvalidPartOrder", "The list of parts was not in ascending order. "
                           "Parts must be ordered by part number.", UploadId=upload.upload_id)
        parts = []
        for wanted in requested:
            part = upload.parts.get(wanted["PartNumber"])
            if part is None or wanted.get("ETag", "").strip('"') != part.etag.strip('"'):
                raise _invalid_part()
            for name in CHECKSUM_PARAMETERS:
                if name in wanted and part.checksums.get(name[len("Checksum"):]) != wanted[name]:
                    raise _invalid_part()
            parts.append(part)
        for part in parts[:-1]:
            if len(part.data) < MIN_PART_SIZE:
                raise s3_error(
                    "EntityTooSmall",
                    "Your proposed upload is smaller than the minimum allowed size",
                    ProposedSize=str(len(part.data)), MinSizeAllowed=str(MIN_PART_SIZE),
                    PartNumber=str(part.number), ETag=part.etag.strip('"'),
                )
        check_write_conditions(params, upload.key, bucket.current(upload.key))
        version = upload.template
        version.last_modified = self.env.clock.now()
        version.data = b"".join(p.data for p in parts)
        combined = hashlib.md5(b"".join(bytes.fromhex(p.etag.strip('"')) for p in parts))
        version.etag = f'"{combined.hexdigest()}-{len(parts)}"'
        version.parts_count = len(parts)
        algorithm = upload.checksum_algorithm
        if algorithm:
            joined = b"".join(base64.b64decode(p.checksums[algorithm]) for p in parts)
            version.checksums = {algorithm: f"{b64_digest(algorithm, joined)}-{len(parts)}"}
            version.checksum_type = "COMPOSITE"
        del bucket.uploads[upload.upload_id]
        self._store(bucket, version)
        self._notify(bucket, "ObjectCreated:CompleteMultipartUpload", version)
        result: dict[str, Any] = {
            "Location": f"https://{bucket.name}.s3.amazonaws.com/{upload.key}",
            "Bucket": bucket.name, "Key": upload.key, "ETag": version.etag,
            "ServerSideEncryption": "AES256",
        }
        if algorithm:
            result.update({f"Checksum{algorithm}": version.checksums[algorithm],
                           "ChecksumType": "COMPOSITE"})
        if bucket.versioning == "Enabled":
            result["VersionId"] = version.version_id
        return result

    @operation(refuses=unmodelled("AbortMultipartUpload", "Bucket", "Key", "UploadId",
                                  "ExpectedBucketOwner"))
    def abort_multipart_upload(self, params: dict[str, Any]) -> dict[str, Any]:
        upload = self._upload(params)
        del self._bucket(params["Bucket"]).uploads[upload.upload_id]
        return {"_http_status": 204}

    @operation(refuses=unmodelled("ListParts", "Bucket", "Key", "UploadId", "MaxParts",
                                  "PartNumberMarker", "ExpectedBucketOwner"))
    def list_parts(self, params: dict[str, Any]) -> dict[str, Any]:
        upload = self._upload(params)
        marker = int(params.get("PartNumberMarker") or 0)
        limit = min(params.get("MaxParts", MAX_PARTS_LISTED), MAX_PARTS_LISTED)
        numbers = sorted(n for n in upload.parts if n > marker)
        page, truncated = numbers[:limit], len(numbers) > limit
        result: dict[str, Any] = {
            "Bucket": params["Bucket"], "Key": upload.key, "UploadId": upload.upload_id,
            "PartNumberMarker": marker, "MaxParts": params.get("MaxParts", MAX_PARTS_LISTED),
            "IsTruncated": truncated, "StorageClass": upload.template.storage_class,
            "Owner": self.owner, "Initiator": self.owner,
        }
        if page:
            result["NextPartNumberMarker"] = page[-1]
            result["Parts"] = [
                {"PartNumber": n, "LastModified": timestamp(upload.parts[n].last_modified),
                 "ETag": upload.parts[n].etag, "Size": len(upload.parts[n].data),
                 **{f"Checksum{a}": v for a, v in upload.parts[n].checksums.items()}}
                for n in page
            ]
        if upload.checksum_algorithm:
            result.update(ChecksumAlgorithm=upload.checksum_algorithm, ChecksumType="COMPOSITE")
        return result

    @operation(refuses=unmodelled("ListMultipartUploads", "Bucket", "Prefix", "MaxUploads",
                                  "ExpectedBucketOwner", "EncodingType"))
    def list_multipart_uploads(self, params: dict[str, Any]) -> dict[str, Any]:
        bucket = self._bucket(params["Bucket"])
        prefix = params.get("Prefix", "")
        limit = min(params.get("MaxUploads", 1000), 1000)
        uploads = sorted(
            (u for u in bucket.uploads.values() if u.key.startswith(prefix)),
            key=lambda u: (u.key, u.initiated),
        )
        page = uploads[:limit]
        result: dict[str, Any] = {
            "Bucket": bucket.name, "KeyMarker": "", "UploadIdMarker": "", "Prefix": prefix,
            "MaxUploads": params.get("MaxUploads", 1000), "IsTruncated": len(uploads) > limit,
        }
        if page:
            result["NextKeyMarker"] = page[-1].key
            result["NextUploadIdMarker"] = page[-1].upload_id
            result["Uploads"] = [
                {"UploadId": u.upload_id, "Key": u.key, "Initiated": timestamp(u.initiated),
                 "StorageClass": u.template.storage_class, "Owner": self.owner,
                 "Initiator": self.owner,
                 **({"ChecksumAlgorithm": u.checksum_algorithm, "ChecksumType": "COMPOSITE"}
                    if u.checksum_algorithm else {})}
                for u in page
            ]
        return result
