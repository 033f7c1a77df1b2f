"""In-memory S3: buckets, objects, versioning, multipart uploads, event notifications."""

from eventproof_fakes import fault_channels
from eventproof_fakes.s3.backend import S3
from eventproof_fakes.s3.model import Bucket, ObjectVersion

__all__ = ["S3", "Bucket", "ObjectVersion"]

fault_channels.register_channel(
    "s3",
    "<bucket name>",
    ("duplicate",),
    "a bucket's event notifications, delivered to each destination again",
)
