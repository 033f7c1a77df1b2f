"""The S3 fake: boto3 operations plus a small Python API for tests and other fakes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventproof_fakes.s3.bucket_config import BucketConfigOperations
from eventproof_fakes.s3.buckets import BucketOperations
from eventproof_fakes.s3.lifecycle import LifecycleOperations
from eventproof_fakes.s3.listing import ListingOperations
from eventproof_fakes.s3.model import Bucket, ObjectVersion
from eventproof_fakes.s3.multipart import MultipartOperations
from eventproof_fakes.s3.notifications import NotificationOperations
from eventproof_fakes.s3.objects import ObjectOperations

if TYPE_CHECKING:
    from eventproof_fakes.environment import FakeAWS


class S3(
    BucketOperations,
    BucketConfigOperations,
    ObjectOperations,
    ListingOperations,
    MultipartOperations,
    LifecycleOperations,
    NotificationOperations,
):
    """In-memory S3 for one account and one region, on the environment's virtual clock.

    Models buckets (one region, versioning, tagging, policy, Block Public
    Access, SSE-S3 encryption, CORS, lifecycle expiration), objects
    (metadata, ranges, conditional reads and writes, checksums, copy,
    tagging), listings, multipart uploads and event notifications.

    Simplifications: no access control (ACLs other than private are
    refused, as on a bucket with ACLs disabled; bucket policies and the
    resource policies of notification destinations are stored or ignored,
    never evaluated); every object is SSE-S3 encrypted; storage classes are
    labels (no Glacier restore, no lifecycle transitions); notifications
    are delivered synchronously (``eventproof_fakes.s3.notifications``); lifecycle
    expirations run at midnight UTC (``eventproof_fakes.s3.lifecycle``); ObjectAcl,
    restore, transition and replication events are accepted in
    configurations but nothing here raises them. Request parameters the
    fake does not model are refused by name.
    """

    def __init__(self, env: FakeAWS) -> None:
        self.env = env
        self.buckets: dict[str, Bucket] = {}
        self.failed_deliveries: list[tuple[str, str, str]] = []
        self._sequence = 0
        self._lifecycle_timer = None

    # --- Python API -----------------------------------------------------------
    def put_bytes(
        self, bucket: str, key: str, data: bytes, *, content_type: str | None = None
    ) -> str:
        """Store ``data`` as PutObject does (versioning, notifications); returns the ETag."""
        params: dict[str, Any] = {"Bucket": bucket, "Key": key, "Body": data}
        if content_type is not None:
            params["ContentType"] = content_type
        return str(self.put_object(params)["ETag"])

    def object_bytes(self, bucket: str, key: str) -> bytes:
        """The current content of ``key``; ``NoSuchKey``/``NoSuchBucket`` as GetObject raises."""
        return self._readable(self._bucket(bucket), key, None, head=False).data

    def keys(self, bucket: str) -> list[str]:
        """The keys with a current (not deleted) version, in listing order."""
        found = self._bucket(bucket).keys
        return sorted(k for k, versions in found.items() if not versions[-1].delete_marker)

    def versions(self, bucket: str, key: str) -> list[ObjectVersion]:
        """Every version of ``key``, delete markers included, oldest first."""
        return list(self._bucket(bucket).keys.get(key, []))
