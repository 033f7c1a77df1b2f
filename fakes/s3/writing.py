"""Storing and removing versions as versioning says, with the notification each change raises.

https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html
A bucket that was never versioned keeps one version per key with version
id "null"; "Enabled" adds a version per write and a delete marker per
unversioned delete; "Suspended" writes and deletes the "null" version.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import parse_qsl

from eventproof_fakes.s3.common import S3Base
from eventproof_fakes.s3.errors import invalid_argument, s3_error
from eventproof_fakes.s3.model import NULL_VERSION, Bucket, ObjectVersion

_REPLACEABLE_HEADERS = (
    "ContentEncoding", "ContentDisposition", "ContentLanguage", "CacheControl", "Expires"
)
_STORAGE_CLASSES = frozenset(
    {"STANDARD", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "REDUCED_REDUNDANCY",
     "GLACIER_IR"}
)
_ALLOWED_ACLS = frozenset({"private", "bucket-owner-full-control"})
MAX_KEY_BYTES = 1024


class Writing(S3Base):
    """Version bookkeeping shared by PutObject, CopyObject, CompleteMultipartUpload and deletes."""

    def _notify(self, bucket: Bucket, event: str, version: ObjectVersion) -> None:
        raise NotImplementedError

    def _new_version_id(self) -> str:
        """32 URL-safe characters, the shape of AWS's version ids (seeded, like every id)."""
        return base64.urlsafe_b64encode(bytes.fromhex(self.env.ids.hex(48))).decode()

    def _store(self, bucket: Bucket, version: ObjectVersion) -> ObjectVersion:
        versions = bucket.keys.setdefault(version.key, [])
        if bucket.versioning == "Enabled":
            version.version_id = self._new_version_id()
        else:
            version.version_id = NULL_VERSION
            versions[:] = [v for v in versions if v.version_id != NULL_VERSION]
        versions.append(version)
        return version

    def _delete(
        self, bucket: Bucket, key: str, version_id: str | None, cause: str = "ObjectRemoved"
    ) -> dict[str, Any]:
        """DeleteObject's answer for one key; raises the notification of what changed.

        ``cause`` is the notification family: ObjectRemoved for API calls,
        LifecycleExpiration for the lifecycle's deletions.
        """
        versions = bucket.keys.get(key, [])
        if version_id is not None:
            for index, candidate in enumerate(versions):
                if candidate.version_id == version_id:
                    del versions[index]
                    if not versions:
                        bucket.keys.pop(key, None)
                    self._notify(bucket, f"{cause}:Delete", candidate)
                    result: dict[str, Any] = {"VersionId": version_id}
                    if candidate.delete_marker:
                        result["DeleteMarker"] = True
                    return result
            return {"VersionId": version_id}
        if bucket.versioning is None:
            # S3 answers 204 and notifies also when there was nothing to delete.
            removed = versions[-1] if versions else ObjectVersion(key, NULL_VERSION,
                                                                   self.env.clock.now())
            bucket.keys.pop(key, None)
            self._notify(bucket, f"{cause}:Delete", removed)
            return {}
        marker = self._store(
            bucket, ObjectVersion(key, "", self.env.clock.now(), delete_marker=True)
        )
        self._notify(bucket, f"{cause}:DeleteMarkerCreated", marker)
        return {"DeleteMarker": True, "VersionId": marker.version_id}

    def _version_template(self, params: dict[str, Any], key: str) -> ObjectVersion:
        """A new version's content type, headers, metadata and tags, from a request."""
        if len(key.encode()) > MAX_KEY_BYTES:
            raise s3_error("KeyTooLongError", "Your key is too long", MaxSizeAllowed="1024",
                           Size=str(len(key.encode())))
        acl = params.get("ACL")
        if acl is not None and acl not in _ALLOWED_ACLS:
            raise s3_error("AccessControlListNotSupported", "The bucket does not allow ACLs")
        storage_class = params.get("StorageClass", "STANDARD")
        if storage_class not in _STORAGE_CLASSES:
            raise invalid_argument(
                f"eventproof's fake s3 does not model the storage class {storage_class}",
                "x-amz-storage-class", storage_class,
            )
        encryption = params.get("ServerSideEncryption", "AES256")
        if encryption != "AES256":
            raise invalid_argument(
                f"eventproof's fake s3 does not model server-side encryption {encryption}",
                "x-amz-server-side-encryption", encryption,
            )
        version = ObjectVersion(key, "", self.env.clock.now(), storage_class=storage_class)
        apply_headers(version, params)
        if "Tagging" in params:
            version.tags = parse_tagging(params["Tagging"])
        return version


def apply_headers(version: ObjectVersion, params: dict[str, Any]) -> None:
    if "ContentType" in params:
        version.content_type = params["ContentType"]
    version.headers = {name: params[name] for name in _REPLACEABLE_HEADERS if name in params}
    # x-amz-meta-* are HTTP headers: S3 hands their names back in lower case.
    version.metadata = {str(k).lower(): str(v) for k, v in (params.get("Metadata") or {}).items()}


def parse_tagging(text: str) -> dict[str, str]:
    tags = dict(parse_qsl(text, keep_blank_values=True))
    if len(tags) > 10:
        raise s3_error("BadRequest", "Object tags cannot be greater than 10")
    return tags


def object_headers(version: ObjectVersion) -> dict[str, Any]:
    """The headers GetObject and HeadObject return for a stored version."""
    headers: dict[str, Any] = {
        "ContentType": version.content_type,
        "Metadata": dict(version.metadata),
        **version.headers,
    }
    expires = headers.get("Expires")
    if expires is not None:
        headers["ExpiresString"] = expires.strftime("%a, %d %b %Y %H:%M:%S GMT")
    return headers
