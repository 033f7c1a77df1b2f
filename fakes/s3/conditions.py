"""Conditional requests (If-Match and friends) and byte ranges, as S3 evaluates them.

https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (If-* headers)
https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-requests.html
https://www.rfc-editor.org/rfc/rfc9110#section-14 (Range)
If-Match decides before If-Unmodified-Since, If-None-Match before
If-Modified-Since; a read that fails If-Match/If-Unmodified-Since is 412,
one that fails If-None-Match/If-Modified-Since is 304.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from eventproof_fakes.s3.errors import head_error, no_such_key, precondition_failed, s3_error
from eventproof_fakes.s3.model import ObjectVersion

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _etag_matches(header: str, etag: str) -> bool:
    wanted = [part.strip() for part in header.split(",")]
    return "*" in wanted or any(w.strip('"') == etag.strip('"') for w in wanted)


def _seconds(value: Any) -> float:
    return value.timestamp() if isinstance(value, datetime) else float(value)


def check_read_conditions(
    params: dict[str, Any], current: ObjectVersion, *, head: bool, prefix: str = ""
) -> None:
    """Raise 412 or 304 for a read whose If-* headers do not hold (``prefix``: "CopySource")."""
    modified = int(current.last_modified)
    if_match = params.get(prefix + "IfMatch")
    if if_match is not None:
        if not _etag_matches(if_match, current.etag):
            raise _failed(prefix + "If-Match", head)
    elif (since := params.get(prefix + "IfUnmodifiedSince")) is not None and modified > _seconds(
        since
    ):
        raise _failed(prefix + "If-Unmodified-Since", head)
    if_none_match = params.get(prefix + "IfNoneMatch")
    if if_none_match is not None:
        if _etag_matches(if_none_match, current.etag):
            raise _not_modified(prefix + "If-None-Match", head, prefix)
    elif (since := params.get(prefix + "IfModifiedSince")) is not None and modified <= _seconds(
        since
    ):
        raise _not_modified(prefix + "If-Modified-Since", head, prefix)


def check_write_conditions(params: dict[str, Any], key: str, current: ObjectVersion | None) -> None:
    """Conditional writes: ``IfNoneMatch="*"`` (create only) and ``IfMatch`` (replace that ETag)."""
    exists = current is not None and not current.delete_marker
    if_none_match = params.get("IfNoneMatch")
    if if_none_match is not None:
        if if_none_match != "*":
            raise s3_error(
                "NotImplemented",
                "A header you provided implies functionality that is not implemented",
                501,
                Header="If-None-Match",
            )
        if exists:
            raise precondition_failed("If-None-Match")
    if_match = params.get("IfMatch")
    if if_match is not None:
        if not exists or current is None:
            raise no_such_key(key)
        if not _etag_matches(if_match, current.etag):
            raise precondition_failed("If-Match")


def _failed(condition: str, head: bool) -> Exception:
    return head_error(412) if head else precondition_failed(condition.replace("CopySource", "x-amz-copy-source-"))


def _not_modified(condition: str, head: bool, prefix: str) -> Exception:
    if prefix:  # a copy whose source condition fails is a 412, not a 304
        return precondition_failed(condition.replace("CopySource", "x-amz-copy-source-"))
    return head_error(304)


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The inclusive (first, last) byte of a ``Range`` header; None for the whole object.

    A header S3 cannot parse (several ranges, other units) is ignored, as
    RFC 9110 allows; a well-formed range outside the object is 416.
    """
    if header is None:
        return None
    match = _RANGE.match(header.strip())
    if match is None or match.group(0) == "bytes=-":
        return None
    first_text, last_text = match.groups()
    if first_text == "":
        length = int(last_text)
        if length == 0 or size == 0:
            raise _unsatisfiable(header, size)
        return max(size - length, 0), size - 1
    first = int(first_text)
    if last_text and int(last_text) < first:
        return None
    if first >= size:
        raise _unsatisfiable(header, size)
    last = int(last_text) if last_text else size - 1
    return first, min(last, size - 1)


def _unsatisfiable(header: str, size: int) -> Exception:
    return s3_error(
        "InvalidRange",
        "The requested range is not satisfiable",
        416,
        RangeRequested=header,
        ActualObjectSize=str(size),
    )
