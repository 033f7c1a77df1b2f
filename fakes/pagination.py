"""Offset pages behind opaque ``NextToken`` s, for the fakes' List/Describe operations."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import TypeVar

__all__ = ["InvalidToken", "page"]

T = TypeVar("T")


class InvalidToken(ValueError):
    """A NextToken this fake did not hand out; each service words its own AWS error."""


def page(items: Sequence[T], max_results: int, token: str | None) -> tuple[list[T], str | None]:
    """One page of ``items`` from where ``token`` left off, and the token for the next page."""
    start = 0
    if token:
        try:
            start = int(base64.urlsafe_b64decode(token.encode()).decode().removeprefix("offset:"))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise InvalidToken(token) from None
        if not 0 <= start <= len(items):
            raise InvalidToken(token)
    end = start + max_results
    following = base64.urlsafe_b64encode(f"offset:{end}".encode()).decode() if end < len(items) else None
    return list(items[start:end]), following
