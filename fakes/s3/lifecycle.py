"""S3 Lifecycle: expiration of current and noncurrent versions, expired delete markers,
incomplete multipart uploads, run once a day at midnight UTC on the virtual clock.

https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html
https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html
An object becomes eligible when its age in days reaches the rule's, rounded
up to the next midnight UTC (created 10:30 on the 15th with Days=3: the
19th at 00:00). The fake expires eligible objects at that midnight, from
a background timer: ``clock.advance`` past midnight runs it,
``run_until_idle`` does not wait for it (AWS gives no time bound either).
Deletions raise ``s3:LifecycleExpiration:*`` notifications, not
``ObjectRemoved``. Transitions between storage classes are refused by
name: storage classes are labels in this fake.
"""

from __future__ import annotations

import base64
import copy
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from eventproof_fakes.clock import Timer
from eventproof_fakes.operations import operation
from eventproof_fakes.s3.common import timestamp, unmodelled
from eventproof_fakes.s3.errors import invalid_argument, invalid_request, malformed_xml, s3_error
from eventproof_fakes.s3.model import Bucket, ObjectVersion
from eventproof_fakes.s3.writing import Writing

DAY = 24 * 60 * 60
MAX_RULES = 1000
_MIN_SIZES = ("all_storage_classes_128K", "varies_by_storage_class")


@dataclass(frozen=True, slots=True)
class LifecycleRule:
    rule: dict[str, Any]  # as GetBucketLifecycleConfiguration answers it
    enabled: bool
    prefix: str
    tags: tuple[tuple[str, str], ...]
    larger_than: int | None
    smaller_than: int | None
    days: int | None
    date: float | None
    expired_delete_marker: bool
    noncurrent_days: int | None
    newer_noncurrent: int
    abort_days: int | None

    def covers(self, version: ObjectVersion) -> bool:
        return (
            version.key.startswith(self.prefix)
            and all(version.tags.get(k) == v for k, v in self.tags)
            and (self.larger_than is None or version.size > self.larger_than)
            and (self.smaller_than is None or version.size < self.smaller_than)
        )


def eligible(start: float, days: int, now: float) -> bool:
    return math.ceil((start + days * DAY) / DAY) * DAY <= now


def parse_rules(configuration: dict[str, Any], new_id: Any) -> list[LifecycleRule]:
    rules = configuration.get("Rules") or []
    if not rules or len(rules) > MAX_RULES:
        raise malformed_xml()
    parsed = [_parse_rule(copy.deepcopy(rule), new_id) for rule in rules]
    ids = [r.rule["ID"] for r in parsed]
    if len(set(ids)) != len(ids):
        raise invalid_argument("Rule ID must be unique. Found same ID for more than one rule",
                               "ID", ids[0])
    return parsed


def _parse_rule(rule: dict[str, Any], new_id: Any) -> LifecycleRule:
    for name in ("Transitions", "NoncurrentVersionTransitions"):
        if rule.get(name):
            raise invalid_argument(
                f"eventproof's fake s3 does not model lifecycle {name} (storage classes "
                "are labels)", name, "",
            )
    if rule.get("Status") not in ("Enabled", "Disabled"):
        raise malformed_xml()
    if ("Filter" in rule) == ("Prefix" in rule):
        raise malformed_xml()
    rule.setdefault("ID", base64.b64encode(str(new_id()).encode()).decode().rstrip("="))
    prefix, tags, larger, smaller = _filter(rule)
    expiration = rule.get("Expiration") or {}
    days = expiration.get("Days")
    date = expiration.get("Date")
    marker = bool(expiration.get("ExpiredObjectDeleteMarker"))
    if sum(x is not None and x is not False for x in (days, date,
           expiration.get("ExpiredObjectDeleteMarker"))) > 1:
        raise malformed_xml()
    if days is not None and days <= 0:
        raise invalid_argument("'Days' for Expiration action must be a positive integer",
                               "Days", days)
    date_seconds = None
    if date is not None:
        date_seconds = date.timestamp() if isinstance(date, datetime) else float(date)
        if date_seconds % DAY:
            raise invalid_argument("'Date' must be at midnight GMT", "Date", date)
    noncurrent = rule.get("NoncurrentVersionExpiration") or {}
    noncurrent_days = noncurrent.get("NoncurrentDays")
    if noncurrent and (noncurrent_days is None or noncurrent_days <= 0):
        raise invalid_argument("'NoncurrentDays' for NoncurrentVersionExpiration action must "
                               "be a positive integer", "NoncurrentDays", noncurrent_days)
    abort = (rule.get("AbortIncompleteMultipartUpload") or {}).get("DaysAfterInitiation")
    if abort is not None and abort <= 0:
        raise invalid_argument("'DaysAfterInitiation' for AbortIncompleteMultipartUpload "
                               "action must be a positive integer", "DaysAfterInitiation", abort)
    if abort is not None and tags:
        raise invalid_request("AbortIncompleteMultipartUpload cannot be specified with Tags.")
    if days is None and date is None and not marker and noncurrent_days is None and abort is None:
        raise invalid_request("At least one action needs to be specified in a rule")
    stored = {k: v for k, v in rule.items() if v not in (None, {}, [])} | (
        {"Filter": rule["Filter"]} if "Filter" in rule else {}
    )
    if date is not None:
        stored["Expiration"] = {**expiration, "Date": timestamp(date_seconds or 0.0)}
    return LifecycleRule(
        rule=stored, enabled=rule["Status"] == "Enabled", prefix=prefix, tags=tags,
        larger_than=larger, smaller_than=smaller, days=days, date=date_seconds,
        expired_delete_marker=marker, noncurrent_days=noncurrent_days,
        newer_noncurrent=int(noncurrent.get("NewerNoncurrentVersions") or 0), abort_days=abort,
    )


def _filter(rule: dict[str, Any]) -> tuple[str, tuple[tuple[str, str], ...], int | None, int | None]:
    if "Prefix" in rule:
        return str(rule["Prefix"]), (), None, None
    conditions = rule["Filter"] or {}
    if len(conditions) > 1:
        raise malformed_xml()
    both = conditions.get("And")
    if both is not None:
        conditions = both
    tags = tuple((t["Key"], t["Value"]) for t in conditions.get("Tags") or [])
    if "Tag" in conditions:
        tags = ((conditions["Tag"]["Key"], conditions["Tag"]["Value"]),)
    return (str(conditions.get("Prefix", "")), tags, conditions.get("ObjectSizeGreaterThan"),
            conditions.get("ObjectSizeLessThan"))


class LifecycleOperations(Writing):
    _lifecycle_timer: Timer | None

    @operation(refuses=unmodelled("PutBucketLifecycleConfiguration", "Bucket",
                                  "LifecycleConfiguration", "ExpectedBucketOwner",
                                  "ChecksumAlgorithm", "TransitionDefaultMinimumObjectSize"))
    def put_bucket_lifecycle_configuration(self, params: dict[str, Any]) -> dict[str, Any]:
        self._check_owner(params)
        bucket = self._bucket(params["Bucket"])
        minimum = params.get("TransitionDefaultMinimumObjectSize", _MIN_SIZES[0])
        if minimum not in _MIN_SIZES:
            raise invalid_argument("Invalid TransitionDefaultMinimumObjectSize",
                                   "x-amz-transition-default-minimum-object-size", minimum)
        bucket.lifecycle = parse_rules(params.get("LifecycleConfiguration") or {},
                                       self.env.ids.uuid)
        bucket.lifecycle_minimum_size = minimum
        self._arm_lifecycle()
        return {"TransitionDefaultMinimumObjectSize": minimum}

    @operation(refuses=unmodelled("GetBucketLifecycleConfiguration", "Bucket",
                                  "ExpectedBucketOwner"))
    def get_bucket_lifecycle_configuration(self, params: dict[str, Any]) -> dict[str, Any]:
        bucket = self._bucket(params["Bucket"])
        if not bucket.lifecycle:
            raise s3_error("NoSuchLifecycleConfiguration",
                           "The lifecycle configuration does not exist", 404,
                           BucketName=bucket.name)
        return {"Rules": [dict(r.rule) for r in bucket.lifecycle],
                "TransitionDefaultMinimumObjectSize": bucket.lifecycle_minimum_size}

    @operation(refuses=unmodelled("DeleteBucketLifecycle", "Bucket", "ExpectedBucketOwner"))
    def delete_bucket_lifecycle(self, params: dict[str, Any]) -> dict[str, Any]:
        self._bucket(params["Bucket"]).lifecycle = []
        return {"_http_status": 204}

    # --- the daily run ------------------------------------------------------------
    def _arm_lifecycle(self) -> None:
        if self._lifecycle_timer is not None and not self._lifecycle_timer.cancelled:
            return
        midnight = (math.floor(self.env.clock.now() / DAY) + 1) * DAY
        self._lifecycle_timer = self.env.clock.call_at(
            midnight, self._lifecycle_day, label="s3 lifecycle", background=True
        )

    def _lifecycle_day(self) -> None:
        self._lifecycle_timer = None
        buckets = [b for b in self.buckets.values() if any(r.enabled for r in b.lifecycle)]
        for bucket in buckets:
            self._expire(bucket, [r for r in bucket.lifecycle if r.enabled])
        if any(b.lifecycle for b in self.buckets.values()):
            self._arm_lifecycle()

    def _expire(self, bucket: Bucket, rules: list[LifecycleRule]) -> None:
        now = self.env.clock.now()
        cause = "LifecycleExpiration"
        for key in sorted(bucket.keys):
            versions = bucket.keys.get(key, [])
            current = versions[-1] if versions else None
            if current is not None and not current.delete_marker and any(
                r.covers(current) and (
                    (r.days is not None and eligible(current.last_modified, r.days, now))
                    or (r.date is not None and now >= r.date)
                ) for r in rules
            ):
                self._delete(bucket, key, None, cause)
            if bucket.versioning is not None:
                self._expire_noncurrent(bucket, key, rules, now)
            versions = bucket.keys.get(key, [])
            if len(versions) == 1 and versions[0].delete_marker and any(
                r.expired_delete_marker and versions[0].key.startswith(r.prefix) for r in rules
            ):
                self._delete(bucket, key, versions[0].version_id, cause)
        for upload in list(bucket.uploads.values()):
            if any(r.abort_days is not None and upload.key.startswith(r.prefix)
                   and eligible(upload.initiated, r.abort_days, now) for r in rules):
                del bucket.uploads[upload.upload_id]

    def _expire_noncurrent(
        self, bucket: Bucket, key: str, rules: list[LifecycleRule], now: float
    ) -> None:
        versions = bucket.keys.get(key, [])
        # version i became noncurrent when version i + 1 was written; newest first
        noncurrent = [(versions[i], versions[i + 1].last_modified)
                      for i in range(len(versions) - 2, -1, -1)]
        for rule in rules:
            if rule.noncurrent_days is None:
                continue
            for rank, (version, since) in enumerate(noncurrent):
                if (rank >= rule.newer_noncurrent and rule.covers(version)
                        and eligible(since, rule.noncurrent_days, now)
                        and any(v is version for v in bucket.keys.get(key, []))):
                    self._delete(bucket, key, version.version_id, "LifecycleExpiration")
