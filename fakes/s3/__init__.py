"""In-memory S3: buckets, objects, versioning, multipart uploads, event notifications."""

from fakes.s3.backend import S3
from fakes.s3.model import Bucket, ObjectVersion

__all__ = ["S3", "Bucket", "ObjectVersion"]
