"""Byte ranges and conditional headers, as eventproof_fakes.s3.conditions evaluates them."""

from __future__ import annotations

import pytest

from eventproof_fakes.errors import AWSError
from eventproof_fakes.s3.conditions import byte_range, check_read_conditions, check_write_conditions
from eventproof_fakes.s3.model import ObjectVersion


@pytest.mark.parametrize(
    ("header", "size", "expected"),
    [
        (None, 10, None),
        ("bytes=0-0", 10, (0, 0)),
        ("bytes=3-", 10, (3, 9)),
        ("bytes=-4", 10, (6, 9)),
        ("bytes=-40", 10, (0, 9)),
        ("bytes=5-400", 10, (5, 9)),
        ("bytes=0-1,4-5", 10, None),  # several ranges: S3 answers the whole object
        ("items=0-1", 10, None),
        ("bytes=5-2", 10, None),
    ],
)
def test_byte_ranges(header: str | None, size: int, expected: tuple[int, int] | None) -> None:
    assert byte_range(header, size) == expected


@pytest.mark.parametrize(("header", "size"), [("bytes=10-", 10), ("bytes=0-", 0), ("bytes=-0", 5)])
def test_unsatisfiable_ranges_are_416(header: str, size: int) -> None:
    with pytest.raises(AWSError) as excinfo:
        byte_range(header, size)
    assert (excinfo.value.code, excinfo.value.status_code) == ("InvalidRange", 416)


def version(etag: str = '"abc"', modified: float = 1000.0) -> ObjectVersion:
    return ObjectVersion("k", "null", modified, etag=etag)


def test_if_match_wins_over_if_unmodified_since() -> None:
    check_read_conditions({"IfMatch": "abc", "IfUnmodifiedSince": 1.0}, version(), head=False)


def test_if_none_match_wins_over_if_modified_since() -> None:
    check_read_conditions({"IfNoneMatch": '"other"', "IfModifiedSince": 5000.0}, version(),
                          head=False)


def test_a_failed_condition_on_head_has_no_body() -> None:
    with pytest.raises(AWSError) as excinfo:
        check_read_conditions({"IfMatch": '"zzz"'}, version(), head=True)
    assert (excinfo.value.code, excinfo.value.message) == ("412", "Precondition Failed")


def test_a_failed_copy_source_if_none_match_is_412_not_304() -> None:
    with pytest.raises(AWSError) as excinfo:
        check_read_conditions({"CopySourceIfNoneMatch": '"abc"'}, version(), head=False,
                              prefix="CopySource")
    assert excinfo.value.status_code == 412


def test_if_match_on_a_missing_key_is_no_such_key() -> None:
    with pytest.raises(AWSError) as excinfo:
        check_write_conditions({"IfMatch": '"abc"'}, "k", None)
    assert excinfo.value.code == "NoSuchKey"


def test_if_none_match_star_allows_writing_over_a_delete_marker() -> None:
    marker = ObjectVersion("k", "v1", 0.0, delete_marker=True)
    check_write_conditions({"IfNoneMatch": "*"}, "k", marker)
