"""Buckets: create, delete, list, head, location, versioning and tagging.

https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
A ``FakeAWS`` is one region: a bucket is created there, and a
``LocationConstraint`` naming another region is refused as the regional
endpoint refuses it.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from eventproof_fakes.operations import operation
from eventproof_fakes.s3.common import S3Base, timestamp, unmodelled
from eventproof_fakes.s3.errors import head_error, invalid_argument, malformed_xml, s3_error
from eventproof_fakes.s3.model import Bucket

_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_IP_LIKE = re.compile(r"^\d+\.\d+\.\d+\.\d+$")
_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")


def check_bucket_name(name: str) -> None:
    if (
        not _NAME.match(name)
        or ".." in name
        or _IP_LIKE.match(name)
        or name.startswith(_RESERVED_PREFIXES)
        or name.endswith(_RESERVED_SUFFIXES)
    ):
        raise s3_error("InvalidBucketName", "The specified bucket is not valid.", BucketName=name)


class BucketOperations(S3Base):
    @operation(refuses=unmodelled("CreateBucket", "Bucket", "CreateBucketConfiguration",
                                  "ObjectOwnership", "ACL"))
    def create_bucket(self, params: dict[str, Any]) -> dict[str, Any]:
        name = params["Bucket"]
        check_bucket_name(name)
        configuration = dict(params.get("CreateBucketConfiguration") or {})
        constraint = configuration.pop("LocationConstraint", None)
        if configuration:
            raise invalid_argument(
                f"eventproof's fake s3 does not model {sorted(configuration)} in "
                "CreateBucketConfiguration", "CreateBucketConfiguration", sorted(configuration)[0],
            )
        if params.get("ACL") not in (None, "private"):
            raise s3_error(
                "InvalidBucketAclWithObjectOwnership",
                "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
            )
        if params.get("ObjectOwnership", "BucketOwnerEnforced") != "BucketOwnerEnforced":
            raise invalid_argument(
                "eventproof's fake s3 models only BucketOwnerEnforced object ownership "
                "(ACLs disabled)", "x-amz-object-ownership", params["ObjectOwnership"],
            )
        region = self.env.region
        if region == "us-east-1":
            if constraint == "us-east-1":
                raise s3_error("InvalidLocationConstraint",
                               "The specified location-constraint is not valid",
                               LocationConstraint=constraint)
            if constraint not in (None, ""):
                raise _incompatible(constraint)
        elif constraint is None:
            raise s3_error(
                "IllegalLocationConstraintException",
                "The unspecified location constraint is incompatible for the region specific "
                "endpoint this request was sent to.",
            )
        elif constraint != region:
            raise _incompatible(constraint)
        existing = self.buckets.get(name)
        if existing is not None:
            if region != "us-east-1":  # us-east-1 answers 200 to its owner, for legacy reasons
                raise s3_error(
                    "BucketAlreadyOwnedByYou",
                    "Your previous request to create the named bucket succeeded and you "
                    "already own it.",
                    409,
                    BucketName=name,
                )
        else:
            self.buckets[name] = Bucket(name, region, self.env.clock.now())
        return {"Location": f"/{name}" if region == "us-east-1" else
                f"http://{name}.s3.amazonaws.com/", "BucketArn": f"arn:aws:s3:::{name}"}

    @operation(refuses=unmodelled("DeleteBucket", "Bucket", "ExpectedBucketOwner"))
    def delete_bucket(self, params: dict[str, Any]) -> dict[str, Any]:
        self._check_owner(params)
        bucket = self._bucket(params["Bucket"])
        if bucket.keys:
            message = "The bucket you tried to delete is not empty"
            if bucket.versioning is not None:
                message += ". You must delete all versions in the bucket."
            raise s3_error("BucketNotEmpty", message, 409, BucketName=bucket.name)
        del self.buckets[bucket.name]
        return {"_http_status": 204}

    @operation
    def list_buckets(self, params: dict[str, Any]) -> dict[str, Any]:
        names = sorted(
            name for name, bucket in self.buckets.items()
            if name.startswith(params.get("Prefix", ""))
            and params.get("BucketRegion", bucket.region) == bucket.region
        )
        token = params.get("ContinuationToken")
        if token is not None:
            try:
                after = base64.urlsafe_b64decode(token.encode()).decode()
            except (binascii.Error, UnicodeDecodeError, ValueError):
                raise invalid_argument("The continuation token provided is incorrect",
                                       "continuation-token", token) from None
            names = [n for n in names if n > after]
        limit = params.get("MaxBuckets")
        result: dict[str, Any] = {"Owner": self.owner}
        if limit is not None and len(names) > limit:
            names = names[:limit]
            result["ContinuationToken"] = base64.urlsafe_b64encode(names[-1].encode()).decode()
        result["Buckets"] = [
            {"Name": n, "CreationDate": timestamp(self.buckets[n].created),
             "BucketRegion": self.buckets[n].region,
             "BucketArn": self.buckets[n].arn}
            for n in names
        ]
        if "Prefix" in params:
            result["Prefix"] = params["Prefix"]
        return result

    @operation(refuses=unmodelled("HeadBucket", "Bucket", "ExpectedBucketOwner"))
    def head_bucket(self, params: dict[str, Any]) -> dict[str, Any]:
        bucket = self.buckets.get(params["Bucket"])
        if bucket is None:
            raise head_error(404)
        return {"BucketRegion": bucket.region, "AccessPointAlias": False,
                "BucketArn": bucket.arn}

    @operation(refuses=unmodelled("GetBucketLocation", "Bucket", "ExpectedBucketOwner"))
    def get_bucket_location(self, params: dict[str, Any]) -> dict[str, Any]:
        bucket = self._bucket(params["Bucket"])
        # us-east-1 buckets answer an empty LocationConstraint, which botocore parses as None.
        return {"LocationConstraint": None if bucket.region == "us-east-1" else bucket.region}

    # --- versioning ---------------------------------------------------------
    @operation(refuses=unmodelled("PutBucketVersioning", "Bucket", "VersioningConfiguration",
                                  "ExpectedBucketOwner", "ChecksumAlgorithm", "ContentMD5"))
    def put_bucket_versioning(self, params: dict[str, Any]) -> dict[str, Any]:
        bucket = self._bucket(params["Bucket"])
        configuration = params["VersioningConfiguration"]
        if "MFADelete" in configuration:
            raise invalid_argument("eventproof's fake s3 does not model MFADelete",
                                   "MFADelete", configuration["MFADelete"])
        status = configuration.get("Status")
        if status not in ("Enabled", "Suspended"):
            raise malformed_xml()
        if status == "Suspended" and bucket.versioning is None:
            return {}  # suspending a never-versioned bucket leaves it unversioned
        bucket.versioning = status
        return {}

    @operation(refuses=unmodelled("GetBucketVersioning", "Bucket", "ExpectedBucketOwner"))
    def get_bucket_versioning(self, params: dict[str, Any]) -> dict[str, Any]:
        bucket = self._bucket(params["Bucket"])
        return {"Status": bucket.versioning} if bucket.versioning else {}

    # --- tagging ------------------------------------------------------------
    @operation(refuses=unmodelled("PutBucketTagging", "Bucket", "Tagging",
                                  "ExpectedBucketOwner", "ChecksumAlgorithm", "ContentMD5"))
    def put_bucket_tagging(self, params: dict[str, Any]) -> dict[str, Any]:
        bucket = self._bucket(params["Bucket"])
        tags = list(params["Tagging"]["TagSet"])
        keys = [t["Key"] for t in tags]
        if len(set(keys)) != len(keys):
            raise invalid_argument("Cannot provide multiple Tags with the same key",
                                   "TagKey", keys[0])
        if len(tags) > 50:
            raise s3_error("BadRequest", "Bucket tag count cannot be greater than 50")
        for key in keys:
            if key.startswith("aws:"):
                raise invalid_argument("System tags cannot be added/updated by requester",
                                       "TagKey", key)
        bucket.tags = tags
        return {"_http_status": 204}

    @operation(refuses=unmodelled("GetBucketTagging", "Bucket", "ExpectedBucketOwner"))
    def get_bucket_tagging(self, params: dict[str, Any]) -> dict[str, Any]:
        bucket = self._bucket(params["Bucket"])
        if bucket.tags is None:
            raise s3_error("NoSuchTagSet", "The TagSet does not exist", 404,
                           BucketName=bucket.name)
        return {"TagSet": [dict(t) for t in bucket.tags]}

    @operation(refuses=unmodelled("DeleteBucketTagging", "Bucket", "ExpectedBucketOwner"))
    def delete_bucket_tagging(self, params: dict[str, Any]) -> dict[str, Any]:
        self._bucket(params["Bucket"]).tags = None
        return {"_http_status": 204}


def _incompatible(constraint: str) -> Exception:
    return s3_error(
        "IllegalLocationConstraintException",
        f"The {constraint} location constraint is incompatible for the region specific "
        "endpoint this request was sent to.",
    )
