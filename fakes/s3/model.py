"""What a bucket holds: object versions, delete markers, multipart uploads, configuration."""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eventproof_fakes.s3.lifecycle import LifecycleRule
    from eventproof_fakes.s3.notification_config import Target

NULL_VERSION = "null"
# Block Public Access and SSE-S3 are on for every new bucket (AWS, since 2023).
BLOCK_ALL = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}
SSE_S3 = {
    "Rules": [
        {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"},
         "BucketKeyEnabled": False}
    ]
}
EMPTY_MD5 = hashlib.md5(b"").hexdigest()


@dataclass(slots=True)
class ObjectVersion:
    """One version of a key: an object, or a delete marker (``delete_marker``, no data)."""

    key: str
    version_id: str  # "null" in a bucket that was never versioned, or while suspended
    last_modified: float
    data: bytes = b""
    etag: str = f'"{EMPTY_MD5}"'  # quoted, as S3 sends it
    delete_marker: bool = False
    content_type: str = "binary/octet-stream"
    # ContentEncoding, ContentDisposition, ContentLanguage, CacheControl, Expires
    headers: dict[str, Any] = field(default_factory=dict)
    metadata: dict[str, str] = field(default_factory=dict)
    checksums: dict[str, str] = field(default_factory=dict)  # "CRC32" -> base64
    checksum_type: str | None = None  # FULL_OBJECT or COMPOSITE
    parts_count: int | None = None
    tags: dict[str, str] = field(default_factory=dict)
    storage_class: str = "STANDARD"

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(slots=True)
class Part:
    number: int
    data: bytes
    etag: str
    last_modified: float
    checksums: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class MultipartUpload:
    upload_id: str
    key: str
    initiated: float
    template: ObjectVersion  # content type, metadata, tags of the object to be
    checksum_algorithm: str | None = None
    parts: dict[int, Part] = field(default_factory=dict)


@dataclass(slots=True)
class Bucket:
    name: str
    region: str
    created: float
    versioning: str | None = None  # None (never enabled), "Enabled" or "Suspended"
    # key -> versions, oldest first; the last is the current one
    keys: dict[str, list[ObjectVersion]] = field(default_factory=dict)
    uploads: dict[str, MultipartUpload] = field(default_factory=dict)
    tags: list[dict[str, str]] | None = None
    notification: dict[str, Any] = field(default_factory=dict)  # as GetBucketNotification... answers
    targets: list[Target] = field(default_factory=list)  # the same, ready for matching
    policy: str | None = None
    public_access_block: dict[str, bool] | None = field(default_factory=lambda: dict(BLOCK_ALL))
    encryption: dict[str, Any] = field(default_factory=lambda: copy.deepcopy(SSE_S3))
    cors: list[dict[str, Any]] | None = None
    lifecycle: list[LifecycleRule] = field(default_factory=list)
    lifecycle_minimum_size: str = "all_storage_classes_128K"

    @property
    def arn(self) -> str:
        return f"arn:aws:s3:::{self.name}"

    def current(self, key: str) -> ObjectVersion | None:
        """The current version of ``key`` (possibly a delete marker), or None."""
        versions = self.keys.get(key)
        return versions[-1] if versions else None

    def version(self, key: str, version_id: str) -> ObjectVersion | None:
        for candidate in self.keys.get(key, ()):
            if candidate.version_id == version_id:
                return candidate
        return None
