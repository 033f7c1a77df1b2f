"""Pages of a listing and their ``NextToken`` s, as AWS's List* operations hand them out.

A token is opaque to the caller; here it encodes the position of the next
page. A token that is not one the fake handed out is refused with the
service's own error (``invalid_token``), never read as "start again".
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from eventproof_fakes.errors import AWSError

__all__ = ["page"]

T = TypeVar("T")
_PREFIX = "eventproof-page:"


def page(
    items: Sequence[T],
    token: Any,
    size: int,
    invalid_token: Callable[[], AWSError],
) -> tuple[list[T], str | None]:
    """The page starting at ``token`` (None: the first) and the token of the next, if any."""
    start = 0
    if token is not None:
        try:
            text = base64.b64decode(str(token), validate=True).decode("utf-8")
        except ValueError:
            raise invalid_token() from None
        if not text.startswith(_PREFIX) or not text[len(_PREFIX) :].isdigit():
            raise invalid_token()
        start = int(text[len(_PREFIX) :])
    end = start + size
    following = (
        base64.b64encode(f"{_PREFIX}{end}".encode()).decode("ascii") if end < len(items) else None
    )
    return list(items[start:end]), following
