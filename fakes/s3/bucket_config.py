"""Bucket settings that templates set: policy, Block Public Access, encryption, CORS, ownership.

https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html
https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
New buckets have Block Public Access on, SSE-S3 default encryption and
ACLs disabled (BucketOwnerEnforced), as on AWS since 2023. The fake
stores a bucket policy and refuses a public one while BlockPublicPolicy
is on, but evaluates no policy on requests (see ``S3``'s docstring);
CORS rules are stored for GetBucketCors, there being no browser to apply
them to. Encryption other than SSE-S3 is refused by name.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from eventproof_fakes.operations import operation
from eventproof_fakes.s3.common import S3Base, unmodelled
from eventproof_fakes.s3.errors import invalid_argument, malformed_xml, s3_error
from eventproof_fakes.s3.model import BLOCK_ALL, SSE_S3

_TRANSPORT = ("ExpectedBucketOwner", "ChecksumAlgorithm", "ContentMD5")


def is_public(policy: dict[str, Any]) -> bool:
    """An Allow statement for every principal without conditions grants public access."""
    statements = policy.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    for statement in statements:
        principal = statement.get("Principal")
        everyone = principal == "*" or (
            isinstance(principal, dict) and "*" in _as_list(principal.get("AWS"))
        )
        if statement.get("Effect") == "Allow" and everyone and not statement.get("Condition"):
            return True
    return False


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


class BucketConfigOperations(S3Base):
    # --- policy ---------------------------------------------------------------
    @operation(refuses=unmodelled("PutBucketPolicy", "Bucket", "Policy", *_TRANSPORT))
    def put_bucket_policy(self, params: dict[str, Any]) -> dict[str, Any]:
        self._check_owner(params)
        bucket = self._bucket(params["Bucket"])
        text = params["Policy"]
        try:
            policy = json.loads(text)
        except ValueError:
            policy = None
        if not isinstance(policy, dict) or not text.lstrip().startswith("{"):
            raise s3_error("MalformedPolicy",
                           "Policies must be valid JSON and the first byte must be '{'")
        if "Statement" not in policy:
            raise s3_error("MalformedPolicy", "Missing required field Statement")
        block = bucket.public_access_block or {}
        if block.get("BlockPublicPolicy") and is_public(policy):
            raise s3_error(
                "AccessDenied",
                "User is not authorized to perform: s3:PutBucketPolicy on resource: "
                f'"{bucket.arn}" because public policies are blocked by the BlockPublicPolicy '
                "block public access setting.",
                403,
            )
        bucket.policy = text
        return {"_http_status": 204}

    @operation(refuses=unmodelled("GetBucketPolicy", "Bucket", "ExpectedBucketOwner"))
    def get_bucket_policy(self, params: dict[str, Any]) -> dict[str, Any]:
        bucket = self._bucket(params["Bucket"])
        if bucket.policy is None:
            raise s3_error("NoSuchBucketPolicy", "The bucket policy does not exist", 404,
                           BucketName=bucket.name)
        return {"Policy": bucket.policy}

    @operation(refuses=unmodelled("DeleteBucketPolicy", "Bucket", "ExpectedBucketOwner"))
    def delete_bucket_policy(self, params: dict[str, Any]) -> dict[str, Any]:
        self._bucket(params["Bucket"]).policy = None
        return {"_http_status": 204}

    # --- Block Public Access ----------------------------------------------------
    @operation(refuses=unmodelled("PutPublicAccessBlock", "Bucket",
                                  "PublicAccessBlockConfiguration", *_TRANSPORT))
    def put_public_access_block(self, params: dict[str, Any]) -> dict[str, Any]:
        bucket = self._bucket(params["Bucket"])
        configuration = params["PublicAccessBlockConfiguration"]
        unknown = set(configuration) - set(BLOCK_ALL)
        if unknown:
            raise malformed_xml()
        bucket.public_access_block = {name: bool(configuration.get(name, False))
                                      for name in BLOCK_ALL}
        return {}

    @operation(refuses=unmodelled("GetPublicAccessBlock", "Bucket", "ExpectedBucketOwner"))
    def get_public_access_block(self, params: dict[str, Any]) -> dict[str, Any]:
        bucket = self._bucket(params["Bucket"])
        if bucket.public_access_block is None:
            raise s3_error("NoSuchPublicAccessBlockConfiguration",
                           "The public access block configuration was not found", 404,
                           BucketName=bucket.name)
        return {"PublicAccessBlockConfiguration": dict(bucket.public_access_block)}

    @operation(refuses=unmodelled("DeletePublicAccessBlock", "Bucket", "ExpectedBucketOwner"))
    def delete_public_access_block(self, params: dict[str, Any]) -> dict[str, Any]:
        self._bucket(params["Bucket"]).public_access_block = None
        return {"_http_status": 204}

    # --- default encryption -----------------------------------------------------
    @operation(refuses=unmodelled("PutBucketEncryption", "Bucket",
                                  "ServerSideEncryptionConfiguration", *_TRANSPORT))
    def put_bucket_encryption(self, params: dict[str, Any]) -> dict[str, Any]:
        bucket = self._bucket(params["Bucket"])
        rules = params["ServerSideEncryptionConfiguration"].get("Rules") or []
        if len(rules) != 1:
            raise malformed_xml()
        default = rules[0].get("ApplyServerSideEncryptionByDefault") or {}
        algorithm = default.get("SSEAlgorithm")
        if algorithm != "AES256" or "KMSMasterKeyID" in default:
            raise invalid_argument(
                f"eventproof's fake s3 models only SSE-S3 (AES256) encryption, not {algorithm}",
                "SSEAlgorithm", algorithm,
            )
        bucket.encryption = {"Rules": [{"ApplyServerSideEncryptionByDefault": {
            "SSEAlgorithm": "AES256"}, "BucketKeyEnabled": bool(rules[0].get("BucketKeyEnabled"))}]}
        return {}

    @operation(refuses=unmodelled("GetBucketEncryption", "Bucket", "ExpectedBucketOwner"))
    def get_bucket_encryption(self, params: dict[str, Any]) -> dict[str, Any]:
        bucket = self._bucket(params["Bucket"])
        return {"ServerSideEncryptionConfiguration": copy.deepcopy(bucket.encryption)}

    @operation(refuses=unmodelled("DeleteBucketEncryption", "Bucket", "ExpectedBucketOwner"))
    def delete_bucket_encryption(self, params: dict[str, Any]) -> dict[str, Any]:
        self._bucket(params["Bucket"]).encryption = copy.deepcopy(SSE_S3)
        return {"_http_status": 204}

    # --- CORS ---------------------------------------------------------------------
    @operation(refuses=unmodelled("PutBucketCors", "Bucket", "CORSConfiguration", *_TRANSPORT))
    def put_bucket_cors(self, params: dict[str, Any]) -> dict[str, Any]:
        bucket = self._bucket(params["Bucket"])
        rules = params["CORSConfiguration"].get("CORSRules") or []
        if not rules or len(rules) > 100:
            raise malformed_xml()
        bucket.cors = copy.deepcopy(rules)
        return {}

    @operation(refuses=unmodelled("GetBucketCors", "Bucket", "ExpectedBucketOwner"))
    def get_bucket_cors(self, params: dict[str, Any]) -> dict[str, Any]:
        bucket = self._bucket(params["Bucket"])
        if bucket.cors is None:
            raise s3_error("NoSuchCORSConfiguration", "The CORS configuration does not exist",
                           404, BucketName=bucket.name)
        return {"CORSRules": copy.deepcopy(bucket.cors)}

    @operation(refuses=unmodelled("DeleteBucketCors", "Bucket", "ExpectedBucketOwner"))
    def delete_bucket_cors(self, params: dict[str, Any]) -> dict[str, Any]:
        self._bucket(params["Bucket"]).cors = None
        return {"_http_status": 204}

    # --- object ownership -----------------------------------------------------------
    @operation(refuses=unmodelled("PutBucketOwnershipControls", "Bucket", "OwnershipControls",
                                  *_TRANSPORT))
    def put_bucket_ownership_controls(self, params: dict[str, Any]) -> dict[str, Any]:
        self._bucket(params["Bucket"])
        rules = params["OwnershipControls"].get("Rules") or []
        if len(rules) != 1 or rules[0].get("ObjectOwnership") != "BucketOwnerEnforced":
            raise invalid_argument(
                "eventproof's fake s3 models only BucketOwnerEnforced object ownership "
                "(ACLs disabled)", "ObjectOwnership",
                rules[0].get("ObjectOwnership") if rules else "",
            )
        return {}

    @operation(refuses=unmodelled("GetBucketOwnershipControls", "Bucket", "ExpectedBucketOwner"))
    def get_bucket_ownership_controls(self, params: dict[str, Any]) -> dict[str, Any]:
        self._bucket(params["Bucket"])
        return {"OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}}
