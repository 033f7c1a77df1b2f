"""S3 bucket settings templates set: policy, Block Public Access, encryption, CORS, ownership."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.behaviour.s3_helpers import BUCKET, error_of

PRIVATE_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{BUCKET}/*",
    }],
}
PUBLIC_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                   "Resource": f"arn:aws:s3:::{BUCKET}/*"}],
}


@pytest.fixture
def s3(aws: Any) -> Any:
    client = aws.client("s3")
    client.create_bucket(Bucket=BUCKET)
    return client


def test_a_bucket_policy_round_trips_and_can_be_deleted(s3: Any) -> None:
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PRIVATE_POLICY))
    assert json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"]) == PRIVATE_POLICY
    s3.delete_bucket_policy(Bucket=BUCKET)
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_policy(Bucket=BUCKET)
    assert error_of(excinfo)["Code"] == "NoSuchBucketPolicy"


@pytest.mark.fakes_only  # moto stores it; AWS: MalformedPolicy, https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html
def test_a_policy_that_is_not_json_is_malformed(s3: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_policy(Bucket=BUCKET, Policy="not json")
    assert error_of(excinfo)["Code"] == "MalformedPolicy"


@pytest.mark.fakes_only  # moto has no Block Public Access defaults; AWS: https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
def test_new_buckets_block_public_access_and_refuse_a_public_policy(s3: Any) -> None:
    block = s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]
    assert all(block.values()) and len(block) == 4
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_POLICY))
    assert error_of(excinfo)["Code"] == "AccessDenied"
    s3.delete_public_access_block(Bucket=BUCKET)
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_POLICY))


def test_public_access_block_settings_round_trip(s3: Any) -> None:
    settings = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": False,
                "RestrictPublicBuckets": False}
    s3.put_public_access_block(Bucket=BUCKET, PublicAccessBlockConfiguration=settings)
    assert s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"] == settings


@pytest.mark.fakes_only  # moto has no default; AWS: SSE-S3 on every bucket since 2023, https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html
def test_default_encryption_is_sse_s3(s3: Any) -> None:
    rules = s3.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"


def test_cors_rules_round_trip_and_are_missing_until_set(s3: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_cors(Bucket=BUCKET)
    assert error_of(excinfo)["Code"] == "NoSuchCORSConfiguration"
    rule = {"AllowedMethods": ["GET"], "AllowedOrigins": ["https://shop.example"]}
    s3.put_bucket_cors(Bucket=BUCKET, CORSConfiguration={"CORSRules": [rule]})
    [stored] = s3.get_bucket_cors(Bucket=BUCKET)["CORSRules"]
    assert (stored["AllowedMethods"], stored["AllowedOrigins"]) == (["GET"], ["https://shop.example"])


def test_ownership_controls_can_be_set_to_bucket_owner_enforced(s3: Any) -> None:
    s3.put_bucket_ownership_controls(
        Bucket=BUCKET, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    )
    rules = s3.get_bucket_ownership_controls(Bucket=BUCKET)["OwnershipControls"]["Rules"]
    assert rules == [{"ObjectOwnership": "BucketOwnerEnforced"}]
