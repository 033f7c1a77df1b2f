"""In-memory S3: buckets, objects, versioning, multipart uploads, event notifications."""

from fakes import fault_channels
from fakes.s3.backend import S3
from fakes.s3.model import Bucket, ObjectVersion

__all__ = ["S3", "Bucket", "ObjectVersion"]

fault_channels.register_channel(
    "s3",
    "<bucket name>",
    ("duplicate",),
    "a bucket's event notifications, delivered to each destination again",
)
