"""ListObjectsV2, ListObjects and ListObjectVersions: prefixes, delimiters, pagination.

https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
Keys come back in UTF-8 binary order; a delimiter rolls the keys that share
a prefix up to it into one ``CommonPrefixes`` entry, which counts once
towards ``MaxKeys``. botocore asks for ``EncodingType=url`` on its own and
decodes the answer, so the fake encodes exactly when asked.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote_plus

from eventproof_fakes.operations import operation
from eventproof_fakes.s3.common import S3Base, timestamp, unmodelled
from eventproof_fakes.s3.errors import invalid_argument
from eventproof_fakes.s3.model import Bucket, ObjectVersion

MAX_KEYS = 1000
_COMMON = ("Bucket", "Prefix", "Delimiter", "MaxKeys", "EncodingType", "ExpectedBucketOwner")


def _entries(
    names: list[str], prefix: str, delimiter: str, after: str | None
) -> Iterator[tuple[str, bool]]:
    """(key or common prefix, is_prefix) in order, each common prefix once, after ``after``."""
    last_prefix = None
    for name in names:
        if not name.startswith(prefix) or (after is not None and name <= after):
            continue
        if delimiter:
            cut = name.find(delimiter, len(prefix))
            if cut >= 0:
                common = name[: cut + len(delimiter)]
                if common == last_prefix or (after is not None and common <= after):
                    continue
                last_prefix = common
                yield common, True
                continue
        yield name, False


def _page(
    names: list[str], prefix: str, delimiter: str, after: str | None, limit: int
) -> tuple[list[tuple[str, bool]], bool]:
    page: list[tuple[str, bool]] = []
    for entry in _entries(names, prefix, delimiter, after):
        if len(page) >= limit:
            return page, True
        page.append(entry)
    return page, False


def _limit(params: dict[str, Any]) -> int:
    value = params.get("MaxKeys", MAX_KEYS)
    if value < 0:
        raise invalid_argument("Argument maxKeys must be an integer between 0 and 2147483647",
                               "maxKeys", value)
    return min(value, MAX_KEYS)


class ListingOperations(S3Base):
    def _listing(self, params: dict[str, Any]) -> tuple[Bucket, str, str, int, bool]:
        self._check_owner(params)
        bucket = self._bucket(params["Bucket"])
        encoding = params.get("EncodingType")
        if encoding not in (None, "url"):
            raise invalid_argument("Invalid Encoding Method specified in Request",
                                   "encoding-type", encoding)
        return (bucket, params.get("Prefix", ""), params.get("Delimiter", ""), _limit(params),
                encoding == "url")

    def _object_entry(self, version: ObjectVersion, encode: bool, owner: bool) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "Key": _encoded(version.key, encode),
            "LastModified": timestamp(version.last_modified),
            "ETag": version.etag,
            "Size": version.size,
            "StorageClass": version.storage_class,
        }
        if version.checksums:
            entry["ChecksumAlgorithm"] = list(version.checksums)
            entry["ChecksumType"] = version.checksum_type
        if owner:
            entry["Owner"] = self.owner
        return entry

    @operation(refuses=unmodelled("ListObjectsV2", *_COMMON, "ContinuationToken",
                                  "StartAfter", "FetchOwner"))
    def list_objects_v2(self, params: dict[str, Any]) -> dict[str, Any]:
        bucket, prefix, delimiter, limit, encode = self._listing(params)
        token = params.get("ContinuationToken")
        after = params.get("StartAfter")
        if token is not None:
            try:
                after = base64.b64decode(token.encode(), validate=True).decode()
            except (binascii.Error, UnicodeDecodeError):
                raise invalid_argument("The continuation token provided is incorrect",
                                       "continuation-token", token) from None
        page, truncated = _page(_live_keys(bucket), prefix, delimiter, after, limit)
        result = self._page_result(bucket, params, page, truncated, encode)
        result["KeyCount"] = len(page)
        if token is not None:
            result["ContinuationToken"] = token
        if "StartAfter" in params:
            result["StartAfter"] = _encoded(params["StartAfter"], encode)
        if truncated:
            result["NextContinuationToken"] = base64.b64encode(page[-1][0].encode()).decode()
        return result

    @operation(refuses=unmodelled("ListObjects", *_COMMON, "Marker"))
    def list_objects(self, params: dict[str, Any]) -> dict[str, Any]:
        bucket, prefix, delimiter, limit, encode = self._listing(params)
        marker = params.get("Marker", "")
        page, truncated = _page(_live_keys(bucket), prefix, delimiter, marker or None, limit)
        result = self._page_result(bucket, params, page, truncated, encode, owner=True)
        result["Marker"] = _encoded(marker, encode)
        if truncated and delimiter:  # without a delimiter the caller resumes from the last key
            result["NextMarker"] = _encoded(page[-1][0], encode)
        return result

    def _page_result(
        self,
        bucket: Bucket,
        params: dict[str, Any],
        page: list[tuple[str, bool]],
        truncated: bool,
        encode: bool,
        owner: bool | None = None,
    ) -> dict[str, Any]:
        fetch_owner = params.get("FetchOwner", False) if owner is None else owner
        contents = [
            self._object_entry(bucket.keys[name][-1], encode, fetch_owner)
            for name, is_prefix in page if not is_prefix
        ]
        prefixes = [{"Prefix": _encoded(name, encode)} for name, is_prefix in page if is_prefix]
        result: dict[str, Any] = {
            "IsTruncated": truncated,
            "Name": bucket.name,
            "Prefix": _encoded(params.get("Prefix", ""), encode),
            "MaxKeys": params.get("MaxKeys", MAX_KEYS),
        }
        if contents:
            result["Contents"] = contents
        if prefixes:
            result["CommonPrefixes"] = prefixes
        if "Delimiter" in params:
            result["Delimiter"] = _encoded(params["Delimiter"], encode)
        if encode:
            result["EncodingType"] = "url"
        return result

    @operation(refuses=unmodelled("ListObjectVersions", *_COMMON, "KeyMarker",
                                  "VersionIdMarker"))
    def list_object_versions(self, params: dict[str, Any]) -> dict[str, Any]:
        bucket, prefix, delimiter, limit, encode = self._listing(params)
        key_marker = params.get("KeyMarker", "")
        version_marker = params.get("VersionIdMarker", "")
        rows: list[tuple[str, ObjectVersion | None]] = []
        truncated = False
        names = sorted(bucket.keys)
        resume_inside = key_marker if version_marker else None
        after = key_marker or None
        if resume_inside is not None:
            after = None
        for name, is_prefix in _entries(names, prefix, delimiter, after):
            if is_prefix:
                if resume_inside is not None and name <= resume_inside:
                    continue
                candidates: list[ObjectVersion | None] = [None]
            else:
                if resume_inside is not None and name < resume_inside:
                    continue
                candidates = list(reversed(bucket.keys[name]))  # newest first
                if name == resume_inside:
                    ids = [c.version_id for c in candidates if c is not None]
                    start = ids.index(version_marker) + 1 if version_marker in ids else 0
                    candidates = candidates[start:]
            for candidate in candidates:
                if len(rows) >= limit:
                    truncated = True
                    break
                rows.append((name, candidate))
            if truncated:
                break
        versions, markers, prefixes = [], [], []
        for name, version in rows:
            if version is None:
                prefixes.append({"Prefix": _encoded(name, encode)})
                continue
            latest = bucket.keys[name][-1] is version
            if version.delete_marker:
                markers.append({"Owner": self.owner, "Key": _encoded(name, encode),
                                "VersionId": version.version_id, "IsLatest": latest,
                                "LastModified": timestamp(version.last_modified)})
            else:
                entry = self._object_entry(version, encode, True)
                entry.update(VersionId=version.version_id, IsLatest=latest)
                versions.append(entry)
        result: dict[str, Any] = {
            "IsTruncated": truncated,
            "KeyMarker": _encoded(key_marker, encode),
            "VersionIdMarker": version_marker,
            "Name": bucket.name,
            "Prefix": _encoded(prefix, encode),
            "MaxKeys": params.get("MaxKeys", MAX_KEYS),
        }
        for name, value in (("Versions", versions), ("DeleteMarkers", markers),
                            ("CommonPrefixes", prefixes)):
            if value:
                result[name] = value
        if "Delimiter" in params:
            result["Delimiter"] = _encoded(delimiter, encode)
        if encode:
            result["EncodingType"] = "url"
        if truncated and rows:
            last_name, last_version = rows[-1]
            result["NextKeyMarker"] = _encoded(last_name, encode)
            if last_version is not None:
                result["NextVersionIdMarker"] = last_version.version_id
        return result


def _live_keys(bucket: Bucket) -> list[str]:
    return sorted(name for name, versions in bucket.keys.items() if not versions[-1].delete_marker)


def _encoded(text: str, encode: bool) -> str:
    return quote_plus(text, safe="/") if encode else text
